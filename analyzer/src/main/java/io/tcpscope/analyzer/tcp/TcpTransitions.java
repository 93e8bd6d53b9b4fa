package io.tcpscope.analyzer.tcp;

import static io.tcpscope.analyzer.tcp.TcpState.CLOSED;
import static io.tcpscope.analyzer.tcp.TcpState.CLOSE_WAIT;
import static io.tcpscope.analyzer.tcp.TcpState.CLOSING;
import static io.tcpscope.analyzer.tcp.TcpState.ESTABLISHED;
import static io.tcpscope.analyzer.tcp.TcpState.FIN_WAIT_1;
import static io.tcpscope.analyzer.tcp.TcpState.FIN_WAIT_2;
import static io.tcpscope.analyzer.tcp.TcpState.LAST_ACK;
import static io.tcpscope.analyzer.tcp.TcpState.LISTEN;
import static io.tcpscope.analyzer.tcp.TcpState.NONE;
import static io.tcpscope.analyzer.tcp.TcpState.SYN_RECEIVED;
import static io.tcpscope.analyzer.tcp.TcpState.SYN_SENT;
import static io.tcpscope.analyzer.tcp.TcpState.TIME_WAIT;

/**
 * The endpoint state machine as a table: every {@code (event, state)} pair has a
 * {@link Cell} saying what happens and why, with the RFC 9293 section or the Linux
 * behaviour it follows (docs/state-machine.md explains the kinds). A cell either
 * {@link Kind#CHANGE changes} the state, leaves it {@link Kind#IGNORED unchanged} (the
 * segment or event means nothing to that state), or is {@link Kind#IMPOSSIBLE}: the event
 * presupposes something the state rules out, so reaching it says the capture (or the
 * tracker) contradicts itself. Guards (does this ACK cover our FIN? is the RST in the
 * window?) are code in the tracker's rules, next to the evidence; the table is the only
 * place that says where a state goes.
 *
 * <p>Size: {@value #EVENTS} events x {@value #STATES} states.
 */
public final class TcpTransitions {

    /** What a cell does. */
    public enum Kind {
        /** The endpoint enters {@link Cell#next()}. */
        CHANGE,
        /** The event leaves the state as it is (RFC 9293 drops the segment, or it repeats something). */
        IGNORED,
        /** The event cannot happen in this state; reaching it flags the connection INCONSISTENT. */
        IMPOSSIBLE
    }

    /**
     * One cell.
     *
     * @param kind   what it does
     * @param next   the state after the event (the same state unless {@link Kind#CHANGE})
     * @param label  for a change, the cause as the timeline prints it; {@code null} otherwise
     * @param reason why, with the RFC 9293 section or the Linux behaviour it follows
     */
    public record Cell(Kind kind, TcpState next, String label, String reason) {
    }

    static final int EVENTS = 18;
    static final int STATES = 12;

    private static final Cell[][] TABLE = new Cell[TcpEvent.values().length][TcpState.values().length];

    private static void change(TcpEvent event, TcpState from, TcpState to, String label, String reason) {
        put(event, from, new Cell(Kind.CHANGE, to, label, reason));
    }

    private static void ignored(TcpEvent event, String reason, TcpState... states) {
        for (TcpState s : states) {
            put(event, s, new Cell(Kind.IGNORED, s, null, reason));
        }
    }

    private static void impossible(TcpEvent event, String reason, TcpState... states) {
        for (TcpState s : states) {
            put(event, s, new Cell(Kind.IMPOSSIBLE, s, null, reason));
        }
    }

    /** Every state of the row not yet given a cell gets this kind and reason. */
    private static void rest(TcpEvent event, Kind kind, String reason) {
        for (TcpState s : TcpState.values()) {
            if (TABLE[event.ordinal()][s.ordinal()] == null) {
                put(event, s, new Cell(kind, s, null, reason));
            }
        }
    }

    private static void put(TcpEvent event, TcpState from, Cell cell) {
        if (TABLE[event.ordinal()][from.ordinal()] != null) {
            throw new IllegalStateException("two cells for " + event + " in " + from);
        }
        TABLE[event.ordinal()][from.ordinal()] = cell;
    }

