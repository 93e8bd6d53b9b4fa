package io.tcpscope.analyzer.report;

import io.tcpscope.analyzer.tcp.Cause;
import io.tcpscope.analyzer.tcp.TcpTransitions;

/**
 * Renders a transition's {@link Cause} as the text of the JSON Lines {@code cause} field and
 * the timeline's CAUSE column (a contract: scripts match these strings). The cell's label
 * ({@link TcpTransitions.Cell#label()}) says what happened; the detail adds how the capture
 * showed it, or, for an inference, stands instead of the label.
 */
public final class CauseText {
    private CauseText() {
    }

    public static String of(Cause c) {
        String label = TcpTransitions.lookup(c.event(), c.from()).label();
        switch (c.detail()) {
            case NONE:
                return label;
            case FRAME:
                return label + " (frame " + c.a() + ")";
            case ACKED_IN:
                return label + " (ACKed it in frame " + c.a() + ")";
            case PEER_ACKED_DATA:
                return label + " (implied: peer ACKed data it sent, frame " + c.a() + ")";
            case ACKED_PEER_DATA:
                return label + " (implied: it ACKed the peer's data in frame " + c.a() + ")";
            case SENT_DATA:
                return label + " (implied: it sent data in frame " + c.a() + ")";
            case CROSSED_SYN_ACK:
                return label + " (peer's SYN-ACK of frame " + c.a() + ")";
            case CARRIED_BY_FIN:
                return label + " (carried by peer's FIN of frame " + c.a() + ")";
            case FIN_BEFORE:
                return label + " (assumed: peer's FIN of frame " + c.a() + " arrived before frame " + c.b() + ")";
            case LINUX_TIME_WAIT:
                return label + " (Linux: 60 s)";
            case LINUX_SYN_RETRIES:
                return label + " (Linux tcp_syn_retries=6: 127 s)";
            case LINUX_SYNACK_RETRIES:
                return label + " (Linux tcp_synack_retries=5: 63 s)";
            case RESENDS_STOPPED:
                return label + " resends stopped after frame " + c.a() + " (next due by +" + c.b() + " ms)";
            case ANSWERED_SYN:
                return label + " (answered the SYN with SYN-ACK)";
            case SYN_ACK_ACKED:
                return label + " (implied: its SYN-ACK was ACKed)";
            case RST_TO_SYN:
                return "sent RST to SYN: no listener";
            case FIN_IMPLIED_BY_ACK:
                return "implied: peer ACKed a FIN the capture missed";
            case FIN_IMPLIED_BY_SEQ:
                return "implied by sequence number: FIN not captured";
            case SYN_ACK_IMPLIED:
                return "implied: peer ACKed a SYN-ACK the capture missed";
            case SYN_IMPLIED:
                return "implied: its SYN was not captured (SYN-ACK seen)";
            case IMPOSSIBLE_EVENT:
                return "contradiction: " + c.event() + " cannot happen in " + c.from() + " (frame " + c.a() + ")";
            case SENT_WHILE_CLOSED:
                return "contradiction: new data or FIN while CLOSED (frame " + c.a() + ")";
            case SYN_OTHER_ISN:
                return "contradiction: SYN with another ISN on a live connection (frame " + c.a() + ")";
            case FIN_OTHER_SEQ:
                return "contradiction: FIN at another sequence number than its first (frame " + c.a() + ")";
        }
        throw new AssertionError(c.detail());
    }
}
