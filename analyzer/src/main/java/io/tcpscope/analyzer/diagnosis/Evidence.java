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

    /** What one side sent, as the rules need it. */
    static final class Side {
        long lastPayloadNanos = -1;
        long firstFinNanos = -1;
        /** Payload bytes the peer had sent when this side sent its first FIN. */
        long peerPayloadAtFin;
        long payloadBytes;
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

    /** The facts of one connection (about 300 bytes, made at its first segment). */
    public static final class Facts {
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
        // the client's bare SYNs: the first one's time, then up to MAX_SYNS - 1 more (made at the second)
        long firstSynNanos;
        long[] laterSynNanos;
        int syns;

        Side side(Endpoint.Role r) {
            return r == Endpoint.Role.CLIENT ? client : server;
        }

        Side peer(Endpoint.Role r) {
            return r == Endpoint.Role.CLIENT ? server : client;
        }

        public long lastPayloadNanos(Endpoint.Role r) {
            return side(r).lastPayloadNanos;
        }

        public long firstFinNanos(Endpoint.Role r) {
            return side(r).firstFinNanos;
        }

        /** Whether the peer of {@code r} sent payload after {@code r}'s first FIN. */
        public boolean peerDataAfterFin(Endpoint.Role r) {
            Side s = side(r);
            return s.firstFinNanos >= 0 && peer(r).payloadBytes > s.peerPayloadAtFin;
        }

        /** Who sent the first RST, or null. */
        public Endpoint.Role rstSender() {
            return rstSender;
        }

        public boolean rstHadAck() {
            return rstHadAck;
        }

        public boolean rstDelivered() {
            return rstDelivered;
        }

        public long rstNanos() {
            return rstNanos;
        }

        public long rstFrame() {
            return rstFrame;
        }

        public int rsts() {
            return rsts;
        }

        /** Capture time of the RST sender's peer's last segment before the RST, or -1. */
        public long rstPeerLastNanos() {
            return rstPeerLastNanos;
        }

        /** Whether the peer's last payload before the RST came after the RST sender's last payload. */
        public boolean rstAfterUnansweredData() {
            return rstPeerLastPayloadNanos >= 0 && rstPeerLastPayloadNanos > rstOwnLastPayloadNanos;
        }

        /** How many bare SYNs the client sent (all counted; the first {@link #MAX_SYNS} timed). */
        public int syns() {
            return syns;
        }

        /** The capture time of the client's {@code k}-th SYN, {@code k < min(syns, MAX_SYNS)}. */
        public long synNanos(int k) {
            return k == 0 ? firstSynNanos : laterSynNanos[k - 1];
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

    @Override
    public void segment(Connection c, Endpoint.Role sender, int flags, long relSeq, long relAck, int length, int window,
                        SegmentKind kind, boolean delivered, long frame, long nanos) {
        Facts f = c.evidence() instanceof Facts x ? x : null;
        if (f == null) {
            f = new Facts();
            c.evidence(f);
        }
        if (kind == SegmentKind.DUPLICATE) {
            return;
        }
        Side me = f.side(sender);
        Side peer = f.peer(sender);
        boolean syn = (flags & TcpSegment.SYN) != 0;
        boolean ack = (flags & TcpSegment.ACK) != 0;
        if ((flags & TcpSegment.RST) != 0) {
            f.rsts++;
            if (f.rstSender == null) {
                f.rstSender = sender;
                f.rstHadAck = ack;
                f.rstDelivered = delivered;
                f.rstNanos = nanos;
                f.rstFrame = frame;
                f.rstPeerLastNanos = c.endpoint(sender == Endpoint.Role.CLIENT ? Endpoint.Role.SERVER
                        : Endpoint.Role.CLIENT).lastSendNanos();
                f.rstOwnLastPayloadNanos = me.lastPayloadNanos;
                f.rstPeerLastPayloadNanos = peer.lastPayloadNanos;
            }
            return;
        }
        if (syn && !ack && sender == Endpoint.Role.CLIENT) {
            if (f.syns == 0) {
                f.firstSynNanos = nanos;
            } else if (f.syns < MAX_SYNS) {
                if (f.laterSynNanos == null) {
                    f.laterSynNanos = new long[MAX_SYNS - 1];
                }
                f.laterSynNanos[f.syns - 1] = nanos;
            }
            f.syns++;
        }
        if (length > 0) {
            me.lastPayloadNanos = nanos;
            me.payloadBytes += length;
        }
        if ((flags & TcpSegment.FIN) != 0 && me.firstFinNanos < 0) {
            me.firstFinNanos = nanos;
            me.peerPayloadAtFin = peer.payloadBytes;
        }
        if (kind == SegmentKind.RETRANSMISSION && !syn && (length > 0 || (flags & TcpSegment.FIN) != 0)) {
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
                if (me.zeroSinceNanos < 0) {
                    me.zeroSinceNanos = nanos;
                }
            } else if (me.zeroSinceNanos >= 0) {
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
