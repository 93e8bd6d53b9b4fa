package io.tcpscope.analyzer.diagnosis;

import io.tcpscope.analyzer.report.Format;
import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.TcpState;
import java.util.List;

/**
 * STUCK_FIN_WAIT_2: one endpoint in FIN_WAIT_2, its peer in CLOSE_WAIT, and the peer silent
 * for at least {@code --stuck-after}: the CLOSE_WAIT side's application never closed.
 */
final class StuckFinWait2Rule implements Rule {
    private final long stuckAfterNanos;

    StuckFinWait2Rule(long stuckAfterNanos) {
        this.stuckAfterNanos = stuckAfterNanos;
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
        return c.client().state() == TcpState.FIN_WAIT_2 || c.server().state() == TcpState.FIN_WAIT_2;
    }

    @Override
    public void apply(Connection c, Evidence.Facts facts, long now, List<Diagnosis> out) {
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
}
