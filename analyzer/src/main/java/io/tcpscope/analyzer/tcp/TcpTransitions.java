package io.tcpscope.analyzer.tcp;

import static io.tcpscope.analyzer.tcp.TcpState.CLOSED;
import static io.tcpscope.analyzer.tcp.TcpState.CLOSE_WAIT;
import static io.tcpscope.analyzer.tcp.TcpState.CLOSING;
import static io.tcpscope.analyzer.tcp.TcpState.ESTABLISHED;
import static io.tcpscope.analyzer.tcp.TcpState.FIN_WAIT_1;
import static io.tcpscope.analyzer.tcp.TcpState.FIN_WAIT_2;
import static io.tcpscope.analyzer.tcp.TcpState.LAST_ACK;
import static io.tcpscope.analyzer.tcp.TcpState.LISTEN;
import static io.tcpscope.analyzer.tcp.TcpState.SYN_RECEIVED;
import static io.tcpscope.analyzer.tcp.TcpState.SYN_SENT;
import static io.tcpscope.analyzer.tcp.TcpState.TIME_WAIT;

import java.util.EnumMap;
import java.util.Map;

/**
 * The endpoint state machine as a table: {@code (event, state) -> (next state, reason)}.
 * A missing cell means the event does not change that state (a retransmission, or a
 * segment that state ignores). Every cell cites RFC 9293 or says where Linux differs, so
 * it can be checked line by line. Guards (does this ACK cover our FIN? is the RST in
 * window?) live in {@link ConnectionTracker}, next to the evidence.
 */
public final class TcpTransitions {

    /** One cell: where the endpoint goes and why. */
    public record Cell(TcpState next, String reason) {
    }

    private static final Map<TcpEvent, Map<TcpState, Cell>> TABLE = new EnumMap<>(TcpEvent.class);

    private static void cell(TcpEvent event, TcpState from, TcpState to, String reason) {
        TABLE.computeIfAbsent(event, e -> new EnumMap<>(TcpState.class)).put(from, new Cell(to, reason));
    }

