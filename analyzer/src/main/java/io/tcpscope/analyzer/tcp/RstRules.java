package io.tcpscope.analyzer.tcp;

import static io.tcpscope.analyzer.reassembly.SeqNum.ge;
import static io.tcpscope.analyzer.reassembly.SeqNum.gt;
import static io.tcpscope.analyzer.reassembly.SeqNum.le;
import static io.tcpscope.analyzer.reassembly.SeqNum.lt;
import static io.tcpscope.analyzer.tcp.EndpointMachine.apply;

import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.tcp.Cause.Detail;
import io.tcpscope.analyzer.tcp.Transition.Basis;

/**
 * A RST ends its sender at once and, when acceptable to the receiver, the receiver too; a RST
 * that cannot be its claimed sender's (docs/passive-inference.md §8) ends nobody but, maybe,
 * the receiver. The receiver's acceptance follows Linux (net/ipv4/tcp_input.c):
 * <ul>
 *   <li>SYN-SENT: only with an acceptable ACK (RFC 9293 §3.10.7.3; tcp_rcv_synsent_state_process);</li>
 *   <li>SYN-RECEIVED: anywhere in the window (a request socket checks tcp_in_window in
 *       tcp_check_req, no RFC 5961 there);</li>
 *   <li>synchronized states: RFC 5961 §3.2 as tcp_validate_incoming applies it: seq exactly
 *       RCV.NXT resets; in the window but not exact draws a challenge ACK and is ignored;
 *       outside the window it is dropped silently (tcp_sequence fails, a RST gets no ACK);
 *       and tcp_reset_check also accepts RCV.NXT - 1 in CLOSE-WAIT, LAST-ACK and CLOSING (the
 *       peer's FIN was received: a peer that lost its state resets with the FIN's number).</li>
 * </ul>
 * The capture does not show RCV.NXT; it lies between what the receiver last ACKed and
 * everything the sender was seen to send (more when the receiver ACKed bytes the capture
 * missed): a RST at either end of that range, or inside it, is taken as exact.
 */
final class RstRules {
    private RstRules() {
    }

    /**
     * Applies a RST sent by {@code e} to {@code p}.
     *
     * @return whether the receiver is taken to accept it
     */
    static boolean process(Connection c, Endpoint e, Endpoint p, TcpSegment s, long frame, long nanos, OsProfile profile) {
        c.flag(ConnectionFlag.RESET);
        if (repliesToUnacceptableAck(e, p, s)) {
            // RFC 9293 §3.10.7.3: in SYN-SENT an unacceptable ACK is answered <SEQ=SEG.ACK><CTL=RST>,
            // the segment discarded, and the state kept (Linux tcp_rcv_synsent_state_process:
            // reset_and_undo). The ACK came from an older socket on this 4-tuple (a TIME_WAIT's
            // old-sequence ACK), which that RST may kill; this endpoint resends its SYN.
            return false;
        }
        if (refusesHandshakeAck(e, p, s) && e.retractTentative()) {
            // Linux tcp_check_req → listen_overflow with tcp_abort_on_overflow = 1: the accept
            // queue was full, the final ACK made no child socket and was answered with a RST
            // (seq = SEG.ACK): the ACK taken as delivered never established this endpoint.
            e.ourSynAcked(false);
        }
        if (profile.linuxResets() && notItsOwnSeq(e, p, s.seq)) {
            // Below the SND.NXT it was seen to reach and none of the numbers a Linux stack puts
            // in a RST: another host sent it with this endpoint's address (§8).
            c.flag(ConnectionFlag.FORGED_RST);
        } else {
            // RFC 9293 §3.10.7.1: a closed port answers with RST; to a SYN, there was no listener.
            Detail why = e.state() == TcpState.NONE && p.state() == TcpState.SYN_SENT ? Detail.RST_TO_SYN : Detail.NONE;
            apply(c, e, TcpEvent.SEND_RST, why, 0, 0, frame, nanos, Basis.SEEN);
        }
        TcpState ps = p.state();
        if (ps == TcpState.SYN_SENT) {
            if (acceptableInSynSent(p, s)) {
                c.flag(ConnectionFlag.REFUSED);
                apply(c, p, TcpEvent.RECV_RST, Detail.FRAME, frame, 0, frame, nanos, Basis.ASSUMED);
                return true;
            }
            c.flag(ConnectionFlag.RST_IGNORED);
            return false;
        }
        if (ps != TcpState.NONE && ps != TcpState.CLOSED && ps != TcpState.LISTEN) {
            FinRules.deliverEarlierFin(c, p, e, frame, nanos);
            boolean accepted = p.state() == TcpState.SYN_RECEIVED ? inWindow(e, p, s.seq) : acceptedByLinux(e, p, s.seq);
            if (accepted) {
                apply(c, p, TcpEvent.RECV_RST, Detail.FRAME, frame, 0, frame, nanos, Basis.ASSUMED);
                return true;
            }
            c.flag(ConnectionFlag.RST_IGNORED);
            return false;
        }
        return true;
    }

