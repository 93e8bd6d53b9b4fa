package io.tcpscope.analyzer.tcp;

import static io.tcpscope.analyzer.reassembly.SeqNum.ge;
import static io.tcpscope.analyzer.tcp.EndpointMachine.apply;

import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.tcp.Cause.Detail;
import io.tcpscope.analyzer.tcp.Transition.Basis;

/**
 * FINs and their delivery: a FIN sent (seen or implied by sequence space), received (proved
 * by an ACK, or assumed on its way in order), and the ACKs that reach the peer
 * (state-machine.md §1, §4), with the retractions when a resend shows a copy was lost.
 */
final class FinRules {
    private FinRules() {
    }

    /** A FIN sent by {@code e}: its first moves its machine; the same FIN again is a retransmission. */
    static void processFin(Connection c, Endpoint e, Endpoint p, TcpSegment s, long frame, long nanos) {
        int finSeq = (s.has(TcpSegment.SYN) ? s.seq + 1 : s.seq) + s.payloadLength;
        long previousFinFrame = e.r().lastFinFrame;
        if (finSeq == e.r().finSeq || !e.finSent()) {
            e.finCarriedAck(s.has(TcpSegment.ACK));
            e.rare().finAck = s.ack;
            e.rare().lastFinNanos = nanos;
        }
        if (!e.finSent()) {
            e.recordFirstFin(finSeq, frame);
            e.rare().firstFinNanos = nanos;
            if (p.finSent() && !e.receivedPeerFin()) {
                c.flag(ConnectionFlag.SIMULTANEOUS_CLOSE);
            }
            apply(c, e, TcpEvent.SEND_FIN, Detail.NONE, 0, 0, frame, nanos, Basis.SEEN);
            return;
        }
        if (finSeq == e.r().finSeq) {
            e.rare().lastFinFrame = frame;
            c.flag(ConnectionFlag.RETRANSMISSIONS);
            if (e.ourFinAcked() && e.retractTentative()) {
                // It sends its FIN again: the ACK we took as delivered never reached it.
                e.ourFinAcked(false);
            }
            if (!p.receivedPeerFin() && p.ourFinAcked() && p.tentativeFrame() == previousFinFrame
                    && p.retractTentative()) {
                // The peer never showed it got the previous copy, and a segment's ACK arrives
                // with its FIN or not at all: what that copy's ACK did to the peer is taken back
                // and happens again when this copy is taken as delivered.
                p.ourFinAcked(false);
            }
        } else {
            c.flag(ConnectionFlag.INCONSISTENT);
            e.noteContradiction(TcpEvent.SEND_FIN, Detail.FIN_OTHER_SEQ, frame, nanos);
        }
    }

    /** A FIN of {@code p} at {@code finSeq} that the capture missed, shown by {@code detail}'s evidence. */
    static void inferFin(Connection c, Endpoint p, int finSeq, long frame, long nanos, Detail detail) {
        p.recordFirstFin(finSeq, frame);
        p.finInferred(true);
        p.finCarriedAck(false);
        p.sent.add(finSeq, 1);
        c.flag(ConnectionFlag.FIN_NOT_SEEN);
        apply(c, p, TcpEvent.SEND_FIN, detail, 0, 0, frame, nanos, Basis.EVIDENCE);
    }

    /**
     * Whether a FIN of {@code p} that the capture missed, proved by {@code e}'s ACK at
     * {@code ackNanos}, answered {@code e}'s own FIN (a passive close: P had E's FIN, so its FIN
     * segment ACKed it, RFC 9293 §3.10.7.4 / Linux sends every FIN with the ACK of all it
     * received) rather than crossing it. FINs cross only when P sent its FIN before E's arrived,
     * and then E ACKs P's FIN less than one round trip after E's FIN passed the capture point
     * (at any vantage: the two legs of the round trip add up). So a gap of at least
     * {@link #ANSWER_RTT_FRACTION} of the handshake's round trip (or no round trip known: a
     * crossing is never assumed without evidence, docs/passive-inference.md §3) is an answer.
     */
    static boolean missedFinAnsweredOurs(Endpoint e, Endpoint p, long ackNanos) {
        if (!e.finSent() || e.finInferred() || e.r().firstFinNanos <= 0) {
            return false;
        }
        long rtt = e.handshakeRttNanos() > 0 ? e.handshakeRttNanos() : p.handshakeRttNanos();
        return rtt <= 0 || ackNanos - e.r().firstFinNanos >= (long) (rtt * ANSWER_RTT_FRACTION);
    }