    static {
        // --- opening: RFC 9293 §3.5, §3.10.1 (OPEN), §3.10.7.2/3 (SEGMENT ARRIVES)
        change(TcpEvent.SEND_SYN, NONE, SYN_SENT, "sent SYN", "RFC 9293 §3.10.1 active OPEN: a new TCB sends its SYN");
        change(TcpEvent.SEND_SYN, CLOSED, SYN_SENT, "sent SYN", "RFC 9293 §3.10.1 active OPEN from CLOSED");
        ignored(TcpEvent.SEND_SYN, "RFC 9293 §3.8.1: a SYN again from SYN-SENT is a retransmission", SYN_SENT);
        ignored(TcpEvent.SEND_SYN, "RFC 9293 §3.10.1 lets OPEN turn a LISTEN active; Linux never does"
                + " (a listening socket does not connect)", LISTEN);
        rest(TcpEvent.SEND_SYN, Kind.IGNORED, "RFC 9293 §3.10.7.4 fourth, RFC 5961 §4: a SYN on a synchronized"
                + " connection is answered with a challenge ACK and changes nothing; a new ISN is a new incarnation");

        change(TcpEvent.SEND_SYN_ACK, LISTEN, SYN_RECEIVED, "sent SYN-ACK", "RFC 9293 §3.10.7.2: SYN in LISTEN");
        change(TcpEvent.SEND_SYN_ACK, SYN_SENT, SYN_RECEIVED, "sent SYN-ACK: received peer's SYN (simultaneous open)",
                "RFC 9293 §3.10.7.3: SYN without ACK in SYN-SENT");
        impossible(TcpEvent.SEND_SYN_ACK, "RFC 9293 §3.10.7.2: a SYN-ACK shows a listener; the tracker records"
                + " LISTEN (LISTENING) before it",
                NONE);
        ignored(TcpEvent.SEND_SYN_ACK, "RFC 9293 §3.8.1: a SYN-ACK again from SYN-RECEIVED is a retransmission",
                SYN_RECEIVED);
        ignored(TcpEvent.SEND_SYN_ACK, "RFC 9293 §3.10.7.1: a CLOSED endpoint has no TCB to answer from", CLOSED);
        rest(TcpEvent.SEND_SYN_ACK, Kind.IGNORED, "RFC 9293 §3.10.7.4 (Linux tcp_check_req): a synchronized endpoint"
                + " resends its SYN-ACK to a retransmitted SYN; no change");

        change(TcpEvent.RECV_SYN_ACK, SYN_SENT, ESTABLISHED, "received SYN-ACK",
                "RFC 9293 §3.10.7.3: acceptable ACK and SYN in SYN-SENT");
        impossible(TcpEvent.RECV_SYN_ACK, "no SYN of its own sent: no SYN-ACK can acknowledge one (RFC 9293 §3.10.7.1/2)",
                NONE, LISTEN, CLOSED);
        ignored(TcpEvent.RECV_SYN_ACK, "RFC 9293 §3.10.7.4 fifth: in SYN-RECEIVED the ACK of our SYN is"
                + " RECV_ACK_OF_SYN; the SYN part is a duplicate", SYN_RECEIVED);
        rest(TcpEvent.RECV_SYN_ACK, Kind.IGNORED, "RFC 9293 §3.10.7.4 first check: a duplicate SYN-ACK is ACKed again,"
                + " no change");

        change(TcpEvent.RECV_ACK_OF_SYN, SYN_RECEIVED, ESTABLISHED, "received ACK of our SYN",
                "RFC 9293 §3.10.7.4 fifth: acceptable ACK in SYN-RECEIVED");
        // Simultaneous open: our SYN_SENT SYN acknowledged by the peer's SYN-ACK when we had
        // not yet seen its SYN. Linux handles it the same way (tcp_rcv_synsent_state_process).
        change(TcpEvent.RECV_ACK_OF_SYN, SYN_SENT, ESTABLISHED, "received SYN-ACK",
                "RFC 9293 §3.10.7.3; Linux tcp_rcv_synsent_state_process");
        impossible(TcpEvent.RECV_ACK_OF_SYN, "RFC 9293 §3.10.7.2: no SYN of its own sent, nothing to"
                + " acknowledge (an ACK in LISTEN draws a RST)", NONE, LISTEN);
        ignored(TcpEvent.RECV_ACK_OF_SYN, "RFC 9293 §3.10.7.1: a CLOSED endpoint drops it", CLOSED);
        rest(TcpEvent.RECV_ACK_OF_SYN, Kind.IGNORED, "RFC 9293 §3.10.7.4 fifth: an old ACK (SEG.ACK =< SND.UNA) is"
                + " ignored");

        // --- closing: RFC 9293 §3.6, §3.10.4 (CLOSE), §3.10.7.4 (fifth: ACK, eighth: FIN)
        change(TcpEvent.SEND_FIN, ESTABLISHED, FIN_WAIT_1, "sent FIN", "RFC 9293 §3.10.4: CLOSE in ESTABLISHED");
        change(TcpEvent.SEND_FIN, SYN_RECEIVED, FIN_WAIT_1, "sent FIN", "RFC 9293 §3.10.4: CLOSE in SYN-RECEIVED");
        change(TcpEvent.SEND_FIN, CLOSE_WAIT, LAST_ACK, "sent FIN", "RFC 9293 §3.10.4: CLOSE in CLOSE-WAIT");
        ignored(TcpEvent.SEND_FIN, "RFC 9293 §3.10.4: its FIN was already sent; a FIN again is a retransmission",
                FIN_WAIT_1, FIN_WAIT_2, CLOSING, LAST_ACK, TIME_WAIT);
        ignored(TcpEvent.SEND_FIN, "RFC 9293 §3.10.4: CLOSE in LISTEN or SYN-SENT sends no FIN; Linux drops a"
                + " SYN+FIN; no change", LISTEN, SYN_SENT);
        ignored(TcpEvent.SEND_FIN, "RFC 9293 §3.10.7.1: a CLOSED endpoint has no connection to close", CLOSED);
        ignored(TcpEvent.SEND_FIN, "RFC 9293 §3.10.7.1, no TCB yet (handshake not captured, no mid-stream"
                + " pickup): a FIN alone does not start the machine", NONE);

        change(TcpEvent.RECV_ACK_OF_FIN, FIN_WAIT_1, FIN_WAIT_2, "peer ACKed our FIN",
                "RFC 9293 §3.10.7.4 fifth, FIN-WAIT-1");
        change(TcpEvent.RECV_ACK_OF_FIN, CLOSING, TIME_WAIT, "peer ACKed our FIN", "RFC 9293 §3.10.7.4 fifth, CLOSING");
        change(TcpEvent.RECV_ACK_OF_FIN, LAST_ACK, CLOSED, "peer ACKed our FIN", "RFC 9293 §3.10.7.4 fifth, LAST-ACK");
        ignored(TcpEvent.RECV_ACK_OF_FIN, "RFC 9293 §3.10.7.4 fifth: its FIN is already acknowledged; a duplicate ACK",
                FIN_WAIT_2, TIME_WAIT);
        ignored(TcpEvent.RECV_ACK_OF_FIN, "RFC 9293 §3.10.7.1: a CLOSED endpoint drops it", CLOSED);
        rest(TcpEvent.RECV_ACK_OF_FIN, Kind.IGNORED, "its FIN did not move its machine (sent where SEND_FIN is"
                + " ignored): the ACK of that FIN moves nothing either (RFC 9293 §3.10.7.4 fifth)");

        change(TcpEvent.RECV_FIN, SYN_RECEIVED, CLOSE_WAIT, "received FIN", "RFC 9293 §3.10.7.4 eighth, SYN-RECEIVED");
        change(TcpEvent.RECV_FIN, ESTABLISHED, CLOSE_WAIT, "received FIN", "RFC 9293 §3.10.7.4 eighth, ESTABLISHED");
        // FIN while our own FIN is unacknowledged: the FINs crossed (simultaneous close).
        // When the same segment also ACKs our FIN, the ACK is processed first (fifth step)
        // and we pass through FIN_WAIT_2, which is also what Linux reports.
        change(TcpEvent.RECV_FIN, FIN_WAIT_1, CLOSING, "received FIN before the ACK of ours (simultaneous close)",
                "RFC 9293 §3.10.7.4 eighth, FIN-WAIT-1 (§3.6 simultaneous close)");
        change(TcpEvent.RECV_FIN, FIN_WAIT_2, TIME_WAIT, "received FIN", "RFC 9293 §3.10.7.4 eighth, FIN-WAIT-2");
        ignored(TcpEvent.RECV_FIN, "RFC 9293 §3.10.7.4 eighth: remain in the state (the peer's FIN again)",
                CLOSE_WAIT, CLOSING, LAST_ACK);
        ignored(TcpEvent.RECV_FIN, "RFC 9293 §3.10.7.4 eighth: remain in TIME-WAIT (the RFC restarts the 2 MSL timer;"
                + " tcpscope counts it from entry)", TIME_WAIT);
        ignored(TcpEvent.RECV_FIN, "RFC 9293 §3.10.7.2/3: a FIN in LISTEN or SYN-SENT is dropped", LISTEN, SYN_SENT);
        ignored(TcpEvent.RECV_FIN, "RFC 9293 §3.10.7.1: a CLOSED endpoint drops it", CLOSED);
        ignored(TcpEvent.RECV_FIN, "RFC 9293 §3.10.7.1, no TCB yet: the FIN alone does not start the machine", NONE);

        // --- resets: RFC 9293 §3.10.7.3/4 first/fourth check, RFC 5961 §3 window check in the tracker
        for (TcpState s : new TcpState[] {LISTEN, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2,
                CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT}) {
            change(TcpEvent.SEND_RST, s, CLOSED, "sent RST", "RFC 9293 §3.10.5 ABORT, §3.10.7: the sender of a RST"
                    + " drops its TCB");
        }
        change(TcpEvent.SEND_RST, SYN_SENT, CLOSED, "sent RST", "RFC 9293 §3.10.5: ABORT in SYN-SENT sends no RST"
                + " (Linux tcp_need_reset likewise), so a RST from it is its host answering a SYN-ACK after the"
                + " socket closed; the §3.10.7.3 reply to an unacceptable ACK changes nothing and is not applied"
                + " (RstRules.repliesToUnacceptableAck)");
        change(TcpEvent.SEND_RST, NONE, CLOSED, "sent RST: no connection",
                "RFC 9293 §3.10.7.1: a port with no connection answers with RST");
        ignored(TcpEvent.SEND_RST, "RFC 9293 §3.10.7.1: answering with RST is what a CLOSED endpoint does", CLOSED);

        change(TcpEvent.RECV_RST, SYN_SENT, CLOSED, "received RST: connection refused",
                "RFC 9293 §3.10.7.3: RST with an acceptable ACK in SYN-SENT");
        // RFC: a passive SYN-RECEIVED returns to LISTEN; the connection's own TCB is gone
        // (Linux drops the request socket), so this connection's endpoint is CLOSED.
        change(TcpEvent.RECV_RST, SYN_RECEIVED, CLOSED, "received RST",
                "RFC 9293 §3.10.7.4 second check (the RFC returns a passive open to LISTEN; Linux drops the request"
                        + " socket: this connection is gone)");
        for (TcpState s : new TcpState[] {ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK}) {
            change(TcpEvent.RECV_RST, s, CLOSED, "received RST", "RFC 9293 §3.10.7.4 second check, RFC 5961 §3.2:"
                    + " only at exactly RCV.NXT (Linux tcp_validate_incoming; tcp_reset_check adds RCV.NXT - 1 in"
                    + " CLOSE-WAIT, LAST-ACK, CLOSING); the guard is RstRules.acceptedByLinux");
        }
        // RFC 1337 would ignore it; Linux (net.ipv4.tcp_rfc1337 = 0) kills the timewait socket.
        change(TcpEvent.RECV_RST, TIME_WAIT, CLOSED, "received RST in TIME_WAIT (Linux: tcp_rfc1337=0)",
                "RFC 9293 §3.10.7.4 second check; RFC 1337 would ignore it, Linux tcp_rfc1337=0 does not");
        ignored(TcpEvent.RECV_RST, "RFC 9293 §3.10.7.2 first: an incoming RST is ignored in LISTEN", LISTEN);
        ignored(TcpEvent.RECV_RST, "RFC 9293 §3.10.7.1: an incoming RST is discarded", CLOSED);
        ignored(TcpEvent.RECV_RST, "RFC 9293 §3.10.7.1, no TCB yet: there is no connection for the RST to reset", NONE);

        // --- timers, on capture time (state-machine.md §6; Linux values in OsProfile)
        change(TcpEvent.TIMER_2MSL, TIME_WAIT, CLOSED, "timer: TIME_WAIT expired", "RFC 9293 §3.10.8 time-wait timeout");
        rest(TcpEvent.TIMER_2MSL, Kind.IMPOSSIBLE, "RFC 9293 §3.10.8: the 2 MSL timer runs only in TIME-WAIT");
        change(TcpEvent.TIMER_RETRIES, SYN_SENT, CLOSED, "timer: SYN retries exhausted",
                "RFC 9293 §3.8.3 R2 for a SYN; Linux tcp_syn_retries");
        change(TcpEvent.TIMER_RETRIES, SYN_RECEIVED, CLOSED, "timer: SYN-ACK retries exhausted",
                "Linux tcp_synack_retries (RFC 9293 §3.8.3 R2)");
        rest(TcpEvent.TIMER_RETRIES, Kind.IMPOSSIBLE, "RFC 9293 §3.8.3: only an endpoint waiting for the ACK of its"
                + " SYN retries it");
        change(TcpEvent.NEW_INCARNATION, TIME_WAIT, CLOSED, "new SYN on this 4-tuple ended TIME_WAIT",
                "RFC 9293 §3.10.7.4, RFC 6191; Linux reuses the timewait socket (tcp_timewait_state_process)");
        rest(TcpEvent.NEW_INCARNATION, Kind.IGNORED, "RFC 9293 §3.10.7.4, RFC 6191: only TIME-WAIT is ended by a new"
                + " SYN; any other"
                + " endpoint keeps its last known state in the old incarnation");

        // A 4-tuple is one socket's (Linux __inet_check_established / inet_hash_connect), and a
        // resent SYN keeps its ISN (tcp_retransmit_skb resends the same skb): a SYN with another
        // ISN from the same address and port is a new socket, so the old one was closed.
        change(TcpEvent.NEW_ATTEMPT, SYN_SENT, CLOSED, "new SYN with another ISN: attempt abandoned",
                "RFC 9293 §3.4.1 (a new ISN per connection), §3.8.1 (a resend keeps it); Linux: one socket per"
                        + " 4-tuple, so the earlier attempt's socket was closed (connect timeout, close())");
        for (TcpState s : new TcpState[] {SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING,
                LAST_ACK}) {
            change(TcpEvent.NEW_ATTEMPT, s, CLOSED, "new SYN with another ISN: its state was lost",
                    "RFC 9293 §3.4.1, RFC 5961 §4 (a host that lost its state opens anew on the same 4-tuple);"
                            + " Linux: one socket per 4-tuple, so this one is gone (its RST, if any, not captured)");
        }
        rest(TcpEvent.NEW_ATTEMPT, Kind.IGNORED, "RFC 9293 §3.10.7.2: no socket of this incarnation to end: a listener keeps listening,"
                + " TIME-WAIT ends by NEW_INCARNATION or its timer first, CLOSED and no state stay");

        // --- inferences that start or end a machine without a segment of its own
        change(TcpEvent.LISTENING, NONE, LISTEN, "listening",
                "RFC 9293 §3.10.7.2: only a LISTEN answers a SYN with a SYN-ACK (state-machine.md §3)");
        rest(TcpEvent.LISTENING, Kind.IMPOSSIBLE, "RFC 9293 §3.10.7.2: a listener is inferred only for an"
                + " endpoint with no state yet");
        change(TcpEvent.MIDSTREAM, NONE, ESTABLISHED, "assumed: mid-stream (no handshake captured)",
                "RFC 9293 §3.3.2: data flows only between synchronized endpoints (gopacket/Suricata mid-stream pickup)");
        rest(TcpEvent.MIDSTREAM, Kind.IMPOSSIBLE, "RFC 9293 §3.3.2: a mid-stream pickup starts a new machine,"
                + " never a running one");
        change(TcpEvent.RESENDS_STOPPED, SYN_SENT, CLOSED, "timer: gave up, SYN",
                "RFC 9293 §3.8.3 R2; Linux's SYN backoff at most doubles: silence past it means tcp_syn_retries ran out");
        change(TcpEvent.RESENDS_STOPPED, SYN_RECEIVED, CLOSED, "timer: gave up, SYN-ACK",
                "Linux tcp_synack_retries (fewer for a young request when the SYN queue is full): silence past the"
                        + " backoff means they ran out");
        for (TcpState s : new TcpState[] {ESTABLISHED, CLOSE_WAIT}) {
            change(TcpEvent.RESENDS_STOPPED, s, CLOSED, "timer: gave up, data",
                    "RFC 9293 §3.8.3 R2, RFC 6298 §5.5 backoff; Linux tcp_retries2 (or TCP_USER_TIMEOUT):"
                            + " tcp_write_timeout closes the socket with no segment");
        }
        for (TcpState s : new TcpState[] {FIN_WAIT_1, CLOSING, LAST_ACK}) {
            change(TcpEvent.RESENDS_STOPPED, s, CLOSED, "timer: gave up, data/FIN",
                    "RFC 9293 §3.8.3 R2; Linux tcp_retries2, tcp_orphan_retries for an orphan: tcp_write_timeout"
                            + " closes the socket with no segment");
        }
        rest(TcpEvent.RESENDS_STOPPED, Kind.IMPOSSIBLE, "nothing of its own is unacknowledged in this state:"
                + " no retransmission timer runs (RFC 9293 §3.8.1)");
        change(TcpEvent.SYN_COOKIE, NONE, CLOSED, "SYN-ACK never retransmitted: answered with a SYN cookie, no"
                + " connection state kept (Linux net.ipv4.tcp_syncookies)",
                "Linux tcp_syncookies: a cookie SYN-ACK keeps no request socket and is never retransmitted");
        rest(TcpEvent.SYN_COOKIE, Kind.IMPOSSIBLE, "Linux tcp_syncookies: applied only to a timeline just"
                + " retracted (no state yet)");
        change(TcpEvent.CAPTURE_END, NONE, CLOSED, "no segment from it shows a connection",
                "RFC 9293 §3.3.2: CLOSED is the fictional state of no TCB (state-machine.md §7: assumed)");
        rest(TcpEvent.CAPTURE_END, Kind.IGNORED, "RFC 9293 §3.8: its state is known; timers that ran out are"
                + " their own events");

        for (TcpEvent e : TcpEvent.values()) {
            for (TcpState s : TcpState.values()) {
                if (TABLE[e.ordinal()][s.ordinal()] == null) {
                    throw new IllegalStateException("no cell for " + e + " in " + s);
                }
            }
        }
        if (TcpEvent.values().length != EVENTS || TcpState.values().length != STATES) {
            throw new IllegalStateException("update EVENTS/STATES");
        }
    }

    private TcpTransitions() {
    }

    /** The cell for {@code event} in {@code state}; never {@code null}. */
    public static Cell lookup(TcpEvent event, TcpState state) {
        return TABLE[event.ordinal()][state.ordinal()];
    }
}
