package io.tcpscope.analyzer.report.ladder;

import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.report.CauseText;
import io.tcpscope.analyzer.tcp.Cause;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.SegmentKind;
import io.tcpscope.analyzer.tcp.Transition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The ladder diagram of one connection as rows, shared by the text and SVG renderers: one
 * row per captured segment (an arrow from its sender), one per segment the timeline proves
 * the capture missed (dashed: an implied SYN, SYN-ACK or FIN), folds for long transfers, and
 * each endpoint's state written on its own side at the moment it changes (on the row of the
 * segment at that time when there is one, else on a row of its own). Built from an immutable
 * {@link ConnectionRecord} and its {@link SegmentLog.Segments}; never from the tracker.
 */
public final class Ladder {
    /** A run of more plain segments than this is folded (unless full). */
    public static final int FOLD_MIN = 12;
    /** Plain segments kept on each side of a fold. */
    public static final int FOLD_KEEP = 3;

    /** What a row shows. */
    public enum Kind { SEGMENT, IMPLIED, STATE, FOLD }

    /**
     * One row. For SEGMENT and IMPLIED rows {@code sender} is where the arrow starts; STATE rows
     * have no arrow; FOLD rows carry {@link #fold}. {@code client}/{@code server} are the states
     * entered at this row, or null.
     */
    public record Row(Kind kind, long nanos, long frame, Endpoint.Role sender, String label, List<String> marks,
                      SegmentLog.Segment segment, Transition client, Transition server, SegmentLog.Fold fold) {
        public Row {
            marks = List.copyOf(marks);
        }

        /** Whether the receiver did not get it (as the tracker decided). */
        public boolean notDelivered() {
            return segment != null && !segment.delivered();
        }

        public boolean retransmission() {
            return segment != null && segment.kind() == SegmentKind.RETRANSMISSION;
        }

        public Transition state(Endpoint.Role role) {
            return role == Endpoint.Role.CLIENT ? client : server;
        }

        Row with(Endpoint.Role role, Transition t) {
            return role == Endpoint.Role.CLIENT ? new Row(kind, nanos, frame, sender, label, marks, segment, t, server, fold)
                    : new Row(kind, nanos, frame, sender, label, marks, segment, client, t, fold);
        }
    }

    /** Where the capture point sits between the endpoints, from the handshake's timing. */
    public enum Tap {
        NEAR_CLIENT("near the client"), NEAR_SERVER("near the server"), MIDDLE("between the endpoints");

        private final String text;

