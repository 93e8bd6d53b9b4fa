package io.tcpscope.analyzer.diagnosis;

import io.tcpscope.analyzer.report.Format;
import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.ConnectionFlag;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.TcpState;
import java.util.List;

/**
 * The rules for captures taken after the fact (issue 8 §3): a connection picked up
 * mid-stream that carried nothing but keepalives, window probes and pure ACKs
 * ({@link ConnectionFlag#IDLE_SINCE_CAPTURE_START}), and a late segment from a side whose
 * peer no longer has the connection, answered by RST ({@link DiagnosisCode#ORPHAN_RESET}).
 * Applied once, when the connection's record is built.
 */
public final class StuckRules {
    private StuckRules() {
    }

    /**
     * Flags a mid-stream pickup whose traffic is only keepalives, window probes or pure ACKs
     * (no data beyond a probe's byte, no FIN, no RST, no SYN): consistent with a half-close
     * from before the capture, which no segment shows.
     */
    public static void flag(Connection c) {
        if (idleSinceCaptureStart(c)) {
            c.flags().add(ConnectionFlag.IDLE_SINCE_CAPTURE_START);
        }
    }

    static boolean idleSinceCaptureStart(Connection c) {
        if (!c.flags().contains(ConnectionFlag.MIDSTREAM) || c.flags().contains(ConnectionFlag.RESET)) {
            return false;
        }
        for (Endpoint e : new Endpoint[] {c.client(), c.server()}) {
            if (e.finSent() || e.synSent() || e.payloadBytes() > e.keepalives() + e.zeroWindowProbes()) {
                return false;
            }
        }
        return true;
    }

    /**
     * ORPHAN_RESET: side P answered a late segment of side X with a RST without ACK (what a
     * host sends for a segment no socket takes), and P had closed and left: either the capture
     * shows P's FIN and X was in CLOSE_WAIT when the RST came, or the connection was picked
     * up mid-stream and P sent nothing but that RST and pure ACKs (its FIN came before the
     * capture). P was orphaned in FIN_WAIT_2; a keepalive or FIN of X found no socket (the
     * orphan had timed out, {@code tcp_fin_timeout}), data of X is refused by an orphan either
     * way. The after-the-fact signature of a pile-up: X's application never closed.
     */
    static void orphanReset(Connection c, List<Diagnosis> out) {
        for (Endpoint p : new Endpoint[] {c.client(), c.server()}) {
            if (p.bareRstFrame() < 0) {
                continue;
            }
            Endpoint x = c.peerOf(p);
            TcpState xState = p.peerStateAtBareRst();
            boolean closeWait = xState == TcpState.CLOSE_WAIT && p.finSent();
            boolean pickup = c.flags().contains(ConnectionFlag.MIDSTREAM) && !x.finSent() && !p.finSent()
                    && !p.synSent() && p.payloadBytes() == 0
                    && (xState == TcpState.ESTABLISHED || xState == TcpState.CLOSE_WAIT);
            if (!closeWait && !pickup) {
                continue;
            }
            String message = p.role().key() + " " + Format.endpoint(p) + " answered a late segment of "
                    + x.role().key() + " " + Format.endpoint(x) + " with RST (frame " + p.bareRstFrame() + "): "
                    + (closeWait ? Format.endpoint(p) + " had closed (FIN captured), " + Format.endpoint(x)
                            + " was in CLOSE_WAIT"
                            : "picked up mid-stream, " + Format.endpoint(p) + " had closed before the capture and "
                            + Format.endpoint(x) + " never did")
                    + "; the orphaned FIN_WAIT_2 had timed out (tcp_fin_timeout) or refused data: "
                    + Format.endpoint(x) + "'s application never closed the socket";
            out.add(new Diagnosis(DiagnosisCode.ORPHAN_RESET, x.role(), p.lastSendNanos(), 0, message));
        }
    }
}