    /** Part of a round trip below which a gap cannot hold one (delayed ACKs only lengthen it; jitter shortens it). */
    static final double ANSWER_RTT_FRACTION = 0.75;

    /** {@code receiver} gets {@code sender}'s FIN (and first the ACK that FIN segment carried). */
    static void receiveFin(Connection c, Endpoint receiver, Endpoint sender, long frame, long nanos,
                           Basis basis, Detail detail, long a, long b) {
        if (basis == Basis.EVIDENCE && !sender.finInferred() && sender.r().lastFinNanos > 0) {
            // The ACK proves the FIN arrived; it arrived with the last copy sent before the ACK
            // (a delayed ACK can follow by tens of milliseconds).
            nanos = Math.max(receiver.stateSinceNanos(), Math.min(nanos, sender.r().lastFinNanos));
        }
        if (finAlsoAckedOurs(receiver, sender)) {
            // The FIN segment also ACKed the receiver's FIN; a segment's ACK is processed
            // before its FIN (RFC 9293 §3.10.7.4 fifth, then eighth): FIN_WAIT_2, never CLOSING.
            receiver.ourFinAcked(true);
            apply(c, receiver, TcpEvent.RECV_ACK_OF_FIN, Detail.CARRIED_BY_FIN, sender.r().lastFinFrame, 0, frame, nanos,
                    basis == Basis.EVIDENCE ? Basis.EVIDENCE : Basis.ASSUMED);
        }
        receiver.receivedPeerFin(true);
        if (receiver.finSent() && !receiver.ourFinAcked()) {
            c.flag(ConnectionFlag.SIMULTANEOUS_CLOSE);
        }
        apply(c, receiver, TcpEvent.RECV_FIN, detail, a, b, frame, nanos, basis);
    }

    /** The peer's (seen) FIN segment carried an ACK covering the receiver's own FIN. */
    static boolean finAlsoAckedOurs(Endpoint receiver, Endpoint sender) {
        return receiver.finSent() && !receiver.ourFinAcked() && sender.finCarriedAck()
                && ge(sender.r().finAck, receiver.r().finSeq + 1);
    }

    /**
     * In-order delivery: a FIN that {@code sender} sent in an earlier frame reaches
     * {@code receiver} before anything sent after it.
     */
    static void deliverEarlierFin(Connection c, Endpoint receiver, Endpoint sender, long frame, long nanos) {
        // The copy that counts is the last one sent before this frame: a FIN sent again in
        // this very segment arrives with it, ACK first (RFC 9293 §3.10.7.4 fifth, then eighth).
        if (sender.finSent() && !receiver.receivedPeerFin() && sender.r().lastFinFrame < frame) {
            receiveFin(c, receiver, sender, frame, nanos, Basis.ASSUMED, Detail.FIN_BEFORE, sender.r().lastFinFrame, frame);
        }
    }

    /**
     * What {@code p} receives with an ACK from {@code e}: an ACK of its SYN or FIN is taken as
     * delivered (P cannot ACK an ACK), unless P behaves as if it gets nothing.
     *
     * @return whether the segment is taken as delivered
     */
    static boolean deliverAck(Connection c, Endpoint e, Endpoint p, int ack, long frame, long nanos) {
        if (p.notReceiving()) {
            return false;
        }
        if (p.synSent() && !p.ourSynAcked() && ge(ack, p.isn() + 1)) {
            p.ourSynAcked(true);
            p.ourSynAckedFrame = frame;
            if (p.state() == TcpState.SYN_RECEIVED) {
                apply(c, p, TcpEvent.RECV_ACK_OF_SYN, Detail.FRAME, frame, 0, frame, nanos, Basis.ASSUMED);
            }
        }
        if (p.finSent() && !p.ourFinAcked() && ge(ack, p.r().finSeq + 1)) {
            deliverEarlierFin(c, p, e, frame, nanos);
            p.ourFinAcked(true);
            apply(c, p, TcpEvent.RECV_ACK_OF_FIN, Detail.FRAME, frame, 0, frame, nanos, Basis.ASSUMED);
        }
        return true;
    }
}