    /**
     * A passive opener, ESTABLISHED only by the handshake ACK taken as delivered (tentative),
     * that has sent nothing since its SYN-ACK and ACKed none of the peer's data (a socket that
     * closes with unread data has ACKed it) and now sends a RST at ISS + 1: the listener's
     * answer to that ACK when its accept queue is full and tcp_abort_on_overflow = 1 (Linux
     * tcp_check_req: listen_overflow → embryonic_reset, a RST with seq = SEG.ACK). The request
     * never became a connection: it leaves from SYN-RECEIVED.
     */
    static boolean refusesHandshakeAck(Endpoint e, Endpoint p, TcpSegment s) {
        return e.state() == TcpState.ESTABLISHED && e.synAckSent() && !e.activeOpener() && e.ourSynAcked()
                && e.tentativeFrame() > 0 && e.sent.highestEnd() == e.isn() + 1 && s.seq == e.isn() + 1
                && p.synSent() && !(e.ackSent() && gt(e.highestAck, p.isn() + 1));
    }

    /** RFC 9293 §3.10.7.3: in SYN-SENT a RST is acceptable only if it ACKs our SYN. */
    static boolean acceptableInSynSent(Endpoint receiver, TcpSegment s) {
        return s.has(TcpSegment.ACK) && receiver.synSent() && s.ack == receiver.isn() + 1;
    }

    /**
     * A RST from {@code e} in SYN-SENT, without ACK, whose sequence number is the ACK of the
     * peer's last segment, which did not acknowledge {@code e}'s SYN: the RFC's reply to an
     * unacceptable ACK (RFC 9293 §3.10.7.3 "If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset
     * <SEQ=SEG.ACK><CTL=RST>"), not an ABORT (which in SYN-SENT sends nothing, §3.10.5; Linux's
     * tcp_disconnect likewise, tcp_need_reset).
     */
    static boolean repliesToUnacceptableAck(Endpoint e, Endpoint p, TcpSegment s) {
        return e.state() == TcpState.SYN_SENT && e.synSent() && !s.has(TcpSegment.ACK) && p.lastAckSeen()
                && s.seq == p.lastAck && p.lastAck != e.isn() + 1;
    }

    /**
     * Whether a RST from {@code e} carries a sequence number no Linux stack would give it: below
     * the SND.NXT it was seen to reach, and neither the ACK of the peer's last segment (a
     * no-socket reply, tcp_v4_send_reset / tcp_v6_send_reset: seq = SEG.ACK) nor the right edge
     * of the peer's window when that is below SND.NXT (tcp_send_active_reset →
     * tcp_acceptable_seq: SND.NXT, or the window's end when the window shrank). Above SND.NXT
     * says nothing: data the capture missed may lie there.
     */
    static boolean notItsOwnSeq(Endpoint e, Endpoint p, int seq) {
        if (!e.sent.started() || !e.synSent() || e.state() == TcpState.NONE || e.state() == TcpState.CLOSED
                || !p.lastAckSeen()) {
            return false;
        }
        int sndNxt = e.sent.highestEnd();
        if (!lt(seq, sndNxt) || seq == p.lastAck) {
            return false;
        }
        long window = p.lastWindow() < 0 ? 0 : (long) p.lastWindow() << Math.max(0, Math.min(14, p.windowScale));
        int windowEnd = (int) (p.lastAck + window);
        return !(lt(windowEnd, sndNxt) && seq == windowEnd);
    }

