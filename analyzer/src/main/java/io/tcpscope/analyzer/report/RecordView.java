package io.tcpscope.analyzer.report;

import io.tcpscope.analyzer.diagnosis.Diagnosis;
import io.tcpscope.analyzer.diagnosis.DiagnosisCode;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.tcp.ConnectionFlag;
import io.tcpscope.analyzer.tcp.TcpState;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which connections the per-connection output shows ({@code --only-problems}, {@code --state},
 * {@code --diagnosis}) and whether a SYN flood's half-open connections are listed one by one
 * ({@code --all}). The summary always counts every connection.
 *
 * @param onlyProblems only connections with a diagnosis or flagged INCONSISTENT
 * @param states       only connections with one endpoint in one of these final states (empty: any)
 * @param codes        only connections with one of these diagnoses (empty: any)
 * @param all          list every HALF_OPEN / UNANSWERED_SYN message of a SYN flood instead of a summary line
 * @param timeWaitNanos how long TIME_WAIT lasts (2 x {@code --msl}), for the {@code time_wait} deadline shown
 */
public record RecordView(boolean onlyProblems, Set<TcpState> states, Set<DiagnosisCode> codes, boolean all,
                         long timeWaitNanos) {
    /** Everything shown; floods summarised; Linux's TIME_WAIT. */
    public static final RecordView ALL = new RecordView(false, Set.of(), Set.of(), false,
            io.tcpscope.analyzer.tcp.OsProfile.LINUX.timeWaitNanos());

    /** With Linux's TIME_WAIT (60 s). */
    public RecordView(boolean onlyProblems, Set<TcpState> states, Set<DiagnosisCode> codes, boolean all) {
        this(onlyProblems, states, codes, all, io.tcpscope.analyzer.tcp.OsProfile.LINUX.timeWaitNanos());
    }

    /** The OS profile with this view's TIME_WAIT length (Linux's other timers). */
    public io.tcpscope.analyzer.tcp.OsProfile profile() {
        io.tcpscope.analyzer.tcp.OsProfile l = io.tcpscope.analyzer.tcp.OsProfile.LINUX;
        return timeWaitNanos == l.timeWaitNanos() ? l : new io.tcpscope.analyzer.tcp.OsProfile(timeWaitNanos,
                l.synSentGiveUpNanos(), l.synReceivedGiveUpNanos(), l.synAckFirstRetransmitNanos(), l.linuxResets());
    }

    public RecordView {
        states = states.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(states));
        codes = codes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(codes));
    }

    /** Whether this view shows every connection. */
    public boolean showsAll() {
        return !onlyProblems && states.isEmpty() && codes.isEmpty();
    }

    public boolean shows(ConnectionRecord r) {
        if (onlyProblems && r.diagnoses().isEmpty() && !r.has(ConnectionFlag.INCONSISTENT)) {
            return false;
        }
        if (!states.isEmpty() && !states.contains(r.client().state()) && !states.contains(r.server().state())) {
            return false;
        }
        if (!codes.isEmpty()) {
            for (Diagnosis d : r.diagnoses()) {
                if (codes.contains(d.code())) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }
}
