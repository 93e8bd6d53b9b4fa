package io.tcpscope.analyzer.report.ladder;

import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.engine.ConnectionObserver;
import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.SegmentKind;
import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * The segments of one connection for its ladder diagram: a {@link ConnectionObserver} that keeps
 * the first {@code head} and the last {@code tail} segments in primitive arrays and folds the
 * ones between into counters ({@link Segments#dropped()}). Bounded by {@code head + tail}
 * entries per connection; allocates only while its arrays grow towards that cap (doubling),
 * never per segment after that.
 */
public final class SegmentLog implements ConnectionObserver {
    /** Segments kept at the start and at the end by {@code tcpscope ladder}. */
    public static final int LADDER_HEAD = 20_000;
    public static final int LADDER_TAIL = 5_000;

    private static final SegmentKind[] KINDS = SegmentKind.values();
    private final int head;
    private final int tail;
    private final Columns first;
    private final Columns last; // ring buffer of the tail
    private int lastStart;
    private long droppedSegments;
    private long droppedDataSegments;
    private long droppedBytes;
    private long droppedRetransmissions;
    private long droppedFirstNanos = -1;
    private long droppedLastNanos = -1;

    public SegmentLog(int head, int tail) {
        if (head < 1 || tail < 0) {
            throw new IllegalArgumentException(head + " " + tail);
        }
        this.head = head;
        this.tail = tail;
        this.first = new Columns(Math.min(head, 16));
        this.last = new Columns(Math.min(tail, 16));
    }

    /** Observers of the connections whose id {@code wanted} accepts, keeping up to {@code head + tail} segments. */
    public static ConnectionObserver.Factory factory(int head, int tail, LongPredicate wanted) {
        return c -> wanted.test(c.id()) ? new SegmentLog(head, tail) : NONE;
    }

    /** The observer of the connections not wanted: keeps nothing, its result is null. */
    private static final ConnectionObserver NONE = new ConnectionObserver() {
        @Override
        public void segment(Endpoint.Role sender, TcpSegment s, long relSeq, long relAck, SegmentKind kind,
                            boolean delivered, long frame, long nanos) {
        }

        @Override
        public Object result(Connection c) {
            return Segments.EMPTY;
        }
    };

    @Override
    public void segment(Endpoint.Role sender, TcpSegment s, long relSeq, long relAck, SegmentKind kind,
                        boolean delivered, long frame, long nanos) {
        if (first.size < head) {
            first.add(sender, s.flags, relSeq, relAck, s.payloadLength, s.window, kind, delivered, frame, nanos);
            return;
        }
        if (tail == 0) {
            fold(s.payloadLength, kind, nanos);
            return;
        }
        if (last.size < tail) {
            last.add(sender, s.flags, relSeq, relAck, s.payloadLength, s.window, kind, delivered, frame, nanos);
            return;
        }
        // The oldest of the tail leaves it for the fold.
        int i = lastStart;
        fold(last.length[i], KINDS[last.kind[i]], last.nanos[i]);
        last.set(i, sender, s.flags, relSeq, relAck, s.payloadLength, s.window, kind, delivered, frame, nanos);
        lastStart = (lastStart + 1) % tail;
    }

    private void fold(int length, SegmentKind kind, long nanos) {
        droppedSegments++;
        if (length > 0) {
            droppedDataSegments++;
            droppedBytes += length;
        }
        if (kind == SegmentKind.RETRANSMISSION) {
            droppedRetransmissions++;
        }
        if (droppedFirstNanos < 0) {
            droppedFirstNanos = nanos;
        }
        droppedLastNanos = nanos;
    }

    @Override
    public Segments result(Connection c) {
        int n = first.size + last.size;
        Columns all = new Columns(n);
        for (int i = 0; i < first.size; i++) {
            all.copy(first, i);
        }
        for (int k = 0; k < last.size; k++) {
            all.copy(last, (lastStart + k) % Math.max(1, last.size));
        }
        return new Segments(all, first.size, new Fold(droppedSegments, droppedDataSegments, droppedBytes,
                droppedRetransmissions, droppedFirstNanos, droppedLastNanos));
    }

    /** What the log dropped between its head and its tail. */
    public record Fold(long segments, long dataSegments, long bytes, long retransmissions, long firstNanos,
                       long lastNanos) {
    }

    /** One kept segment. */
    public record Segment(Endpoint.Role sender, int flags, long relSeq, long relAck, int length, int window,
                          SegmentKind kind, boolean delivered, long frame, long nanos) {
        public boolean has(int flag) {
            return (flags & flag) != 0;
        }
    }

    /**
     * The kept segments of one connection, in capture order; {@link #dropped()} were folded
     * between index {@code foldAt - 1} and {@code foldAt}. Immutable.
     */
    public static final class Segments {
        static final Segments EMPTY = new Segments(new Columns(0), 0, new Fold(0, 0, 0, 0, -1, -1));
        private final Columns c;
        private final int foldAt;
        private final Fold dropped;

        Segments(Columns c, int foldAt, Fold dropped) {
            this.c = c;
            this.foldAt = foldAt;
            this.dropped = dropped;
        }

        /** Builds a list from segments (tests, and readers of other sources). */
        public static Segments of(java.util.List<Segment> segments) {
            Columns c = new Columns(segments.size());
            for (Segment s : segments) {
                c.add(s.sender(), s.flags(), s.relSeq(), s.relAck(), s.length(), s.window(), s.kind(), s.delivered(),
                        s.frame(), s.nanos());
            }
            return new Segments(c, segments.size(), new Fold(0, 0, 0, 0, -1, -1));
        }

        public int size() {
            return c.size;
        }

        public Segment get(int i) {
            if (i < 0 || i >= c.size) {
                throw new IndexOutOfBoundsException(i);
            }
            return new Segment(c.sender[i] == 0 ? Endpoint.Role.CLIENT : Endpoint.Role.SERVER, c.flags[i], c.relSeq[i],
                    c.relAck[i], c.length[i], c.window[i], KINDS[c.kind[i]], c.delivered[i], c.frame[i],
                    c.nanos[i]);
        }

        /** Index of the first segment after the dropped ones (== size() when none were dropped after the head). */
        public int foldAt() {
            return foldAt;
        }

        public Fold dropped() {
            return dropped;
        }
    }

    /** Parallel primitive arrays, grown by doubling. */
    static final class Columns {
        byte[] sender;
        int[] flags;
        long[] relSeq;
        long[] relAck;
        int[] length;
        int[] window;
        byte[] kind;
        boolean[] delivered;
        long[] frame;
        long[] nanos;
        int size;

        Columns(int capacity) {
            sender = new byte[capacity];
            flags = new int[capacity];
            relSeq = new long[capacity];
            relAck = new long[capacity];
            length = new int[capacity];
            window = new int[capacity];
            kind = new byte[capacity];
            delivered = new boolean[capacity];
            frame = new long[capacity];
            nanos = new long[capacity];
        }

        private void grow() {
            int n = Math.max(4, sender.length * 2);
            sender = Arrays.copyOf(sender, n);
            flags = Arrays.copyOf(flags, n);
            relSeq = Arrays.copyOf(relSeq, n);
            relAck = Arrays.copyOf(relAck, n);
            length = Arrays.copyOf(length, n);
            window = Arrays.copyOf(window, n);
            kind = Arrays.copyOf(kind, n);
            delivered = Arrays.copyOf(delivered, n);
            frame = Arrays.copyOf(frame, n);
            nanos = Arrays.copyOf(nanos, n);
        }

        void add(Endpoint.Role role, int f, long seq, long ack, int len, int win, SegmentKind k, boolean d, long fr,
                 long ns) {
            if (size == sender.length) {
                grow();
            }
            set(size++, role, f, seq, ack, len, win, k, d, fr, ns);
        }

        void set(int i, Endpoint.Role role, int f, long seq, long ack, int len, int win, SegmentKind k, boolean d,
                 long fr, long ns) {
            sender[i] = (byte) (role == Endpoint.Role.CLIENT ? 0 : 1);
            flags[i] = f;
            relSeq[i] = seq;
            relAck[i] = ack;
            length[i] = len;
            window[i] = win;
            kind[i] = (byte) k.ordinal();
            delivered[i] = d;
            frame[i] = fr;
            nanos[i] = ns;
        }

        void copy(Columns from, int i) {
            if (size == sender.length) {
                grow();
            }
            sender[size] = from.sender[i];
            flags[size] = from.flags[i];
            relSeq[size] = from.relSeq[i];
            relAck[size] = from.relAck[i];
            length[size] = from.length[i];
            window[size] = from.window[i];
            kind[size] = from.kind[i];
            delivered[size] = from.delivered[i];
            frame[size] = from.frame[i];
            nanos[size] = from.nanos[i];
            size++;
        }
    }
}
