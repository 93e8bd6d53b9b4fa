package io.tcpscope.analyzer.diagnosis;

import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.ConnectionFlag;
import io.tcpscope.analyzer.tcp.OsProfile;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies every per-connection diagnosis rule (one {@link Rule} class per code) to a
 * connection as it stands at capture time {@code nowNanos}. The rules read the tracker's
 * public accessors and, when the tracker ran with an {@link Evidence} observer, its facts.
 * The summary-level codes (SYN_FLOOD, TIME_WAIT_PILEUP) are made from records by {@link
 * SynFloods} and {@link TimeWaits}.
 */
public final class Diagnoser {
    private final List<Rule> rules;
    private final List<Rule> lasting;

    /** @param stuckAfterNanos how long the CLOSE_WAIT side must have been silent for STUCK_FIN_WAIT_2 */
    public Diagnoser(long stuckAfterNanos) {
        this(stuckAfterNanos, OsProfile.LINUX);
    }

    public Diagnoser(long stuckAfterNanos, OsProfile profile) {
        this.rules = List.of(new StuckFinWait2Rule(stuckAfterNanos), new HalfOpenRule(profile),
                new UnansweredSynRule(profile), new RefusedRule(), new ResetRule(), new ZeroWindowStallRule(),
                new RetransmissionsRule(), new CaptureLossRule());
        this.lasting = rules.stream().filter(Rule::lasting).toList();
    }

    /**
     * Cheap pre-check for live mode, which evaluates every open connection on every clock
     * tick: false when no lasting rule can apply, so {@link #diagnoseOpen} (which allocates) is skipped.
     */
    public boolean mayDiagnose(Connection c) {
        boolean drops = c.has(ConnectionFlag.CAPTURE_DROPS);
        for (int i = 0; i < lasting.size(); i++) {
            Rule r = lasting.get(i);
            if (!(drops && r.restsOnAbsence()) && r.mayApply(c)) {
                return true;
            }
        }
        return false;
    }

    /** Every rule, for a record. */
    public List<Diagnosis> diagnose(Connection c, long nowNanos) {
        return apply(rules, c, nowNanos);
    }

    /**
     * The lasting conditions only (STUCK_FIN_WAIT_2, HALF_OPEN, UNANSWERED_SYN,
     * ZERO_WINDOW_STALL), for live's open connections; events come with the record.
     */
    public List<Diagnosis> diagnoseOpen(Connection c, long nowNanos) {
        return apply(lasting, c, nowNanos);
    }

    private static List<Diagnosis> apply(List<Rule> rules, Connection c, long nowNanos) {
        List<Diagnosis> out = new ArrayList<>(2);
        Evidence.Facts facts = Evidence.of(c);
        boolean drops = c.has(ConnectionFlag.CAPTURE_DROPS);
        for (Rule r : rules) {
            if (!(drops && r.restsOnAbsence()) && r.mayApply(c)) {
                r.apply(c, facts, nowNanos, out);
            }
        }
        StuckRules.orphanReset(c, out);
        return out;
    }
}
