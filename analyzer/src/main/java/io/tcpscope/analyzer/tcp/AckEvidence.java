package io.tcpscope.analyzer.tcp;

import static io.tcpscope.analyzer.reassembly.SeqNum.ge;
import static io.tcpscope.analyzer.reassembly.SeqNum.gt;


import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.tcp.Cause.Detail;
import io.tcpscope.analyzer.tcp.Transition.Basis;

/**
 * Inference rules on an ACK field: what its sender {@code e} had received when it sent it
 * (state-machine.md §1-2): the peer's SYN, the peer's FIN (seen or missed), bytes the
 * capture never saw, and what the ACK implies about the peer's own handshake.
 */
final class AckEvidence {
    private AckEvidence() {
    }

    static void process(Connection c, Endpoint e, Endpoint p, TcpSegment s, long frame, long nanos) {
        int ack = s.ack;
        boolean syn = s.has(TcpSegment.SYN);
        if (!e.ackSent() || gt(ack, e.highestAck)) {
            e.highestAck = ack;
        }
        e.ackSent(true);

        if (coversMissedSynAck(e, p, syn)) {
            impliedSynAck(c, p, ack - 1, frame, nanos);
        }
        // The peer's SYN is covered: E had its SYN (or SYN-ACK).
        if (p.synSent() && !e.receivedPeerSyn() && ge(ack, p.isn() + 1)) {
            e.receivedPeerSyn(true);
            if (!syn && e.synSent() && e.bareSyns() == 1 && p.synAcks() <= 1) {
                // One SYN, at most one SYN-ACK: SYN to this ACK is one round trip.
                e.handshakeRttNanos(nanos - e.firstSynNanos);
            }
            if (!syn && e.state() == TcpState.SYN_SENT) {
                // It got the SYN-ACK when the last copy before this ACK arrived.
                long at = p.lastSynNanos() > 0 ? Math.max(e.stateSinceNanos(), Math.min(nanos, p.lastSynNanos())) : nanos;
                EndpointMachine.apply(c, e, TcpEvent.RECV_SYN_ACK, Detail.ACKED_IN, frame, 0, frame, at,
                        Basis.EVIDENCE);
            }
        }

        if (acksPickupProbe(p, ack)) {
            // Picked up mid-stream through a zero-length segment that the peer ACKs one past:
            // that was a keepalive probe (seq = SND.UNA - 1, Linux), not a missed FIN.
            p.sent.start(ack);
            p.rare().keepalives++;
            c.flag(ConnectionFlag.KEEPALIVE);
        }
        if (p.sent.started()) {
            p.streamAnchored(true);
        }
        if (p.finSent()) {
            if (!e.receivedPeerFin() && ge(ack, p.r().finSeq + 1)) {
                FinRules.receiveFin(c, e, p, frame, nanos, Basis.EVIDENCE, Detail.ACKED_IN, frame, 0);
            }
        } else if (acksMissedFin(p, ack, syn)) {
            // state-machine.md §2: the ACK covers one sequence number past everything P was
            // seen to send. Only a SYN, data or a FIN consume sequence space: a FIN we missed.
            boolean answered = FinRules.missedFinAnsweredOurs(e, p, nanos);
            if (answered) {
                // P had E's FIN before it sent its own (passive close), and its FIN ACKed it.
                FinRules.deliverEarlierFin(c, p, e, frame, nanos);
            }
            FinRules.inferFin(c, p, p.sent.highestEnd(), frame, nanos, Detail.FIN_IMPLIED_BY_ACK);
            if (answered) {
                p.finCarriedAck(true);
                p.rare().finAck = e.r().finSeq + 1;
            }
            FinRules.receiveFin(c, e, p, frame, nanos, Basis.EVIDENCE, Detail.ACKED_IN, frame, 0);
        }

        if (p.sent.started()) {
            long missed = p.sent.acknowledged(ack);
            if (missed > 0) {
                c.flag(ConnectionFlag.CAPTURE_LOSS);
            }
        }
        if (acksDataOfSynSent(e, p, ack)) {
            // E acknowledges data P sent: P sends data only once it has E's SYN-ACK.
            p.receivedPeerSyn(true);
            EndpointMachine.apply(c, p, TcpEvent.RECV_SYN_ACK, Detail.PEER_ACKED_DATA, frame, 0, frame, nanos,
                    Basis.EVIDENCE);
        }
        if (e.state() == TcpState.SYN_RECEIVED && e.synSent() && p.synSent() && gt(ack, p.isn() + 1)) {
            // E acknowledges data from P, and P's data segments carry the ACK of E's SYN.
            e.ourSynAcked(true);
            EndpointMachine.apply(c, e, TcpEvent.RECV_ACK_OF_SYN, Detail.ACKED_PEER_DATA, frame, 0, frame, nanos,
                    Basis.EVIDENCE);
        }
    }

