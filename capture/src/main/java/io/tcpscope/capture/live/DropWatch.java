package io.tcpscope.capture.live;

/**
 * Turns periodic {@code pcap_stats} readings into "the kernel dropped N packets just now"
 * messages: {@link #update} returns a line when drops grew since the previous reading, else
 * {@code null}. The caller decides how often to read (the live command: every second of
 * capture time) and where to print (stderr). Not thread-safe: one caller.
 */
public final class DropWatch {
    private CaptureStats last;
    private long totalDropped;

    /**
     * @param now the latest reading, or {@code null} (no statistics: nothing to say)
     * @return a one-line warning when packets were dropped since the previous reading, else {@code null}
     */
    public String update(CaptureStats now) {
        if (now == null) {
            return null;
        }
        CaptureStats delta = now.since(last);
        last = now;
        if (delta.dropped() == 0) {
            return null;
        }
        totalDropped += delta.dropped();
        StringBuilder m = new StringBuilder("the kernel dropped ").append(delta.dropped()).append(" packets");
        if (delta.droppedByInterface() > 0) {
            m.append(" (").append(delta.droppedByInterface()).append(" by the interface)");
        }
        m.append(" since the last check (").append(totalDropped).append(" in all, ").append(now.received())
                .append(" received); verdicts on connections active now may lack evidence:"
                        + " raise -B/--buffer-size, narrow -f, or lower -s/--snaplen");
        return m.toString();
    }

    /** Packets dropped in all, as of the latest reading. */
    public long totalDropped() {
        return totalDropped;
    }
}
