package io.tcpscope.analyzer.diagnosis;

import io.tcpscope.analyzer.report.Format;
import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.analyzer.tcp.TcpState;
import io.tcpscope.analyzer.tcp.Transition;
import java.util.List;

/**
 * UNANSWERED_SYN: the client's SYNs got nothing back (no SYN-ACK, no RST) for at least the
 * initial retransmission timeout (Linux 1 s), or were resent; the message gives the schedule
 * seen (offsets of each SYN from the first: Linux backs off 1, 2, 4, 8 ... s) and whether the
 * client gave up. A capture that ends just after a SYN is not one.
 */
final class UnansweredSynRule implements Rule {
    private final OsProfile profile;

    UnansweredSynRule(OsProfile profile) {
        this.profile = profile;
    }

    @Override
    public boolean lasting() {
        return true;
    }

    @Override
    public boolean restsOnAbsence() {
        return true;
    }

    @Override
    public boolean mayApply(Connection c) {
        return c.server().packets() == 0 && c.client().activeOpener() && !c.roleGuessed();
    }

    @Override
    public void apply(Connection c, Evidence.Facts f, long now, List<Diagnosis> out) {
        Endpoint client = c.client();
        if (!mayApply(c)) {
            return;
        }
        TcpState s = client.state();
        boolean gaveUp = false;
        if (s != TcpState.SYN_SENT) {
            List<Transition> t = client.timeline();
            Transition last = t.isEmpty() ? null : t.get(t.size() - 1);
            if (last == null || last.state() != TcpState.CLOSED || last.cause().from() != TcpState.SYN_SENT
                    || last.basis() != Transition.Basis.TIMER) {
                return;
            }
            gaveUp = true;
        }
        int syns = f == null ? client.synCount() : Math.max(1, f.syns());
        long first = f != null && f.syns() > 0 ? f.synNanos(0) : c.startNanos();
        if (syns < 2 && now - first < profile.synAckFirstRetransmitNanos()) {
            return;
        }
        StringBuilder schedule = new StringBuilder();
        if (f != null) {
            int timed = Math.min(f.syns(), Evidence.MAX_SYNS);
            for (int k = 0; k < timed; k++) {
                schedule.append(k == 0 ? "" : ", ").append(k == 0 ? "0" : "+" + Format.seconds(f.synNanos(k) - first));
            }
            if (f.syns() > timed) {
                schedule.append(", ...");
            }
        }
        String message = "client " + Format.endpoint(client) + " sent " + syns + (syns == 1 ? " SYN" : " SYNs") + " to "
                + Format.endpoint(c.server()) + ", none answered in " + Format.seconds(now - first)
                + (schedule.length() == 0 ? "" : " (sent at " + schedule + ")")
                + (gaveUp ? "; it gave up" : "") + ": no route, a firewall dropping them, or the host is down";
        out.add(new Diagnosis(DiagnosisCode.UNANSWERED_SYN, Endpoint.Role.CLIENT, first, now - first, message));
    }
}
