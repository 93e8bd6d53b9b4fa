package io.tcpscope.analyzer.tcp;

import static io.tcpscope.analyzer.reassembly.SeqNum.ge;
import static io.tcpscope.analyzer.reassembly.SeqNum.lt;
import static io.tcpscope.analyzer.tcp.EndpointMachine.apply;

import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.tcp.Cause.Detail;
import io.tcpscope.analyzer.tcp.Transition.Basis;

/** A RST ends its sender at once and, when acceptable to the receiver, the receiver too. */
final class RstRules {
    private RstRules() {
    }

    /**
     * Applies a RST sent by {@code e} to {@code p}.
     *
     * @return whether the receiver is taken to accept it
     */
    static boolean process(Connection c, Endpoint e, Endpoint p, TcpSegment s, long frame, long nanos) {
        c.flag(ConnectionFlag.RESET);
        // RFC 9293 §3.10.7.1: a closed port answers with RST; to a SYN, there was no listener.
        Detail why = e.state() == TcpState.NONE && p.state() == TcpState.SYN_SENT ? Detail.RST_TO_SYN : Detail.NONE;
        apply(c, e, TcpEvent.SEND_RST, why, 0, 0, frame, nanos, Basis.SEEN);
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
            if (inWindow(e, p, s.seq)) {
                apply(c, p, TcpEvent.RECV_RST, Detail.FRAME, frame, 0, frame, nanos, Basis.ASSUMED);
                return true;
            }
            c.flag(ConnectionFlag.RST_IGNORED);
            return false;
        }
        return true;
    }

    /** RFC 9293 §3.10.7.3: in SYN-SENT a RST is acceptable only if it ACKs our SYN. */
    static boolean acceptableInSynSent(Endpoint receiver, TcpSegment s) {
        return s.has(TcpSegment.ACK) && receiver.synSent && s.ack == receiver.isn + 1;
    }

    /**
     * RFC 5961 §3: a RST is accepted when its sequence number is in the receiver's window.
     * The receiver's next expected byte is taken as everything the sender was seen to send
     * (assumed delivered), or what the receiver last acknowledged, whichever is lower.
     */
    static boolean inWindow(Endpoint sender, Endpoint receiver, int seq) {
        if (!sender.sent.started()) {
            return true;
        }
        int expected = sender.sent.highestEnd();
        int low = receiver.ackSent && lt(receiver.highestAck, expected)
                ? receiver.highestAck : expected;
        long window = receiver.lastWindow < 0 ? 65535
                : (long) receiver.lastWindow << Math.max(0, Math.min(14, receiver.windowScale));
        window = Math.max(window, 1);
        return ge(seq, low) && lt(seq, (int) (expected + window));
    }
}
