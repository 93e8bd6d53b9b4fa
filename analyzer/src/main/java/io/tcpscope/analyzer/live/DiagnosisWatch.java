package io.tcpscope.analyzer.live;

import io.tcpscope.analyzer.diagnosis.Diagnoser;
import io.tcpscope.analyzer.diagnosis.Diagnosis;
import io.tcpscope.analyzer.diagnosis.DiagnosisCode;
import io.tcpscope.analyzer.engine.Analyzer;
import io.tcpscope.analyzer.report.Report;
import io.tcpscope.analyzer.tcp.Connection;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Raises diagnoses while a live capture runs: each {@link #evaluate} applies the {@link
 * Diagnoser} to every open connection at the engine's capture time, and hands each
 * (connection, code) to {@link Report#diagnosisRaised} once, the first time it holds, then
 * flushes the report. A connection is forgotten when the engine finishes it ({@link #forget}),
 * so this holds at most one entry per open connection (the flow table's limit).
 *
 * <p><b>Hold time.</b> Some rules hold from their first instant: HALF_OPEN is true of every
 * server between its SYN-ACK and the final ACK, which at the end of a file means "never
 * completed" but live would fire on every handshake. So live, a diagnosis is raised only once
 * it has lasted {@code holdNanos} ({@code --stuck-after}); STUCK_FIN_WAIT_2 already measures
 * that much silence.
 */
public final class DiagnosisWatch {
    private final Diagnoser diagnoser;
    private final Report report;
    private final long holdNanos;
    /** Diagnoses already raised per open connection; the first of each code is kept (its age is shown). */
    private final Map<Connection, EnumMap<DiagnosisCode, Diagnosis>> raised = new IdentityHashMap<>();
    private long raisedTotal;

    /** @param holdNanos how long a diagnosis must have lasted ({@link Diagnosis#durationNanos()}) before it is raised */
    public DiagnosisWatch(Diagnoser diagnoser, Report report, long holdNanos) {
        this.diagnoser = diagnoser;
        this.report = report;
        this.holdNanos = holdNanos;
    }

    /**
     * Evaluates every open connection at {@code analyzer.now()}.
     *
     * @return how many diagnoses were raised by this call
     */
    public int evaluate(Analyzer analyzer) {
        long now = analyzer.now();
        long before = raisedTotal;
        analyzer.forEachOpen(c -> check(c, now));
        int fresh = (int) (raisedTotal - before);
        if (fresh > 0) {
            report.flush();
        }
        return fresh;
    }

    /** Evaluates one connection at capture time {@code nowNanos}; raises what is new. */
    public void check(Connection c, long nowNanos) {
        if (!diagnoser.mayDiagnose(c)) {
            return;
        }
        for (Diagnosis d : diagnoser.diagnose(c, nowNanos)) {
            if (d.durationNanos() < holdNanos) {
                continue;
            }
            EnumMap<DiagnosisCode, Diagnosis> seen = raised.computeIfAbsent(c, k -> new EnumMap<>(DiagnosisCode.class));
            if (!seen.containsKey(d.code())) {
                seen.put(d.code(), d);
                raisedTotal++;
                report.diagnosisRaised(c, d);
            }
        }
    }

    /** The engine finished {@code c}: its entries go. */
    public void forget(Connection c) {
        raised.remove(c);
    }

    /** Diagnoses raised so far, over the whole run. */
    public long raisedTotal() {
        return raisedTotal;
    }

    /** Open connections with raised diagnoses, in id order, with the first diagnosis of each code. */
    public void forEachRaised(BiConsumer<Connection, List<Diagnosis>> visitor) {
        List<Connection> connections = new ArrayList<>(raised.keySet());
        connections.sort((a, b) -> Long.compare(a.id(), b.id()));
        for (Connection c : connections) {
            visitor.accept(c, new ArrayList<>(raised.get(c).values()));
        }
    }

    /** How many open connections carry a raised diagnosis. */
    public int connectionsRaised() {
        return raised.size();
    }
}
