package io.tcpscope.analyzer.tcp;

import static io.tcpscope.analyzer.reassembly.SeqNum.ge;
import static io.tcpscope.analyzer.tcp.EndpointMachine.apply;

import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.tcp.Cause.Detail;
import io.tcpscope.analyzer.tcp.Transition.Basis;

/** A SYN or SYN-ACK sent: opens, resends, simultaneous open, and the listener it shows. */
final class SynRules {
    private SynRules() {
    }

    static void processSyn(Connection c, Endpoint e, Endpoint p, TcpSegment s, long frame, long nanos) {
        if (s.windowScale >= 0) {
            e.windowScale = (short) s.windowScale;
        }
        boolean synAck = s.has(TcpSegment.ACK);
        e.noteSyn(frame, nanos);
        if (synAck) {
            e.countSynAck();
        } else {
            e.countBareSyn();
        }
        if (e.synSent() && s.seq == e.isn()) {
            e.countSyn();
            if (synAck ? e.synAcks() > 1 : e.bareSyns() > 1) {
                c.flag(ConnectionFlag.SYN_RETRANSMITTED);
            }
            if (synAck && !e.synAckSent()) {
                // Our SYN first, then a SYN-ACK with the same ISN: we got the peer's SYN.
                e.synAckSent(true);
                apply(c, e, TcpEvent.SEND_SYN_ACK, Detail.NONE, 0, 0, frame, nanos, Basis.SEEN);
                if (e.ourSynAcked()) {
                    // The peer's SYN-ACK crossed ours on the wire; it arrives after our SYN-ACK left.
                    apply(c, e, TcpEvent.RECV_ACK_OF_SYN, Detail.CROSSED_SYN_ACK, e.ourSynAckedFrame, 0, frame, nanos,
                            Basis.ASSUMED);
                }
            } else if (synAck && e.ourSynAcked() && e.retractTentative()) {
                // The ACK of our SYN-ACK never arrived: the handshake completes later.
                e.ourSynAcked(false);
            }
            return;
        }
        if (e.synSent()) {
            // A SYN with another ISN on a live incarnation; the flow table starts new
            // incarnations, so this one contradicts what we know.
            c.flag(ConnectionFlag.INCONSISTENT);
            e.noteContradiction(synAck ? TcpEvent.SEND_SYN_ACK : TcpEvent.SEND_SYN, Detail.SYN_OTHER_ISN, frame, nanos);
            // Not a resend, unless it repeats the previous other ISN; only counted when it
            // added to synRetransmissions() (its kind's count beyond the first).
            Endpoint.Rare rare = e.rare();
            if ((synAck ? e.synAcks() : e.bareSyns()) > 1 && !(rare.otherIsnSeen && s.seq == rare.otherIsn)) {
                rare.otherIsnSyns++;
            }
            rare.otherIsn = s.seq;
            rare.otherIsnSeen = true;
            return;
        }
        e.recordFirstSyn(s.seq, frame, nanos);
        if (!synAck) {
            if (p.synSent()) {
                c.flag(ConnectionFlag.SIMULTANEOUS_OPEN);
            }
            apply(c, e, TcpEvent.SEND_SYN, Detail.NONE, 0, 0, frame, nanos, Basis.SEEN);
            return;
        }
        e.synAckSent(true);
        if (p.synSent() && ge(s.ack, p.isn() + 1)) {
            e.receivedPeerSyn(true);
        }
        if (e.state() == TcpState.NONE) {
            // Answering a SYN with SYN-ACK means it was listening when the SYN arrived.
            long listenFrame = p.synSent() ? p.firstSynFrame : frame;
            long listenNanos = p.synSent() ? p.firstSynNanos : nanos;
            apply(c, e, TcpEvent.LISTENING, Detail.ANSWERED_SYN, 0, 0, listenFrame, listenNanos, Basis.EVIDENCE);
        }
        apply(c, e, TcpEvent.SEND_SYN_ACK, Detail.NONE, 0, 0, frame, nanos, Basis.SEEN);
    }
}