    /**
     * RFC 5961 §3.2 as Linux applies it in a synchronized state (tcp_validate_incoming): the RST
     * resets only at RCV.NXT (taken as anywhere from what the receiver last ACKed to what the
     * sender was seen to send), or at RCV.NXT - 1 in CLOSE-WAIT, LAST-ACK or CLOSING
     * (tcp_reset_check: the FIN's own number). Anything else draws a challenge ACK (in window)
     * or nothing (outside it) and changes no state.
     */
    static boolean acceptedByLinux(Endpoint sender, Endpoint receiver, int seq) {
        if (!sender.sent.started()) {
            return true;
        }
        int lo = sender.sent.highestEnd();
        int hi = lo;
        if (receiver.ackSent()) {
            if (lt(receiver.highestAck, lo)) {
                lo = receiver.highestAck;
            }
            if (gt(receiver.highestAck, hi)) {
                hi = receiver.highestAck;
            }
        }
        if (ge(seq, lo) && le(seq, hi)) {
            return true;
        }
        return resetCheck(sender, receiver, seq);
    }

    /** Linux tcp_reset_check: seq = RCV.NXT - 1 after the peer's FIN, in CLOSE-WAIT, LAST-ACK or CLOSING. */
    static boolean resetCheck(Endpoint sender, Endpoint receiver, int seq) {
        TcpState s = receiver.state();
        return (s == TcpState.CLOSE_WAIT || s == TcpState.LAST_ACK || s == TcpState.CLOSING)
                && receiver.receivedPeerFin() && sender.finSent() && seq == sender.r().finSeq;
    }

    /**
     * A segment from {@code e}, which its own RST closed, that only a live socket sends: an ACK
     * continuing its sequence space (at its SND.NXT, or new data, or a first FIN, or a keepalive
     * probe). A Linux host with no socket answers everything with RST (tcp_v4_send_reset), so
     * the RST was not its own (docs/passive-inference.md §8).
     */
    static boolean contradictsOwnReset(Endpoint e, TcpSegment s, long nanos) {
        if (s.has(TcpSegment.RST) || s.has(TcpSegment.SYN) || !s.has(TcpSegment.ACK) || !e.sent.started()
                || !e.lastIsOwnReset()) {
            return false;
        }
        if (SegmentClassifier.advancesStream(e, s)) {
            return true;
        }
        int nxt = e.sent.highestEnd();
        if (s.seq != nxt && s.seq != nxt - 1) {
            return false;
        }
        // A segment sent before the RST can still come after it as the capture's own copy (two
        // taps merged; IPv6 has no ID to tell): it must ACK something new, or come later than a copy can.
        return (e.ackSent() && gt(s.ack, e.highestAck)) || nanos - e.stateSinceNanos() > DuplicateFilter.WINDOW_NANOS;
    }

    /**
     * RFC 5961 §3 window check, used for a request socket (SYN-RECEIVED): a RST is accepted when
     * its sequence number is in the receiver's window. The receiver's next expected byte is
     * taken as everything the sender was seen to send (assumed delivered), or what the receiver
     * last acknowledged, whichever is lower.
     */
    static boolean inWindow(Endpoint sender, Endpoint receiver, int seq) {
        if (!sender.sent.started()) {
            return true;
        }
        int expected = sender.sent.highestEnd();
        int low = receiver.ackSent() && lt(receiver.highestAck, expected)
                ? receiver.highestAck : expected;
        long window = receiver.lastWindow() < 0 ? 65535
                : (long) receiver.lastWindow() << Math.max(0, Math.min(14, receiver.windowScale));
        window = Math.max(window, 1);
        return ge(seq, low) && lt(seq, (int) (expected + window));
    }
}
