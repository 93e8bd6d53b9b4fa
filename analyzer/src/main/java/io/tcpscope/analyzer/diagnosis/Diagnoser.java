package io.tcpscope.analyzer.diagnosis;

import io.tcpscope.analyzer.report.Format;
import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.TcpState;
import java.util.ArrayList;
import java.util.List;

/** Applies every diagnosis rule to a connection as it stands at capture time {@code nowNanos}. */
public final class Diagnoser {
    private final long stuckAfterNanos;

    /** @param stuckAfterNanos how long the CLOSE_WAIT side must have been silent for STUCK_FIN_WAIT_2 */
    public Diagnoser(long stuckAfterNanos) {
        this.stuckAfterNanos = stuckAfterNanos;
    }

    /**
     * Cheap pre-check for live mode, which evaluates every open connection on every clock
     * tick: false when no rule can apply, so {@link #diagnose} (which allocates) is skipped.
     * Must stay in step with the rules below.
     */
    public boolean mayDiagnose(Connection c) {
        TcpState client = c.client().state();
        TcpState server = c.server().state();
        return client == TcpState.FIN_WAIT_2 || server == TcpState.FIN_WAIT_2 || server == TcpState.SYN_RECEIVED;
    }

    public List<Diagnosis> diagnose(Connection c, long nowNanos) {
        List<Diagnosis> out = new ArrayList<>(2);
        stuckFinWait2(c, nowNanos, out);
        halfOpen(c, nowNanos, out);
        StuckRules.orphanReset(c, out);
        return out;
    }

    private void stuckFinWait2(Connection c, long now, List<Diagnosis> out) {
        for (Endpoint waiting : new Endpoint[] {c.client(), c.server()}) {
            Endpoint closeWait = c.peerOf(waiting);
            if (waiting.state() != TcpState.FIN_WAIT_2 || closeWait.state() != TcpState.CLOSE_WAIT) {
                continue;
            }
            // its last segment, keepalives aside (its kernel's, not its application's)
            long silentSince = Math.max(closeWait.lastNonKeepaliveAfterPeerFinNanos(), closeWait.stateSinceNanos());
            if (now - silentSince < stuckAfterNanos) {
                continue;
            }
            long since = Math.max(waiting.stateSinceNanos(), closeWait.stateSinceNanos());
            long duration = now - since;
            String message = waiting.role().key() + " " + Format.endpoint(waiting) + " stuck in FIN_WAIT_2 for "
                    + Format.seconds(duration) + ": " + closeWait.role().key() + " " + Format.endpoint(closeWait)
                    + " is in CLOSE_WAIT and has sent " + (closeWait.keepalivesAfterPeerFin() > 0 ? "only keepalives" : "nothing")
                    + " for " + Format.seconds(now - silentSince)
                    + "; its application never closed the socket";
            out.add(new Diagnosis(DiagnosisCode.STUCK_FIN_WAIT_2, waiting.role(), since, duration, message));
        }
    }

    private void halfOpen(Connection c, long now, List<Diagnosis> out) {
        Endpoint server = c.server();
        if (server.state() != TcpState.SYN_RECEIVED) {
            return;
        }
        long since = server.stateSinceNanos();
        String message = "server " + Format.endpoint(server) + " left in SYN_RECEIVED for " + Format.seconds(now - since)
                + ": SYN-ACK sent " + server.synCount() + (server.synCount() == 1 ? " time" : " times")
                + ", never acknowledged by " + Format.endpoint(c.client());
        out.add(new Diagnosis(DiagnosisCode.HALF_OPEN, Endpoint.Role.SERVER, since, now - since, message));
    }
}
