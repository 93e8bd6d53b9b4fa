package io.tcpscope.analyzer.live;

import io.tcpscope.analyzer.diagnosis.Diagnoser;
import io.tcpscope.analyzer.diagnosis.Diagnosis;
import io.tcpscope.analyzer.diagnosis.DiagnosisCode;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.engine.Pipeline;
import io.tcpscope.analyzer.engine.RecordSink;
import io.tcpscope.analyzer.report.Report;
import io.tcpscope.analyzer.tcp.Connection;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Raises diagnoses while a live capture runs: each {@link #evaluate} applies the {@link
 * Diagnoser} to every open connection at the pipeline's capture time, and hands each
 * (connection, code) to {@link Report#diagnosisRaised} once, the first time it holds, with a
 * snapshot record of the connection, then flushes the report. As a {@link RecordSink} placed
 * before the report, it forgets a connection when the pipeline emits its record, so this holds
 * at most one entry per open connection (the flow table's limit).
 *
 * <p><b>Hold time.</b> Some rules hold from their first instant: HALF_OPEN is true of every
 * server between its SYN-ACK and the final ACK, which at the end of a file means "never
 * completed" but live would fire on every handshake. So live, a diagnosis is raised only once
 * it has lasted {@code holdNanos} ({@code --stuck-after}); STUCK_FIN_WAIT_2 already measures
 * that much silence.
 */
public final class DiagnosisWatch implements RecordSink {
    private final Diagnoser diagnoser;
    private final Report report;
    private final long holdNanos;
    /** Diagnoses already raised per open connection id; the first of each code is kept (its age is shown). */
    private final Map<Long, Raised> raised = new TreeMap<>();
    private long raisedTotal;

    /** @param holdNanos how long a diagnosis must have lasted ({@link Diagnosis#durationNanos()}) before it is raised */
    public DiagnosisWatch(Diagnoser diagnoser, Report report, long holdNanos) {
        this.diagnoser = diagnoser;
        this.report = report;
        this.holdNanos = holdNanos;
    }

    /** One open connection's raised diagnoses, with the snapshot taken when the first was raised. */
    private record Raised(ConnectionRecord snapshot, EnumMap<DiagnosisCode, Diagnosis> byCode) {
    }

    /**
     * Evaluates every open connection at {@code pipeline.now()}.
     *
     * @return how many diagnoses were raised by this call
     */
    public int evaluate(Pipeline pipeline) {
        long now = pipeline.now();
        long before = raisedTotal;
        pipeline.forEachOpen(c -> check(c, now));
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
            Raised seen = raised.get(c.id());
            if (seen == null) {
                ConnectionRecord snapshot = ConnectionRecord.of(c, List.of(d), ConnectionRecord.End.OPEN, nowNanos);
                seen = new Raised(snapshot, new EnumMap<>(DiagnosisCode.class));
                raised.put(c.id(), seen);
            }
            if (!seen.byCode().containsKey(d.code())) {
                seen.byCode().put(d.code(), d);
                raisedTotal++;
                report.diagnosisRaised(seen.snapshot(), d);
            }
        }
    }

    /** The pipeline emitted this connection's record: its entries go. */
    @Override
    public void record(ConnectionRecord r) {
        raised.remove(r.id());
    }

    /** Diagnoses raised so far, over the whole run. */
    public long raisedTotal() {
        return raisedTotal;
    }

    /** Open connections with raised diagnoses, in id order, with the first diagnosis of each code. */
    public void forEachRaised(BiConsumer<ConnectionRecord, List<Diagnosis>> visitor) {
        for (Raised r : raised.values()) {
            visitor.accept(r.snapshot(), new ArrayList<>(r.byCode().values()));
        }
    }

    /** How many open connections carry a raised diagnosis. */
    public int connectionsRaised() {
        return raised.size();
    }
}
