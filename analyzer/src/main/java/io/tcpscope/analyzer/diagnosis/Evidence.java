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

    /** The facts of one connection; index 0 is the client, 1 the server. */
    public static final class Facts {
        final long[] lastPayloadNanos = {-1, -1};
        final long[] firstFinNanos = {-1, -1};
        /** Payload bytes the peer had sent when this side sent its first FIN. */
        final long[] peerPayloadAtFin = {0, 0};
        final long[] payloadBytes = {0, 0};
        // the first RST
        int rstSender = -1;
        boolean rstHadAck;
        boolean rstDelivered;
        long rstNanos;
        long rstFrame;
        long rstPeerLastNanos = -1;
        long rstPeerPayloadBefore;
        long rstOwnLastPayloadNanos = -1;
        long rstPeerLastPayloadNanos = -1;
        int rsts;
        // the client's bare SYNs
        final long[] synNanos = new long[MAX_SYNS];
        int syns;
        // resends of data or FIN: backoff between consecutive resends of one segment
        final long[] lastResendSeq = {-1, -1};
        final long[] lastResendNanos = {-1, -1};
        final int[] resendsOfSegment = {0, 0};
        final int[] worstResendsOfSegment = {0, 0};
        final long[] worstBackoffNanos = {0, 0};
        final long[] resends = {0, 0};
        // zero windows advertised by each side
        final long[] zeroSinceNanos = {-1, -1};
        final long[] longestZeroNanos = {0, 0};
        final long[] longestZeroSinceNanos = {-1, -1};

        private static int i(Endpoint.Role r) {
            return r == Endpoint.Role.CLIENT ? 0 : 1;
        }

        public long lastPayloadNanos(Endpoint.Role r) {
            return lastPayloadNanos[i(r)];
        }

        public long firstFinNanos(Endpoint.Role r) {
            return firstFinNanos[i(r)];
        }

        /** Whether the peer of {@code r} sent payload after {@code r}'s first FIN. */
        public boolean peerDataAfterFin(Endpoint.Role r) {
            int k = i(r);
            return firstFinNanos[k] >= 0 && payloadBytes[1 - k] > peerPayloadAtFin[k];
        }

        /** Who sent the first RST, or null. */
        public Endpoint.Role rstSender() {
            return rstSender < 0 ? null : rstSender == 0 ? Endpoint.Role.CLIENT : Endpoint.Role.SERVER;
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
            return synNanos[k];
        }

        public long resends(Endpoint.Role r) {
            return resends[i(r)];
        }

        /** Longest interval between two consecutive resends of one segment by {@code r}. */
        public long worstBackoffNanos(Endpoint.Role r) {
            return worstBackoffNanos[i(r)];
        }

        /** Most resends of one segment in a row. */
        public int worstResendsOfSegment(Endpoint.Role r) {
            return worstResendsOfSegment[i(r)];
        }

        /** Since when {@code r} advertises a zero window, or -1. */
        public long zeroSinceNanos(Endpoint.Role r) {
            return zeroSinceNanos[i(r)];
        }

        /** The longest zero-window period of {@code r} that ended (a window opened again). */
        public long longestZeroNanos(Endpoint.Role r) {
            return longestZeroNanos[i(r)];
        }

        public long longestZeroSinceNanos(Endpoint.Role r) {
            return longestZeroSinceNanos[i(r)];
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
        int k = sender == Endpoint.Role.CLIENT ? 0 : 1;
        boolean syn = (flags & TcpSegment.SYN) != 0;
        boolean ack = (flags & TcpSegment.ACK) != 0;
        if ((flags & TcpSegment.RST) != 0) {
            f.rsts++;
            if (f.rstSender < 0) {
                f.rstSender = k;
                f.rstHadAck = ack;
                f.rstDelivered = delivered;
                f.rstNanos = nanos;
                f.rstFrame = frame;
                f.rstPeerLastNanos = c.endpoint(k == 0 ? Endpoint.Role.SERVER : Endpoint.Role.CLIENT).lastSendNanos();
                f.rstPeerPayloadBefore = f.payloadBytes[1 - k];
                f.rstOwnLastPayloadNanos = f.lastPayloadNanos[k];
                f.rstPeerLastPayloadNanos = f.lastPayloadNanos[1 - k];
            }
            return;
        }
        if (syn && !ack && k == 0) {
            if (f.syns < MAX_SYNS) {
                f.synNanos[f.syns] = nanos;
            }
            f.syns++;
        }
        if (length > 0) {
            f.lastPayloadNanos[k] = nanos;
            f.payloadBytes[k] += length;
        }
        if ((flags & TcpSegment.FIN) != 0 && f.firstFinNanos[k] < 0) {
            f.firstFinNanos[k] = nanos;
            f.peerPayloadAtFin[k] = f.payloadBytes[1 - k];
        }
        if (kind == SegmentKind.RETRANSMISSION && !syn && (length > 0 || (flags & TcpSegment.FIN) != 0)) {
            f.resends[k]++;
            if (relSeq >= 0 && relSeq == f.lastResendSeq[k]) {
                f.resendsOfSegment[k]++;
                f.worstBackoffNanos[k] = Math.max(f.worstBackoffNanos[k], nanos - f.lastResendNanos[k]);
            } else {
                f.resendsOfSegment[k] = 1;
            }
            f.worstResendsOfSegment[k] = Math.max(f.worstResendsOfSegment[k], f.resendsOfSegment[k]);
            f.lastResendSeq[k] = relSeq;
            f.lastResendNanos[k] = nanos;
        }
        if (!syn) {
            if (window == 0 && ack) {
                if (f.zeroSinceNanos[k] < 0) {
                    f.zeroSinceNanos[k] = nanos;
                }
            } else if (f.zeroSinceNanos[k] >= 0) {
                long d = nanos - f.zeroSinceNanos[k];
                if (d > f.longestZeroNanos[k]) {
                    f.longestZeroNanos[k] = d;
                    f.longestZeroSinceNanos[k] = f.zeroSinceNanos[k];
                }
                f.zeroSinceNanos[k] = -1;
            }
        }
    }
}