        Tap(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /**
     * The tap's position: {@code serverLegNanos} is SYN to SYN-ACK (tap, server, tap), {@code
     * clientLegNanos} SYN-ACK to the client's ACK (tap, client, tap). One leg four times the other
     * or more puts the tap near the endpoint of the short leg.
     */
    public record TapPosition(Tap tap, long serverLegNanos, long clientLegNanos) {
        public String text() {
            return tap.text() + " (SYN\u2192SYN-ACK " + micros(serverLegNanos) + ", SYN-ACK\u2192ACK "
                    + micros(clientLegNanos) + ")";
        }
    }

    private final ConnectionRecord record;
    private final List<Row> rows;
    private final TapPosition tap;
    private final int captured;

    private Ladder(ConnectionRecord record, List<Row> rows, TapPosition tap, int captured) {
        this.record = record;
        this.rows = List.copyOf(rows);
        this.tap = tap;
        this.captured = captured;
    }

    public ConnectionRecord record() {
        return record;
    }

    public List<Row> rows() {
        return rows;
    }

    /** Null when the handshake does not tell (not captured whole). */
    public TapPosition tap() {
        return tap;
    }

    /** Segments the log kept. */
    public int keptSegments() {
        return captured;
    }

    /** The ladder of a record whose pipeline had a {@link SegmentLog}; {@code full}: no folds but the log's own. */
    public static Ladder of(ConnectionRecord r, boolean full) {
        SegmentLog.Segments segs = r.observation(SegmentLog.Segments.class);
        if (segs == null) {
            segs = SegmentLog.Segments.EMPTY;
        }
        return of(r, segs, full);
    }

    public static Ladder of(ConnectionRecord r, SegmentLog.Segments segs, boolean full) {
        // Events in capture order; at one time and frame: a segment proven missing, then the segment
        // that proves it, then the state changes.
        record Event(long nanos, long frame, int order, int seq, Object what, Endpoint.Role side) {
        }
        List<Event> events = new ArrayList<>();
        int n = 0;
        for (int i = 0; i < segs.size(); i++) {
            SegmentLog.Segment s = segs.get(i);
            if (i == segs.foldAt() && segs.dropped().segments() > 0) {
                events.add(new Event(segs.dropped().firstNanos(), s.frame(), 0, n++, segs.dropped(), null));
            }
            events.add(new Event(s.nanos(), s.frame(), 0, n++, s, s.sender()));
        }
        if (segs.foldAt() >= segs.size() && segs.dropped().segments() > 0) {
            events.add(new Event(segs.dropped().firstNanos(), Long.MAX_VALUE, 0, n++, segs.dropped(), null));
        }
        for (Endpoint.Role role : Endpoint.Role.values()) {
            for (Transition t : r.side(role).timeline()) {
                String implied = implied(t.cause().detail());
                if (implied != null) {
                    events.add(new Event(t.timestampNanos(), t.frame(), -1, n++, t, role));
                }
                events.add(new Event(t.timestampNanos(), t.frame(), 2, n++, t, role));
            }
        }
        events.sort(Comparator.comparingLong(Event::nanos).thenComparingLong(Event::frame)
                .thenComparingInt(Event::order).thenComparingInt(Event::seq));
        // Windows after the handshake are scaled when both SYNs carried the option (RFC 7323 §2.2).
        boolean scaled = r.client().windowScale() >= 0 && r.server().windowScale() >= 0;
        List<Row> rows = new ArrayList<>();
        for (Event e : events) {
            if (e.what() instanceof SegmentLog.Fold f) {
                rows.add(new Row(Kind.FOLD, e.nanos(), -1, null, foldText(f.segments(), f.dataSegments(), f.bytes(),
                        f.lastNanos() - f.firstNanos(), f.retransmissions()), List.of(), null, null, null, f));
            } else if (e.what() instanceof SegmentLog.Segment s) {
                long window = scaled && !s.has(TcpSegment.SYN) ? (long) s.window() << r.side(s.sender()).windowScale()
                        : s.window();
                rows.add(new Row(Kind.SEGMENT, s.nanos(), s.frame(), s.sender(), label(s.flags(), s.relSeq(), s.relAck(),
                        s.length(), window), marks(s), s, null, null, null));
            } else {
                Transition t = (Transition) e.what();
                if (e.order() == -1) {
                    String what = implied(t.cause().detail());
                    rows.add(new Row(Kind.IMPLIED, t.timestampNanos(), t.frame(), e.side(), what,
                            List.of("not captured: " + CauseText.of(t.cause())), null, null, null, null));
                    continue;
                }
                Row last = rows.isEmpty() ? null : rows.get(rows.size() - 1);
                if (last != null && last.kind() != Kind.FOLD && last.nanos() == t.timestampNanos()
                        && last.state(e.side()) == null) {
                    rows.set(rows.size() - 1, last.with(e.side(), t));
                } else {
                    Row row = new Row(Kind.STATE, t.timestampNanos(), t.frame(), null, "", List.of(), null, null, null,
                            null);
                    rows.add(row.with(e.side(), t));
                }
            }
        }
        return new Ladder(r, full ? rows : fold(rows), tap(segs), segs.size());
    }

    /** The segment an inference says the capture missed, or null. */
    static String implied(Cause.Detail d) {
        return switch (d) {
            case FIN_IMPLIED_BY_ACK, FIN_IMPLIED_BY_SEQ -> "FIN";
            case SYN_ACK_IMPLIED -> "SYN,ACK";
            case SYN_IMPLIED -> "SYN";
            default -> null;
        };
    }

    /** Folds runs of plain segments (data and ACKs with no state change) longer than {@link #FOLD_MIN}. */
    static List<Row> fold(List<Row> rows) {
        List<Row> out = new ArrayList<>();
        int i = 0;
        while (i < rows.size()) {
            int j = i;
            boolean logFold = false;
            while (j < rows.size() && plain(rows.get(j))) {
                logFold |= rows.get(j).kind() == Kind.FOLD;
                j++;
            }
            int run = j - i;
            if (run > FOLD_MIN || (logFold && run > 2 * FOLD_KEEP)) {
                for (int k = i; k < i + FOLD_KEEP; k++) {
                    out.add(rows.get(k));
                }
                long segments = 0;
                long data = 0;
                long bytes = 0;
                long retrans = 0;
                long from = rows.get(i + FOLD_KEEP).nanos();
                long to = from;
                for (int k = i + FOLD_KEEP; k < j - FOLD_KEEP; k++) {
                    Row r = rows.get(k);
                    if (r.kind() == Kind.FOLD) {
                        SegmentLog.Fold f = r.fold();
                        segments += f.segments();
                        data += f.dataSegments();
                        bytes += f.bytes();
                        retrans += f.retransmissions();
                        to = Math.max(to, f.lastNanos());
                    } else {
                        segments++;
                        if (r.segment().length() > 0) {
                            data++;
                            bytes += r.segment().length();
                        }
                        if (r.retransmission()) {
                            retrans++;
                        }
                        to = Math.max(to, r.nanos());
                    }
                }
                SegmentLog.Fold f = new SegmentLog.Fold(segments, data, bytes, retrans, from, to);
                out.add(new Row(Kind.FOLD, from, -1, null, foldText(segments, data, bytes, to - from, retrans), List.of(),
                        null, null, null, f));
                for (int k = j - FOLD_KEEP; k < j; k++) {
                    out.add(rows.get(k));
                }
            } else {
                for (int k = i; k < j; k++) {
                    out.add(rows.get(k));
                }
            }
            if (j == i) {
                out.add(rows.get(i));
                j++;
            }
            i = j;
        }
        return out;
    }

    private static boolean plain(Row r) {
        if (r.kind() == Kind.FOLD) {
            return true;
        }
        if (r.kind() != Kind.SEGMENT || r.client() != null || r.server() != null || !r.segment().delivered()) {
            return false;
        }
        return (r.segment().flags() & (TcpSegment.SYN | TcpSegment.FIN | TcpSegment.RST)) == 0;
    }

    /** {@code … 812 data segments, 1.2 MB, 0.8 s …} (and the ACKs and retransmissions among them). */
    public static String foldText(long segments, long data, long bytes, long nanos, long retrans) {
        StringBuilder b = new StringBuilder("\u2026 ").append(data).append(data == 1 ? " data segment" : " data segments");
        if (segments > data) {
            b.append(" (+").append(segments - data).append(segments - data == 1 ? " ACK" : " ACKs").append(')');
        }
        b.append(", ").append(bytes(bytes)).append(", ").append(seconds(nanos));
        if (retrans > 0) {
            b.append(", ").append(retrans).append(retrans == 1 ? " retransmission" : " retransmissions");
        }
        return b.append(" \u2026").toString();
    }

    static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        if (n < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f kB", n / 1e3);
        }
        if (n < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f MB", n / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f GB", n / 1e9);
    }

