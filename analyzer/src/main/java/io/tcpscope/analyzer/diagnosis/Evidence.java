package io.tcpscope.analyzer.diagnosis;

import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.SegmentKind;
import io.tcpscope.analyzer.tcp.SegmentObserver;

/**
 * What the diagnosis rules need of a connection beyond the tracker's counters, gathered per
 * segment through the tracker's {@link SegmentObserver} hook and attached to the connection
 * ({@link Connection#evidence()}): when each side last sent payload, the RST and its context,
 * the SYN schedule, resend backoff, zero-window stalls. One small object per connection, made
 * at its first segment; nothing is allocated per segment after that.
 */
public final class Evidence implements SegmentObserver {
    /** SYN send times kept for the UNANSWERED_SYN schedule. */
    public static final int MAX_SYNS = 8;

    /** What one side sent beyond its last payload's time, as the rules need it (made at its first use). */
    static final class Side {
        long firstFinNanos = -1;
        /** Payload bytes the peer had sent when this side sent its first FIN. */
        long peerPayloadAtFin;
        /** Payload of its RST segments: {@link #payloadBytes} does not count it. */
        long rstPayloadBytes;
        long lastResendSeq = -1;
        long lastResendNanos = -1;
        int resendsOfSegment;
        int worstResendsOfSegment;
        long worstBackoffNanos;
        long resends;
        long zeroSinceNanos = -1;
        long longestZeroNanos;
        long longestZeroSinceNanos = -1;
    }

    /** What a connection without FIN, RST, resend, zero window or SYN resend never needs (made at its first use). */
    static final class Rare {
        final Side client = new Side();
        final Side server = new Side();
        // the first RST
        Endpoint.Role rstSender;
        boolean rstHadAck;
        boolean rstDelivered;
        long rstNanos;
        long rstFrame;
        long rstPeerLastNanos = -1;
        long rstOwnLastPayloadNanos = -1;
        long rstPeerLastPayloadNanos = -1;
        int rsts;
        /** The client's bare SYNs after its first, up to MAX_SYNS - 1 of them (made at the second). */
        long[] laterSynNanos;

        Side side(Endpoint.Role r) {
            return r == Endpoint.Role.CLIENT ? client : server;
        }
    }

    /** The defaults, read while a connection has no {@link Rare} (never written). */
    private static final Rare NO_RARE = new Rare();

    /**
     * The facts of one connection: 48 bytes made at its first segment (when each side last
     * sent payload, the client's SYN count and first SYN), plus a {@link Rare} part made at the
     * first FIN, RST, resend, zero window or second SYN.
     */
    public static final class Facts {
        private final Connection connection;
        long clientLastPayloadNanos = -1;
        long serverLastPayloadNanos = -1;
        long firstSynNanos;
        int syns;
        private Rare rare;

        Facts(Connection connection) {
            this.connection = connection;
        }

        /** The rare part, for reading: the defaults until one was made. */
        Rare r() {
            return rare != null ? rare : NO_RARE;
        }

        /** The rare part, for writing: made at the first call. */
        Rare w() {
            if (rare == null) {
                rare = new Rare();
            }
            return rare;
        }

        Side side(Endpoint.Role r) {
            return r().side(r);
        }

        Side peer(Endpoint.Role r) {
            return r().side(other(r));
        }

        /**
         * Payload bytes {@code r} sent that the rules count: every one the tracker counted
         * ({@link Endpoint#payloadBytes()}: segments other than the capture's copies) but those
         * of its RSTs. (It was a counter of its own here, per segment; the tracker's holds the same.)
         */
        long payloadBytes(Endpoint.Role r) {
            return connection.endpoint(r).payloadBytes() - r().side(r).rstPayloadBytes;
        }

        long lastPayload(Endpoint.Role r) {
            return r == Endpoint.Role.CLIENT ? clientLastPayloadNanos : serverLastPayloadNanos;
        }

        public long lastPayloadNanos(Endpoint.Role r) {
            return lastPayload(r);
        }

        public long firstFinNanos(Endpoint.Role r) {
            return side(r).firstFinNanos;
        }

        /** Whether the peer of {@code r} sent payload after {@code r}'s first FIN. */
        public boolean peerDataAfterFin(Endpoint.Role r) {
            Side s = side(r);
            return s.firstFinNanos >= 0 && payloadBytes(other(r)) > s.peerPayloadAtFin;
        }

        /** Who sent the first RST, or null. */
        public Endpoint.Role rstSender() {
            return r().rstSender;
        }

        public boolean rstHadAck() {
            return r().rstHadAck;
        }

        public boolean rstDelivered() {
            return r().rstDelivered;
        }

        public long rstNanos() {
            return r().rstNanos;
        }

        public long rstFrame() {
            return r().rstFrame;
        }

        public int rsts() {
            return r().rsts;
        }

        /** Capture time of the RST sender's peer's last segment before the RST, or -1. */
        public long rstPeerLastNanos() {
            return r().rstPeerLastNanos;
        }

        /** Whether the peer's last payload before the RST came after the RST sender's last payload. */
        public boolean rstAfterUnansweredData() {
            Rare x = r();
            return x.rstPeerLastPayloadNanos >= 0 && x.rstPeerLastPayloadNanos > x.rstOwnLastPayloadNanos;
        }

