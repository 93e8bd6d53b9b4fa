package io.tcpscope.analyzer.tcp;

/**
 * What happened to one endpoint, as far as the capture can tell: the rows of
 * {@link TcpTransitions}. Sending is seen directly; receiving is known from evidence (an ACK
 * that covers a segment, a reaction) or assumed (a packet on its way is delivered unless
 * later evidence says otherwise). The last rows are the inferences that start or end a
 * machine without a segment of its own (docs/state-machine.md).
 */
public enum TcpEvent {
    /** The endpoint sent a SYN without ACK (active open, or a retransmission). */
    SEND_SYN,
    /** The endpoint sent a SYN-ACK: it had received the peer's SYN. */
    SEND_SYN_ACK,
    /** The endpoint received the peer's SYN-ACK (its ACK covers the peer's SYN). */
    RECV_SYN_ACK,
    /** The endpoint received an ACK covering its SYN (handshake completed for the passive side). */
    RECV_ACK_OF_SYN,
    /** The endpoint sent a FIN. */
    SEND_FIN,
    /** The endpoint received an ACK covering its FIN. */
    RECV_ACK_OF_FIN,
    /** The endpoint received the peer's FIN. */
    RECV_FIN,
    /** The endpoint sent a RST. */
    SEND_RST,
    /** The endpoint accepted an in-window RST from the peer. */
    RECV_RST,
    /** TIME_WAIT's 2MSL timer ran out on capture time. */
    TIMER_2MSL,
    /** The endpoint's SYN or SYN-ACK retries ran out on capture time. */
    TIMER_RETRIES,
    /** A new SYN on the same 4-tuple replaced this connection. */
    NEW_INCARNATION,
    /**
     * It sent a SYN with another ISN on this 4-tuple: a new attempt, so the socket of its
     * earlier one is gone (applied to the old incarnation's endpoint; see
     * {@link ConnectionTracker#startsNewIncarnation}).
     */
    NEW_ATTEMPT,
    /** Evidence that it had a listener: it answered a SYN with a SYN-ACK, or its SYN-ACK was ACKed. */
    LISTENING,
    /** The connection was picked up mid-stream: no handshake captured, both sides assumed synchronized. */
    MIDSTREAM,
    /** It resent its SYN (SYN-ACK), then fell silent for longer than its backoff allows: it gave up. */
    RESENDS_STOPPED,
    /** Its one SYN-ACK was a SYN cookie: it kept no state (applied after its timeline is retracted). */
    SYN_COOKIE,
    /** The capture ended; an endpoint whose machine never started is taken as CLOSED. */
    CAPTURE_END
}
