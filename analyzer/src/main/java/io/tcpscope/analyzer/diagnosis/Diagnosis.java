package io.tcpscope.analyzer.diagnosis;

import io.tcpscope.analyzer.tcp.Endpoint;

/**
 * One finding about a connection.
 *
 * @param endpoint       the endpoint it is about
 * @param sinceNanos     capture time the condition began
 * @param durationNanos  how long it had lasted when the capture ended
 * @param message        one line for people; the code is for scripts
 * @param reason         a stable lower-case key refining the code (RESET: {@code abortive_close}, ...), or null
 */
public record Diagnosis(DiagnosisCode code, Endpoint.Role endpoint, long sinceNanos, long durationNanos, String message,
                        String reason) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;


    /** A diagnosis without a reason key. */
    public Diagnosis(DiagnosisCode code, Endpoint.Role endpoint, long sinceNanos, long durationNanos, String message) {
        this(code, endpoint, sinceNanos, durationNanos, message, null);
    }
}