    /**
     * In SYN_SENT an endpoint sends nothing but SYNs until it has the peer's SYN-ACK (RFC 9293
     * §3.10.7.3): an ACK without SYN from it covers a SYN-ACK the capture never saw.
     */
    static boolean coversMissedSynAck(Endpoint e, Endpoint p, boolean syn) {
        return !p.synSent() && e.state() == TcpState.SYN_SENT && !syn;
    }

    /**
     * A segment with an ACK but no SYN from an endpoint with no state in this incarnation (no
     * SYN or SYN-ACK of its own, seen or implied) to a peer in SYN-SENT whose SYN it does not
     * acknowledge: an older socket's on this 4-tuple (a TIME_WAIT or LAST_ACK socket answering
     * the new SYN with an ACK of the old sequence space: Linux tcp_timewait_state_process
     * TCP_TW_ACK; a synchronized one's challenge ACK, RFC 5961 §4). To the SYN-SENT peer it is an
     * unacceptable ACK (RFC 9293 §3.10.7.3; Linux tcp_rcv_synsent_state_process: reset_and_undo),
     * and it says nothing about either stream of this incarnation.
     */
    static boolean fromOlderSocket(Endpoint e, Endpoint p, TcpSegment s) {
        return s.has(TcpSegment.ACK) && !s.has(TcpSegment.SYN) && !s.has(TcpSegment.RST)
                && e.state() == TcpState.NONE && !e.synSent() && !e.synAckSent()
                && p.state() == TcpState.SYN_SENT && p.synSent() && s.ack != p.isn() + 1;
    }

    /**
     * E's ACK lies beyond P's SYN while P is in SYN-SENT: P sent data, so it had E's SYN-ACK,
     * provided E holds this connection (it answered P's SYN, seen or implied). From an endpoint
     * with no state in this incarnation the ACK is an older socket's on the same 4-tuple (a
     * TIME_WAIT's ACK of the old sequence space, Linux tcp_timewait_state_process TCP_TW_ACK;
     * a challenge ACK, RFC 5961 §4): to P in SYN-SENT an unacceptable ACK (RFC 9293 §3.10.7.3,
     * SEG.ACK > SND.NXT), never a SYN-ACK.
     */
    static boolean acksDataOfSynSent(Endpoint e, Endpoint p, int ack) {
        return p.synSent() && !p.synAckSent() && p.state() == TcpState.SYN_SENT && gt(ack, p.isn() + 1)
                && (e.synAckSent() || e.synSent());
    }

    /** The ACK is one past a stream picked up through a zero-length segment: that segment was a keepalive. */
    static boolean acksPickupProbe(Endpoint p, int ack) {
        return !p.streamAnchored() && p.sent.started() && !p.finSent() && ack == p.sent.highestEnd() + 1;
    }

    /** The ACK (no SYN) covers one past everything {@code p} sent, from a state that can send a FIN. */
    static boolean acksMissedFin(Endpoint p, int ack, boolean syn) {
        return !p.finSent() && p.sent.started() && !syn && ack == p.sent.highestEnd() + 1
                && SegmentClassifier.canSendFin(p.state());
    }

    /** The peer's SYN-ACK was not captured; the endpoint's ACK shows it was sent with this ISN. */
    private static void impliedSynAck(Connection c, Endpoint p, int isn, long frame, long nanos) {
        p.recordFirstSyn(isn, frame, nanos);
        p.synAckSent(true);
        c.flag(ConnectionFlag.SYN_ACK_NOT_SEEN);
        if (p.state() == TcpState.NONE) {
            EndpointMachine.apply(c, p, TcpEvent.LISTENING, Detail.SYN_ACK_ACKED, 0, 0, frame, nanos, Basis.EVIDENCE);
            EndpointMachine.apply(c, p, TcpEvent.SEND_SYN_ACK, Detail.SYN_ACK_IMPLIED, 0, 0, frame, nanos,
                    Basis.EVIDENCE);
        }
    }
}
