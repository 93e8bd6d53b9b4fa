package io.tcpscope.analyzer.tcp;

/** Facts about a connection worth a word in the report. Names are stable: scripts match them. */
public enum ConnectionFlag {
    /** The capture starts after the handshake: both endpoints assumed ESTABLISHED. */
    MIDSTREAM,
    /** Client and server were guessed (no SYN seen). */
    ROLE_GUESSED,
    /** The SYN was not captured; the SYN-ACK shows it was sent. */
    SYN_NOT_SEEN,
    /** The SYN-ACK was not captured; the client's ACK shows it was sent. */
    SYN_ACK_NOT_SEEN,
    /** Only one direction of the connection was captured (asymmetric routing, a one-way tap). */
    ONE_SIDED,
    /** Both endpoints sent a SYN (RFC 9293 §3.5 simultaneous open). */
    SIMULTANEOUS_OPEN,
    /** The FINs crossed (RFC 9293 §3.6 simultaneous close). */
    SIMULTANEOUS_CLOSE,
    /** One side closed its sending direction while the other kept sending data. */
    HALF_CLOSE,
    /** Some SYN was sent more than once. */
    SYN_RETRANSMITTED,
    /** Data or FIN segments were retransmitted. */
    RETRANSMISSIONS,
    /** The capture holds exact copies of some segments (two taps merged, a mirror port): skipped. */
    DUPLICATES,
    /** The peer acknowledged bytes the capture never saw. */
    CAPTURE_LOSS,
    /** A FIN was never captured; sequence numbers or the peer's ACK show it was sent. */
    FIN_NOT_SEEN,
    /** A RST ended the connection. */
    RESET,
    /** A SYN was answered with RST. */
    REFUSED,
    /** A RST outside the receiver's window was ignored (RFC 5961). */
    RST_IGNORED,
    /**
     * A RST carried an endpoint's address but was not its own: its sequence number is not one
     * its stack would use, or the endpoint went on sending afterwards (forged by a middlebox).
     */
    FORGED_RST,
    /** A receive window of zero was advertised. */
    ZERO_WINDOW,
    /** Keepalive probes were seen. */
    KEEPALIVE,
    /** Zero-window probes were seen. */
    ZERO_WINDOW_PROBE,
    /** A previous connection on the same 4-tuple ended just before this one. */
    PORT_REUSE,
    /** The server answered with a SYN cookie: it kept no state for this SYN. */
    SYN_COOKIE,
    /** Evicted from the flow table before the capture ended (table full). */
    EVICTED,
    /** Segments contradicted the inferred states; see the timeline. */
    INCONSISTENT,
    /**
     * Picked up mid-stream, and all it carried was keepalives, window probes or pure ACKs:
     * consistent with a half-close (CLOSE_WAIT / FIN_WAIT_2) from before the capture, which
     * the wire cannot show; a host snapshot decides.
     */
    IDLE_SINCE_CAPTURE_START,
    /**
     * Live: libpcap reported packets dropped (kernel or interface) while it was open, so the
     * capture may lack any of its segments. Verdicts that rest on a segment not being there
     * (STUCK_FIN_WAIT_2, HALF_OPEN, UNANSWERED_SYN) are withheld: a missing FIN from a drop
     * is not a stuck peer.
     */
    CAPTURE_DROPS,
    /**
     * Segments claiming an endpoint's address whose sequence numbers were far outside its
     * stream (blind FINs, data or ACKs of an off-path attacker, RFC 5961): ignored, no state
     * changed ({@link Endpoint#blindSegments()} counts them).
     */
    BLIND_SEGMENTS
}
