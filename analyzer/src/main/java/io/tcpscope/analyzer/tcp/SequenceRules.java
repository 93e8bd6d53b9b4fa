package io.tcpscope.analyzer.tcp;

import static io.tcpscope.analyzer.reassembly.SeqNum.gt;
import static io.tcpscope.analyzer.tcp.EndpointMachine.apply;

import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.reassembly.HalfStream;
import io.tcpscope.analyzer.tcp.Cause.Detail;
import io.tcpscope.analyzer.tcp.Transition.Basis;

/**
 * The sender's sequence space: probes, data, retransmissions, a FIN missed by sequence
 * number, and the advertised window. Classification is {@link SegmentClassifier}'s; this
 * class applies what each class implies.
 */
final class SequenceRules {
    private SequenceRules() {
    }

    /** Places the segment in {@code e}'s stream and applies what that shows; returns its class. */
    static SegmentKind processSequence(Connection c, Endpoint e, Endpoint p, TcpSegment s, long frame, long nanos) {
        boolean syn = s.has(TcpSegment.SYN);
        boolean fin = s.has(TcpSegment.FIN);
        int dataStart = syn ? s.seq + 1 : s.seq;
        int len = s.payloadLength;
        HalfStream stream = e.sent;
        if (!stream.started()) {
            stream.start(dataStart);
        }
        if (SegmentClassifier.isProbe(stream, syn, fin, s.seq, len)) {
            if (p.lastWindow() == 0) {
                e.rare().zeroWindowProbes++;
                c.flag(ConnectionFlag.ZERO_WINDOW_PROBE);
                return SegmentKind.ZERO_WINDOW_PROBE;
            }
            e.rare().keepalives++;
            c.flag(ConnectionFlag.KEEPALIVE);
            return SegmentKind.KEEPALIVE;
        }
        if (SegmentClassifier.isNewByteProbe(stream, syn, fin, s.seq, len, p.lastWindow())) {
            e.rare().zeroWindowProbes++;
            c.flag(ConnectionFlag.ZERO_WINDOW_PROBE);
        }
        if (SegmentClassifier.missedFinBySequence(e, syn, fin, s.seq)) {
            FinRules.inferFin(c, e, stream.highestEnd(), frame, nanos, Detail.FIN_IMPLIED_BY_SEQ);
        }
        if (len > 0 && !syn && e.state() == TcpState.SYN_RECEIVED && e.synAckSent()) {
            // RFC 9293 §3.10.2: in SYN-RECEIVED data is queued until ESTABLISHED; sending it proves
            // the handshake's ACK arrived.
            e.ourSynAcked(true);
            apply(c, e, TcpEvent.RECV_ACK_OF_SYN, Detail.SENT_DATA, frame, 0, frame, nanos, Basis.EVIDENCE);
        }
        if (len > 0 && p.finSent() && e.receivedPeerFin() && !e.finSent()) {
            c.flag(ConnectionFlag.HALF_CLOSE);
        }
        if (len > 0 || fin) {
            e.streamAnchored(true);
        }
        HalfStream.SegmentClass cls = stream.add(dataStart, len + (fin ? 1 : 0));
        if (cls == HalfStream.SegmentClass.RETRANSMISSION && (len > 0 || (fin && e.finSent()))) {
            c.flag(ConnectionFlag.RETRANSMISSIONS);
            recordResend(e, dataStart, frame, nanos);
            if (len > 0 && peerGotNothing(e, p) && p.retractTentative()) {
                // E sends its data again and P has never ACKed any of it: P behaves as if it got
                // nothing from E, so the handshake ACK we took as delivered never reached it
                // either (state-machine.md §4). Data segments carry that ACK too: when one gets
                // through, the handshake completes then.
                p.ourSynAcked(false);
                p.notReceiving(true);
            }
        }
        return SegmentClassifier.kindOf(cls);
    }

    /**
     * One more resend of the data or FIN at {@code seq}: the retransmission timer resends the
     * first unacknowledged segment, so a series is the resends of one sequence number, and
     * another number starts a new series (a tail-loss probe of the last segment, then the
     * timer's resends of the first).
     */
    static void recordResend(Endpoint e, int seq, long frame, long nanos) {
        if (e.r().resends == 0 || seq != e.r().resendSeq) {
            e.rare().resendSeq = seq;
            e.rare().resends = 0;
            e.rare().firstResendNanos = nanos;
            e.rare().previousResendNanos = 0;
        } else {
            e.rare().previousResendNanos = e.r().lastResendNanos;
        }
        e.rare().resends++;
        e.rare().lastResendNanos = nanos;
        e.rare().lastResendFrame = frame;
    }

    /**
     * The passive side {@code p} reached ESTABLISHED on an assumed handshake ACK and has never
     * ACKed any of {@code e}'s data, which {@code e} now resends.
     */
    static boolean peerGotNothing(Endpoint e, Endpoint p) {
        return p.state() == TcpState.ESTABLISHED && p.synAckSent() && p.tentativeFrame() > 0
                && !(p.ackSent() && gt(p.highestAck, e.isn() + 1));
    }

    /** Its advertised window, and since when it is zero. */
    static void trackWindow(Connection c, Endpoint e, TcpSegment s, long nanos) {
        if (s.has(TcpSegment.SYN)) {
            e.lastWindow(s.window);
            return;
        }
        if (s.window == 0) {
            if (e.r().zeroWindowSinceNanos < 0) {
                e.rare().zeroWindowSinceNanos = nanos;
            }
            c.flag(ConnectionFlag.ZERO_WINDOW);
        } else if (e.r().zeroWindowSinceNanos >= 0) {
            e.rare().zeroWindowSinceNanos = -1;
        }
        e.lastWindow(s.window);
    }
}
