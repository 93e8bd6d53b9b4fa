package io.tcpscope.analyzer.diagnosis;

import io.tcpscope.analyzer.tcp.Connection;
import java.util.List;

/**
 * One diagnosis rule: one class per {@link DiagnosisCode} raised on a connection (STYLE.md).
 * The {@link Diagnoser} applies them in order.
 */
interface Rule {
    /**
     * Cheap pre-check for live mode, which looks at every open connection on each evaluation:
     * false when {@link #apply} cannot raise anything (it must not allocate).
     */
    boolean mayApply(Connection c);

    /**
     * Adds what holds of {@code c} at capture time {@code now} to {@code out}.
     *
     * @param facts what the {@link Evidence} observer gathered, or null when it did not run
     */
    void apply(Connection c, Evidence.Facts facts, long now, List<Diagnosis> out);
}
