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
    HALF_OPEN("server left in SYN_RECEIVED: SYN-ACK never acknowledged");

    private final String meaning;

    DiagnosisCode(String meaning) {
        this.meaning = meaning;
    }

    public String meaning() {
        return meaning;
    }
}
