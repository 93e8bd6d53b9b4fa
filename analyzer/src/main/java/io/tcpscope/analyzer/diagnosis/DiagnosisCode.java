package io.tcpscope.analyzer.diagnosis;

/** Stable diagnosis codes: scripts match these names. Each has a one-line meaning. */
public enum DiagnosisCode {
    /**
     * One endpoint in FIN_WAIT_2, its peer in CLOSE_WAIT at the end of the capture, and the
     * peer silent for at least the stuck threshold: the CLOSE_WAIT side's application never
     * closed its socket.
     */
    STUCK_FIN_WAIT_2("peer's application never closed after receiving FIN"),
    /** The server is left in SYN_RECEIVED: its SYN-ACK was never acknowledged. */
    HALF_OPEN("server left in SYN_RECEIVED: SYN-ACK never acknowledged"),
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
