package io.tcpscope.analyzer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tcpscope.analyzer.tcp.Cause;
import io.tcpscope.analyzer.tcp.Cause.Detail;
import io.tcpscope.analyzer.tcp.TcpEvent;
import io.tcpscope.analyzer.tcp.TcpState;
import io.tcpscope.analyzer.tcp.TcpTransitions;
import org.junit.jupiter.api.Test;

/** The cause texts are a contract (JSON `cause`, timeline CAUSE): each detail's rendering, literally. */
class CauseTextTest {

    private static String text(TcpEvent e, TcpState from, Detail d, long a, long b) {
        return CauseText.of(new Cause(e, from, d, a, b));
    }

    @Test
    void suffixDetailsFollowTheCellsLabel() {
        assertEquals("sent FIN", text(TcpEvent.SEND_FIN, TcpState.ESTABLISHED, Detail.NONE, 0, 0));
        assertEquals("peer ACKed our FIN (frame 15)", text(TcpEvent.RECV_ACK_OF_FIN, TcpState.FIN_WAIT_1, Detail.FRAME, 15, 0));
        assertEquals("received FIN (ACKed it in frame 15)", text(TcpEvent.RECV_FIN, TcpState.FIN_WAIT_2, Detail.ACKED_IN, 15, 0));
        assertEquals("received SYN-ACK (implied: peer ACKed data it sent, frame 7)",
                text(TcpEvent.RECV_SYN_ACK, TcpState.SYN_SENT, Detail.PEER_ACKED_DATA, 7, 0));
        assertEquals("received ACK of our SYN (implied: it ACKed the peer's data in frame 8)",
                text(TcpEvent.RECV_ACK_OF_SYN, TcpState.SYN_RECEIVED, Detail.ACKED_PEER_DATA, 8, 0));
        assertEquals("received ACK of our SYN (implied: it sent data in frame 9)",
                text(TcpEvent.RECV_ACK_OF_SYN, TcpState.SYN_RECEIVED, Detail.SENT_DATA, 9, 0));
        assertEquals("received ACK of our SYN (peer's SYN-ACK of frame 3)",
                text(TcpEvent.RECV_ACK_OF_SYN, TcpState.SYN_RECEIVED, Detail.CROSSED_SYN_ACK, 3, 0));
        assertEquals("peer ACKed our FIN (carried by peer's FIN of frame 12)",
                text(TcpEvent.RECV_ACK_OF_FIN, TcpState.FIN_WAIT_1, Detail.CARRIED_BY_FIN, 12, 0));
        assertEquals("received FIN (assumed: peer's FIN of frame 12 arrived before frame 14)",
                text(TcpEvent.RECV_FIN, TcpState.ESTABLISHED, Detail.FIN_BEFORE, 12, 14));
        assertEquals("timer: TIME_WAIT expired (Linux: 60 s)",
                text(TcpEvent.TIMER_2MSL, TcpState.TIME_WAIT, Detail.LINUX_TIME_WAIT, 0, 0));
        assertEquals("timer: SYN retries exhausted (Linux tcp_syn_retries=6: 127 s)",
                text(TcpEvent.TIMER_RETRIES, TcpState.SYN_SENT, Detail.LINUX_SYN_RETRIES, 0, 0));
        assertEquals("timer: SYN-ACK retries exhausted (Linux tcp_synack_retries=5: 63 s)",
                text(TcpEvent.TIMER_RETRIES, TcpState.SYN_RECEIVED, Detail.LINUX_SYNACK_RETRIES, 0, 0));
        assertEquals("timer: gave up, SYN-ACK resends stopped after frame 40 (next due by +16000 ms)",
                text(TcpEvent.RESENDS_STOPPED, TcpState.SYN_RECEIVED, Detail.RESENDS_STOPPED, 40, 16000));
        assertEquals("listening (answered the SYN with SYN-ACK)",
                text(TcpEvent.LISTENING, TcpState.NONE, Detail.ANSWERED_SYN, 0, 0));
        assertEquals("listening (implied: its SYN-ACK was ACKed)",
                text(TcpEvent.LISTENING, TcpState.NONE, Detail.SYN_ACK_ACKED, 0, 0));
        assertEquals("new SYN on this 4-tuple ended TIME_WAIT (frame 30)",
                text(TcpEvent.NEW_INCARNATION, TcpState.TIME_WAIT, Detail.FRAME, 30, 0));
    }

    @Test
    void inferencesStandInsteadOfTheLabel() {
        assertEquals("sent RST to SYN: no listener", text(TcpEvent.SEND_RST, TcpState.NONE, Detail.RST_TO_SYN, 0, 0));
        assertEquals("sent RST: no connection", text(TcpEvent.SEND_RST, TcpState.NONE, Detail.NONE, 0, 0));
        assertEquals("implied: peer ACKed a FIN the capture missed",
                text(TcpEvent.SEND_FIN, TcpState.ESTABLISHED, Detail.FIN_IMPLIED_BY_ACK, 0, 0));
        assertEquals("implied by sequence number: FIN not captured",
                text(TcpEvent.SEND_FIN, TcpState.CLOSE_WAIT, Detail.FIN_IMPLIED_BY_SEQ, 0, 0));
        assertEquals("implied: peer ACKed a SYN-ACK the capture missed",
                text(TcpEvent.SEND_SYN_ACK, TcpState.LISTEN, Detail.SYN_ACK_IMPLIED, 0, 0));
        assertEquals("implied: its SYN was not captured (SYN-ACK seen)",
                text(TcpEvent.SEND_SYN, TcpState.NONE, Detail.SYN_IMPLIED, 0, 0));
        assertEquals("assumed: mid-stream (no handshake captured)",
                text(TcpEvent.MIDSTREAM, TcpState.NONE, Detail.NONE, 0, 0));
        assertEquals("no segment from it shows a connection", text(TcpEvent.CAPTURE_END, TcpState.NONE, Detail.NONE, 0, 0));
    }

    @Test
    void everyChangeCellRendersWithEveryDetail() {
        for (TcpEvent e : TcpEvent.values()) {
            for (TcpState s : TcpState.values()) {
                if (TcpTransitions.lookup(e, s).kind() != TcpTransitions.Kind.CHANGE) {
                    continue;
                }
                for (Detail d : Detail.values()) {
                    String t = text(e, s, d, 1, 2);
                    assertFalse(t.isBlank() || t.contains("null"), e + " " + s + " " + d + ": " + t);
                }
            }
        }
    }
}