        /** How many bare SYNs the client sent (all counted; the first {@link #MAX_SYNS} timed). */
        public int syns() {
            return syns;
        }

        /** The capture time of the client's {@code k}-th SYN, {@code k < min(syns, MAX_SYNS)}. */
        public long synNanos(int k) {
            return k == 0 ? firstSynNanos : r().laterSynNanos[k - 1];
        }

        public long resends(Endpoint.Role r) {
            return side(r).resends;
        }

        /** Longest interval between two consecutive resends of one segment by {@code r}. */
        public long worstBackoffNanos(Endpoint.Role r) {
            return side(r).worstBackoffNanos;
        }

        /** Most resends of one segment in a row. */
        public int worstResendsOfSegment(Endpoint.Role r) {
            return side(r).worstResendsOfSegment;
        }

        /** Since when {@code r} advertises a zero window, or -1. */
        public long zeroSinceNanos(Endpoint.Role r) {
            return side(r).zeroSinceNanos;
        }

        /** The longest zero-window period of {@code r} that ended (a window opened again). */
        public long longestZeroNanos(Endpoint.Role r) {
            return side(r).longestZeroNanos;
        }

        public long longestZeroSinceNanos(Endpoint.Role r) {
            return side(r).longestZeroSinceNanos;
        }
    }

    /** The facts gathered for {@code c}, or null (no segment went through an Evidence observer). */
    public static Facts of(Connection c) {
        return c.evidence() instanceof Facts f ? f : null;
    }

    private static Endpoint.Role other(Endpoint.Role r) {
        return r == Endpoint.Role.CLIENT ? Endpoint.Role.SERVER : Endpoint.Role.CLIENT;
    }

    @Override
    public void segment(Connection c, Endpoint.Role sender, int flags, long relSeq, long relAck, int length, int window,
                        SegmentKind kind, boolean delivered, long frame, long nanos) {
        Facts f = c.evidence() instanceof Facts x ? x : null;
        if (f == null) {
            f = new Facts(c);
            c.evidence(f);
        }
        if (kind == SegmentKind.DUPLICATE) {
            return;
        }
        boolean syn = (flags & TcpSegment.SYN) != 0;
        boolean ack = (flags & TcpSegment.ACK) != 0;
        if ((flags & TcpSegment.RST) != 0) {
            Rare r = f.w();
            r.side(sender).rstPayloadBytes += length;
            r.rsts++;
            if (r.rstSender == null) {
                r.rstSender = sender;
                r.rstHadAck = ack;
                r.rstDelivered = delivered;
                r.rstNanos = nanos;
                r.rstFrame = frame;
                r.rstPeerLastNanos = c.endpoint(other(sender)).lastSendNanos();
                r.rstOwnLastPayloadNanos = f.lastPayload(sender);
                r.rstPeerLastPayloadNanos = f.lastPayload(other(sender));
            }
            return;
        }
        if (syn && !ack && sender == Endpoint.Role.CLIENT) {
            if (f.syns == 0) {
                f.firstSynNanos = nanos;
            } else if (f.syns < MAX_SYNS) {
                Rare r = f.w();
                if (r.laterSynNanos == null) {
                    r.laterSynNanos = new long[MAX_SYNS - 1];
                }
                r.laterSynNanos[f.syns - 1] = nanos;
            }
            f.syns++;
        }
        if (length > 0) {
            if (sender == Endpoint.Role.CLIENT) {
                f.clientLastPayloadNanos = nanos;
            } else {
                f.serverLastPayloadNanos = nanos;
            }
        }
        if ((flags & TcpSegment.FIN) != 0 && f.side(sender).firstFinNanos < 0) {
            Side me = f.w().side(sender);
            me.firstFinNanos = nanos;
            me.peerPayloadAtFin = f.payloadBytes(other(sender));
        }
        if (kind == SegmentKind.RETRANSMISSION && !syn && (length > 0 || (flags & TcpSegment.FIN) != 0)) {
            Side me = f.w().side(sender);
            me.resends++;
            if (relSeq >= 0 && relSeq == me.lastResendSeq) {
                me.resendsOfSegment++;
                me.worstBackoffNanos = Math.max(me.worstBackoffNanos, nanos - me.lastResendNanos);
            } else {
                me.resendsOfSegment = 1;
            }
            me.worstResendsOfSegment = Math.max(me.worstResendsOfSegment, me.resendsOfSegment);
            me.lastResendSeq = relSeq;
            me.lastResendNanos = nanos;
        }
        if (!syn) {
            if (window == 0 && ack) {
                if (f.side(sender).zeroSinceNanos < 0) {
                    f.w().side(sender).zeroSinceNanos = nanos;
                }
            } else if (f.side(sender).zeroSinceNanos >= 0) {
                Side me = f.w().side(sender);
                long d = nanos - me.zeroSinceNanos;
                if (d > me.longestZeroNanos) {
                    me.longestZeroNanos = d;
                    me.longestZeroSinceNanos = me.zeroSinceNanos;
                }
                me.zeroSinceNanos = -1;
            }
        }
    }
}
