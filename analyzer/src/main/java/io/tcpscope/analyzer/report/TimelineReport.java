package io.tcpscope.analyzer.report;

import io.tcpscope.analyzer.diagnosis.Diagnosis;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.Transition;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Both endpoints' transitions of one connection, merged in capture-time order. */
public final class TimelineReport {
    private TimelineReport() {
    }

    /** A timeline entry, or ({@code contradiction}) where the evidence contradicted the state held. */
    private record Row(Endpoint.Role role, Transition t, boolean contradiction) {
        Row(Endpoint.Role role, Transition t) {
            this(role, t, false);
        }
    }

    /**
     * For a state known from evidence, TIME is when the segment that caused it (the peer's SYN
     * or FIN) passed the capture point, while FRAME is the later frame that proves it arrived
     * (the ACK). When the peer's own row shows the passage, both are named: "[passed: frame 14
     * at +0.101086; proof: frame 15]". Empty otherwise.
     */
    private static String passage(List<Row> rows, Row r) {
        if (r.t().basis() != Transition.Basis.EVIDENCE) {
            return "";
        }
        for (Row o : rows) {
            if (o.role() != r.role() && o.t().basis() == Transition.Basis.SEEN
                    && o.t().timestampNanos() == r.t().timestampNanos() && o.t().frame() < r.t().frame()) {
                return " [passed: frame " + o.t().frame() + " at TIME; proof: frame " + r.t().frame() + "]";
            }
        }
        return "";
    }

    public static void print(PrintStream out, ConnectionRecord c) {
        out.printf("connection %d: client %s, server %s%s%n", c.id(), c.client().endpoint(),
                c.server().endpoint(), c.roleGuessed() ? " (roles guessed)" : "");
        out.printf("start %s, frames %d-%d, flags %s%n", Instant.ofEpochSecond(0, c.startNanos()), c.firstFrame(),
                c.lastFrame(), c.flags().isEmpty() ? "-" : c.flags().toString().replaceAll("[\\[\\] ]", ""));
        List<Row> rows = new ArrayList<>();
        for (Transition t : c.client().timeline()) {
            rows.add(new Row(Endpoint.Role.CLIENT, t));
        }
        for (Transition t : c.server().timeline()) {
            rows.add(new Row(Endpoint.Role.SERVER, t));
        }
        // INCONSISTENT: where a segment contradicted what was known (the state is the one held,
        // unchanged), in time order among the transitions
        if (c.client().inconsistency() != null) {
            rows.add(new Row(Endpoint.Role.CLIENT, c.client().inconsistency(), true));
        }
        if (c.server().inconsistency() != null) {
            rows.add(new Row(Endpoint.Role.SERVER, c.server().inconsistency(), true));
        }
        rows.sort(Comparator.comparingLong((Row r) -> r.t().timestampNanos()).thenComparingLong(r -> r.t().frame()));
        String fmt = "%-12s %7s  %-6s  %-12s  %-8s  %s%n";
        out.printf(fmt, "TIME", "FRAME", "SIDE", "STATE", "BASIS", "CAUSE");
        for (Row r : rows) {
            out.printf(fmt, "+" + Format.durationSeconds(r.t().timestampNanos() - c.startNanos()), r.t().frame(),
                    r.role().key(), r.t().state().name(),
                    r.contradiction() ? "CONFLICT" : r.t().basis().name().toLowerCase(Locale.ROOT),
                    CauseText.of(r.t().cause()) + (r.contradiction() ? " (flag INCONSISTENT; state unchanged)" : passage(rows, r)));
        }
        out.printf("final: client %s, server %s%n", c.client().state(), c.server().state());
        for (Diagnosis d : c.diagnoses()) {
            out.println(d.code().name() + ": " + d.message());
        }
    }
}
