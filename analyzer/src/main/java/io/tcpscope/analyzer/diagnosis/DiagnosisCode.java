package io.tcpscope.analyzer.diagnosis;

/** Stable diagnosis codes: scripts match these names. Each has a one-line meaning. */
public enum DiagnosisCode {
    /**
     * One endpoint in FIN_WAIT_2, its peer in CLOSE_WAIT at the end of the capture, and the
     * peer silent for at least the stuck threshold: the CLOSE_WAIT side's application never
     * closed its socket.
     */
    STUCK_FIN_WAIT_2("peer's application never closed after receiving FIN"),
    /**
     * The server is left in SYN_RECEIVED: its SYN-ACK was never acknowledged, and was resent or
     * is older than the SYN-ACK timeout (Linux 1 s).
     */
    HALF_OPEN("server left in SYN_RECEIVED: SYN-ACK never acknowledged"),
    /** Summary, per listener: many handshakes never completed (see {@code SynFloods}). */
    SYN_FLOOD("a listener received a SYN flood: many handshakes never completed"),
    /** The client's SYNs got no answer at all (no SYN-ACK, no RST), for 1 s or more, or were resent. */
    UNANSWERED_SYN("client's SYNs got no answer"),
    /** The server answered the SYN with RST. */
    REFUSED("SYN answered with RST: nothing listening"),
    /** A RST (not the answer to a SYN): who sent it, from which state, and the likely reason. */
    RESET("connection reset"),
    /** Summary, per host and peer service: TIME_WAIT sockets approach the ephemeral port range (see {@code TimeWaits}). */
    TIME_WAIT_PILEUP("TIME_WAIT sockets toward one service approach the host's ephemeral port range"),
    /** A receiver advertised a zero window for 1 s or more: its application stopped reading. */
    ZERO_WINDOW_STALL("receiver's application stopped reading: zero window"),
    /** One side resent 3 or more segments, or one segment twice in a row. */
    RETRANSMISSIONS("segments resent: the path loses packets"),
    /** The receiver acknowledged bytes the capture never saw. */
    CAPTURE_LOSS("bytes acknowledged that the capture never saw"),
    /**
     * A late keepalive, data or FIN from a CLOSE_WAIT side was answered by RST: its peer,
     * orphaned in FIN_WAIT_2, had timed out (the after-the-fact signature of a pile-up).
     */
    ORPHAN_RESET("late segment from a CLOSE_WAIT side answered by RST: the orphaned peer had timed out"),
    /** A host snapshot ({@code --host-snapshot}) shows an endpoint in another state than the capture implies. */
    HOST_DISAGREES("the host's socket table shows another state than the capture implies");

    private final String meaning;

    DiagnosisCode(String meaning) {
        this.meaning = meaning;
    }

    public String meaning() {
        return meaning;
    }
}