    static {
        // --- opening: RFC 9293 §3.5, §3.10.1 (OPEN), §3.10.7.2/3 (SEGMENT ARRIVES)
        cell(TcpEvent.SEND_SYN, CLOSED, SYN_SENT, "sent SYN");                                  // §3.10.1 active OPEN
        cell(TcpEvent.SEND_SYN_ACK, LISTEN, SYN_RECEIVED, "sent SYN-ACK");                      // §3.10.7.2 SYN in LISTEN
        cell(TcpEvent.SEND_SYN_ACK, SYN_SENT, SYN_RECEIVED,
                "sent SYN-ACK: received peer's SYN (simultaneous open)");                       // §3.10.7.3 SYN, no ACK, in SYN-SENT
        cell(TcpEvent.RECV_SYN_ACK, SYN_SENT, ESTABLISHED, "received SYN-ACK");                 // §3.10.7.3 ACK acceptable + SYN
        cell(TcpEvent.RECV_ACK_OF_SYN, SYN_RECEIVED, ESTABLISHED, "received ACK of our SYN");   // §3.10.7.4 fifth, SYN-RECEIVED
        // Simultaneous open: our SYN_SENT SYN acknowledged by the peer's SYN-ACK when we had
        // not yet seen its SYN. Linux handles it the same way (tcp_rcv_synsent_state_process).
        cell(TcpEvent.RECV_ACK_OF_SYN, SYN_SENT, ESTABLISHED, "received SYN-ACK");             // §3.10.7.3

        // --- closing: RFC 9293 §3.6, §3.10.4 (CLOSE), §3.10.7.4 (fifth: ACK, eighth: FIN)
        cell(TcpEvent.SEND_FIN, ESTABLISHED, FIN_WAIT_1, "sent FIN");                           // §3.10.4 CLOSE in ESTABLISHED
        cell(TcpEvent.SEND_FIN, SYN_RECEIVED, FIN_WAIT_1, "sent FIN");                          // §3.10.4 CLOSE in SYN-RECEIVED
        cell(TcpEvent.SEND_FIN, CLOSE_WAIT, LAST_ACK, "sent FIN");                              // §3.10.4 CLOSE in CLOSE-WAIT
        cell(TcpEvent.RECV_ACK_OF_FIN, FIN_WAIT_1, FIN_WAIT_2, "peer ACKed our FIN");           // §3.10.7.4 FIN-WAIT-1
        cell(TcpEvent.RECV_ACK_OF_FIN, CLOSING, TIME_WAIT, "peer ACKed our FIN");               // §3.10.7.4 CLOSING
        cell(TcpEvent.RECV_ACK_OF_FIN, LAST_ACK, CLOSED, "peer ACKed our FIN");                 // §3.10.7.4 LAST-ACK
        cell(TcpEvent.RECV_FIN, SYN_RECEIVED, CLOSE_WAIT, "received FIN");                      // §3.10.7.4 eighth
        cell(TcpEvent.RECV_FIN, ESTABLISHED, CLOSE_WAIT, "received FIN");                       // §3.10.7.4 eighth
        // FIN while our own FIN is unacknowledged: the FINs crossed (simultaneous close).
        // When the same segment also ACKs our FIN, the ACK is processed first (fifth step)
        // and we pass through FIN_WAIT_2, which is also what Linux reports.
        cell(TcpEvent.RECV_FIN, FIN_WAIT_1, CLOSING, "received FIN before the ACK of ours (simultaneous close)");
        cell(TcpEvent.RECV_FIN, FIN_WAIT_2, TIME_WAIT, "received FIN");                         // §3.10.7.4 eighth

        // --- resets: RFC 9293 §3.10.7.3/4 first/fourth check, RFC 5961 §3 window check in the tracker
        for (TcpState s : new TcpState[] {SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2,
                CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT, LISTEN}) {
            cell(TcpEvent.SEND_RST, s, CLOSED, "sent RST");                                     // §3.10.7.x: the sender aborts
        }
        cell(TcpEvent.RECV_RST, SYN_SENT, CLOSED, "received RST: connection refused");          // §3.10.7.3 acceptable ACK + RST
        // RFC: a passive SYN-RECEIVED returns to LISTEN; the connection's own TCB is gone
        // (Linux drops the request socket), so this connection's endpoint is CLOSED.
        cell(TcpEvent.RECV_RST, SYN_RECEIVED, CLOSED, "received RST");
        cell(TcpEvent.RECV_RST, ESTABLISHED, CLOSED, "received RST");                           // §3.10.7.4 second check
        cell(TcpEvent.RECV_RST, FIN_WAIT_1, CLOSED, "received RST");
        cell(TcpEvent.RECV_RST, FIN_WAIT_2, CLOSED, "received RST");
        cell(TcpEvent.RECV_RST, CLOSE_WAIT, CLOSED, "received RST");
        cell(TcpEvent.RECV_RST, CLOSING, CLOSED, "received RST");
        cell(TcpEvent.RECV_RST, LAST_ACK, CLOSED, "received RST");
        // RFC 1337 would ignore it; Linux (net.ipv4.tcp_rfc1337 = 0) kills the timewait socket.
        cell(TcpEvent.RECV_RST, TIME_WAIT, CLOSED, "received RST in TIME_WAIT (Linux: tcp_rfc1337=0)");

        // --- timers, on capture time (PASSIVE-INFERENCE §6; Linux values in OsProfile)
        cell(TcpEvent.TIMER_2MSL, TIME_WAIT, CLOSED, "timer: TIME_WAIT expired");               // §3.10.8 time-wait timeout
        cell(TcpEvent.TIMER_RETRIES, SYN_SENT, CLOSED, "timer: SYN retries exhausted");         // §3.8.3 R2 for SYN
        cell(TcpEvent.TIMER_RETRIES, SYN_RECEIVED, CLOSED, "timer: SYN-ACK retries exhausted"); // Linux tcp_synack_retries
        cell(TcpEvent.NEW_INCARNATION, TIME_WAIT, CLOSED,
                "new SYN on this 4-tuple ended TIME_WAIT");                                      // §3.10.7.4 / RFC 6191; Linux reuses the timewait socket
    }

    private TcpTransitions() {
    }

    /** The cell for {@code event} in {@code state}, or {@code null} when the event leaves the state unchanged. */
    public static Cell lookup(TcpEvent event, TcpState state) {
        Map<TcpState, Cell> row = TABLE.get(event);
        return row == null ? null : row.get(state);
    }

    /** Every defined cell, for the table test and the documentation. */
    public static Map<TcpEvent, Map<TcpState, Cell>> cells() {
        return TABLE;
    }
}
