package io.tcpscope.analyzer.tcp;

/**
 * Why an endpoint entered a state: the table cell that moved it ({@code event} in
 * {@code from}), a {@link Detail} saying what showed it, and the detail's numeric arguments
 * (evidence frames, milliseconds). A value: reports render it to text
 * ({@code report/CauseText}); the tracker never builds strings.
 *
 * @param event  the row of {@link TcpTransitions}
 * @param from   the state the endpoint left (the column)
 * @param detail what showed it
 * @param a      the detail's first argument (see {@link Detail}), else 0
 * @param b      the detail's second argument, else 0
 */
public record Cause(TcpEvent event, TcpState from, Detail detail, long a, long b) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;


    /**
     * What showed the transition. Suffix details add to the cell's label; replacing ones
     * (marked so) name an inference whose text stands instead of the label.
     */
    public enum Detail {
        /** The cell's label alone: the endpoint was seen doing it. */
        NONE,
        /** Taken as delivered with frame {@code a}. */
        FRAME,
        /** The receiver ACKed it in frame {@code a}. */
        ACKED_IN,
        /** The peer ACKed data the endpoint sent, in frame {@code a} (so it had the SYN-ACK). */
        PEER_ACKED_DATA,
        /** The endpoint ACKed the peer's data in frame {@code a} (which carried the ACK of its SYN). */
        ACKED_PEER_DATA,
        /** The endpoint sent data in frame {@code a} (data waits for ESTABLISHED). */
        SENT_DATA,
        /** The peer's SYN-ACK of frame {@code a} crossed ours (simultaneous open). */
        CROSSED_SYN_ACK,
        /** The ACK was carried by the peer's FIN of frame {@code a}. */
        CARRIED_BY_FIN,
        /** The peer's FIN of frame {@code a} is taken to arrive before frame {@code b}. */
        FIN_BEFORE,
        /** TIME_WAIT's length on Linux (TCP_TIMEWAIT_LEN). */
        LINUX_TIME_WAIT,
        /** SYN_SENT's give-up time on Linux (tcp_syn_retries). */
        LINUX_SYN_RETRIES,
        /** SYN_RECEIVED's give-up time on Linux (tcp_synack_retries). */
        LINUX_SYNACK_RETRIES,
        /** Resends stopped after frame {@code a}; the next was due {@code b} ms after it. */
        RESENDS_STOPPED,
        /** It answered the peer's SYN with a SYN-ACK. */
        ANSWERED_SYN,
        /** Its SYN-ACK (not captured) was ACKed. */
        SYN_ACK_ACKED,
        /** Replacing: a RST answering a SYN, from a port with no listener. */
        RST_TO_SYN,
        /** Replacing: the peer ACKed a FIN the capture missed. */
        FIN_IMPLIED_BY_ACK,
        /** Replacing: the next sequence number shows a FIN the capture missed. */
        FIN_IMPLIED_BY_SEQ,
        /** Replacing: the peer ACKed a SYN-ACK the capture missed. */
        SYN_ACK_IMPLIED,
        /** Replacing: its SYN was not captured, the peer's SYN-ACK shows it. */
        SYN_IMPLIED,
        /**
         * Contradiction (an {@link Endpoint#inconsistency()}, not a transition): the cell's event
         * cannot happen in the state it held (an IMPOSSIBLE cell), shown by frame {@code a}.
         */
        IMPOSSIBLE_EVENT,
        /** Contradiction: it sent new data or a first FIN in frame {@code a} while CLOSED, with nothing to take back. */
        SENT_WHILE_CLOSED,
        /** Contradiction: a SYN with another ISN in frame {@code a} on a live incarnation (the engine did not split it). */
        SYN_OTHER_ISN,
        /** Contradiction: a FIN at another sequence number than its first FIN's, in frame {@code a}. */
        FIN_OTHER_SEQ
    }
}
