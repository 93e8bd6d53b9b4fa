package io.tcpscope.analyzer.diagnosis;

import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.ConnectionFlag;
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
     * Whether it describes a condition that lasts while the connection is open (raised live
     * once it has lasted the hold time), rather than an event the record reports.
     */
    default boolean lasting() {
        return false;
    }

    /**
     * Whether its verdict rests on segments not being in the capture (a FIN, an ACK, a
     * SYN-ACK never seen): then it is withheld on a connection flagged
     * {@link ConnectionFlag#CAPTURE_DROPS}, where the missing segment may be a dropped one.
     */
    default boolean restsOnAbsence() {
        return false;
    }

    /**
     * Adds what holds of {@code c} at capture time {@code now} to {@code out}.
     *
     * @param facts what the {@link Evidence} observer gathered, or null when it did not run
     */
    void apply(Connection c, Evidence.Facts facts, long now, List<Diagnosis> out);
}
