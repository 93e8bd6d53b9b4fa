package io.tcpscope.analyzer.live;

import io.tcpscope.analyzer.diagnosis.Diagnosis;
import io.tcpscope.analyzer.engine.AnalysisSummary;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.engine.Pipeline;
import io.tcpscope.analyzer.report.Format;
import io.tcpscope.analyzer.tcp.TcpState;
import io.tcpscope.capture.live.CaptureStats;
import java.io.PrintStream;
import java.time.Instant;

/**
 * The live view on a terminal, redrawn in place (ANSI clear + home) at most every {@link
 * #REDRAW_EVERY_NANOS} of capture time: counters, the connections with a raised diagnosis
 * (stuck ones first, with their age), and the open connections grouped by (client state,
 * server state) with counts.
 */
public final class LiveTable {
    /** At most one redraw per this much capture time. */
    public static final long REDRAW_EVERY_NANOS = 500_000_000L;
    /** Diagnosed connections listed; the rest are counted. */
    public static final int MAX_DIAGNOSED_ROWS = 20;

    private static final String CLEAR = "\033[H\033[2J";
    private static final String PAIR_ROW = "  %-12s %-12s %8d%n";
    /** The diagnosed rows; the endpoint columns are sized to the widest endpoint shown (IPv6). */
    private static String diagRow(int endpointWidth) {
        return "  %-5s %-" + endpointWidth + "s %-" + endpointWidth + "s %-18s %9s%n";
    }

    private final PrintStream out;
    private final String source;
    private final long[][] pairs = new long[TcpState.values().length][TcpState.values().length];
    private long lastDrawNanos = Long.MIN_VALUE;

    public LiveTable(PrintStream out, String source) {
        this.out = out;
        this.source = source;
    }

    /** Redraws if the last redraw is at least {@link #REDRAW_EVERY_NANOS} old (capture time). */
    public void maybeDraw(Pipeline analyzer, DiagnosisWatch watch, CaptureStats stats, long finished) {
        long now = analyzer.now();
        if (lastDrawNanos != Long.MIN_VALUE && now - lastDrawNanos < REDRAW_EVERY_NANOS) {
            return;
        }
        lastDrawNanos = now;
        draw(analyzer, watch, stats, finished, true);
    }

    /** Draws the table; {@code clear} first clears the screen (false for the last picture, which stays). */
    public void draw(Pipeline analyzer, DiagnosisWatch watch, CaptureStats stats, long finished, boolean clear) {
        long now = analyzer.now();
        AnalysisSummary s = analyzer.summary();
        long[] open = {analyzer.countOpenStates(pairs)};
        StringBuilder b = new StringBuilder(4096);
        if (clear) {
            b.append(CLEAR);
        }
        b.append("tcpscope live: ").append(source).append("  ")
                .append(s.lastNanos() > 0 ? Instant.ofEpochSecond(0, now).toString() : "-").append('\n');
        b.append(String.format("packets %d (TCP %d)", s.frames(), s.tcpFrames()));
        if (stats != null) {
            b.append(String.format("  pcap: received %d, dropped by kernel %d, by interface %d",
                    stats.received(), stats.droppedByKernel(), stats.droppedByInterface()));
        }
        b.append('\n');
        b.append(String.format("connections: %d open, %d finished, %d evicted; diagnoses raised %d%n%n",
                open[0], finished, s.evictions(), watch.raisedTotal()));
        if (watch.connectionsRaised() > 0) {
            b.append("DIAGNOSED (open)\n");
            int[] widest = {23};
            int[] counted = new int[1];
            watch.forEachRaised((ConnectionRecord c, java.util.List<Diagnosis> ds) -> {
                if (counted[0]++ < MAX_DIAGNOSED_ROWS) {
                    widest[0] = Math.max(widest[0], Math.max(c.client().endpoint().length(),
                            c.server().endpoint().length()));
                }
            });
            String row = diagRow(widest[0]);
            b.append(String.format(row, "ID", "CLIENT", "SERVER", "DIAGNOSIS", "AGE"));
            int[] shown = new int[1];
            watch.forEachRaised((ConnectionRecord c, java.util.List<Diagnosis> ds) -> {
                for (Diagnosis d : ds) {
                    if (shown[0]++ < MAX_DIAGNOSED_ROWS) {
                        b.append(String.format(row, c.id(), c.client().endpoint(), c.server().endpoint(),
                                d.code().name(), Format.seconds(now - d.sinceNanos())));
                    }
                }
            });
            if (shown[0] > MAX_DIAGNOSED_ROWS) {
                b.append("  ... and ").append(shown[0] - MAX_DIAGNOSED_ROWS).append(" more\n");
            }
            b.append('\n');
        }
        b.append(String.format("  %-12s %-12s %8s%n", "CLIENT-STATE", "SERVER-STATE", "OPEN"));
        TcpState[] states = TcpState.values();
        for (TcpState cs : states) {
            for (TcpState ss : states) {
                long n = pairs[cs.ordinal()][ss.ordinal()];
                if (n > 0) {
                    b.append(String.format(PAIR_ROW, cs.name(), ss.name(), n));
                }
            }
        }
        out.print(b);
        out.flush();
    }
}