    static String seconds(long nanos) {
        if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%.0f \u00b5s", nanos / 1e3);
        }
        if (nanos < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    static String micros(long nanos) {
        if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f \u00b5s", nanos / 1e3);
        }
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    /** {@code PSH,ACK seq=1 ack=1 len=100 win=64512} (the window as given, scaled or not). */
    public static String label(int flags, long relSeq, long relAck, int length, long window) {
        StringBuilder b = new StringBuilder(flags(flags));
        if (relSeq >= 0) {
            b.append(" seq=").append(relSeq);
        }
        if (relAck >= 0 && (flags & TcpSegment.ACK) != 0) {
            b.append(" ack=").append(relAck);
        }
        if (length > 0) {
            b.append(" len=").append(length);
        }
        return b.append(" win=").append(window).toString();
    }

    /** Flag names in tcpdump's order, joined by commas ({@code SYN,ACK}); {@code none} for none. */
    public static String flags(int flags) {
        StringBuilder b = new StringBuilder();
        String[] names = {"SYN", "FIN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
        int[] bits = {TcpSegment.SYN, TcpSegment.FIN, TcpSegment.RST, TcpSegment.PSH, TcpSegment.ACK, TcpSegment.URG,
            TcpSegment.ECE, TcpSegment.CWR};
        for (int i = 0; i < names.length; i++) {
            if ((flags & bits[i]) != 0) {
                if (b.length() > 0) {
                    b.append(',');
                }
                b.append(names[i]);
            }
        }
        return b.length() == 0 ? "none" : b.toString();
    }

    private static List<String> marks(SegmentLog.Segment s) {
        List<String> m = new ArrayList<>(2);
        switch (s.kind()) {
            case RETRANSMISSION -> m.add("retransmission");
            case OUT_OF_ORDER -> m.add("out of order");
            case OVERLAP -> m.add("overlap");
            case DUPLICATE -> m.add("capture copy");
            case KEEPALIVE -> m.add("keepalive");
            case ZERO_WINDOW_PROBE -> m.add("zero-window probe");
            case RESET, IN_ORDER, EMPTY -> {
            }
        }
        if (!s.delivered()) {
            m.add("not delivered");
        }
        return m;
    }

    /** From the first SYN-ACK, the last SYN before it and the client's first ACK after it, none of them resent. */
    static TapPosition tap(SegmentLog.Segments segs) {
        long syn = -1;
        long synAck = -1;
        for (int i = 0; i < segs.size(); i++) {
            SegmentLog.Segment s = segs.get(i);
            boolean isSyn = s.has(TcpSegment.SYN);
            boolean isAck = s.has(TcpSegment.ACK);
            if (s.has(TcpSegment.RST) || s.kind() == SegmentKind.DUPLICATE) {
                if (s.has(TcpSegment.RST)) {
                    return null;
                }
                continue;
            }
            if (synAck < 0) {
                if (isSyn && !isAck && s.sender() == Endpoint.Role.CLIENT) {
                    syn = s.nanos();
                } else if (isSyn && isAck && s.sender() == Endpoint.Role.SERVER && syn >= 0) {
                    synAck = s.nanos();
                } else {
                    return null;
                }
            } else if (s.sender() == Endpoint.Role.SERVER) {
                return null; // a resent SYN-ACK (or data before the ACK): the timing says nothing
            } else if (isSyn) {
                return null;
            } else {
                long server = synAck - syn;
                long client = s.nanos() - synAck;
                Tap t = client * 4 <= server ? Tap.NEAR_CLIENT : server * 4 <= client ? Tap.NEAR_SERVER : Tap.MIDDLE;
                return new TapPosition(t, server, client);
            }
        }
        return null;
    }

    /** {@code +1.234567}: seconds since the connection's first packet. */
    public static String relativeTime(long nanos, long start) {
        long d = nanos - start;
        String sign = d < 0 ? "-" : "+";
        d = Math.abs(d);
        return String.format(Locale.ROOT, "%s%d.%06d", sign, d / 1_000_000_000L, (d % 1_000_000_000L) / 1000);
    }

    /** {@code 20:45:13.247201} (UTC). */
    public static String absoluteTime(long nanos) {
        java.time.Instant t = java.time.Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
                Math.floorMod(nanos, 1_000_000_000L));
        java.time.LocalTime lt = java.time.LocalTime.ofInstant(t, java.time.ZoneOffset.UTC);
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%06d", lt.getHour(), lt.getMinute(), lt.getSecond(),
                lt.getNano() / 1000);
    }

    /** {@code ESTABLISHED (evidence)}. */
    public static String stateText(Transition t) {
        return t.state().name() + " (" + t.basis().name().toLowerCase(Locale.ROOT) + ")";
    }
}
