package io.tcpscope.analyzer.diagnosis;

import io.tcpscope.analyzer.tcp.Endpoint;

/**
 * One finding about a connection.
 *
 * @param endpoint       the endpoint it is about
 * @param sinceNanos     capture time the condition began
 * @param durationNanos  how long it had lasted when the capture ended
 * @param message        one line for people; the code is for scripts
 */
public record Diagnosis(DiagnosisCode code, Endpoint.Role endpoint, long sinceNanos, long durationNanos, String message) {
}
