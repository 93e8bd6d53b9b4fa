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
     * ORPHAN_RESET: side P answered a segment of side X with a RST without ACK (what a host
     * with no socket for it sends), P sent no data and no SYN in the capture, and X was in
     * CLOSE_WAIT then (P's FIN was captured) or the connection was picked up mid-stream (P's
     * FIN came before the capture): P had closed, was orphaned in FIN_WAIT_2, timed out
     * ({@code tcp_fin_timeout}), and X's late keepalive, data or FIN found no socket.
     */
    static void orphanReset(Connection c, List<Diagnosis> out) {
        for (Endpoint p : new Endpoint[] {c.client(), c.server()}) {
            if (p.bareRstFrame() < 0 || p.synSent() || p.payloadBytes() > 0) {
                continue;
            }
            Endpoint x = c.peerOf(p);
            TcpState xState = p.peerStateAtBareRst();
            boolean closeWait = xState == TcpState.CLOSE_WAIT;
            boolean pickup = c.flags().contains(ConnectionFlag.MIDSTREAM) && !x.finSent()
                    && (xState == TcpState.ESTABLISHED || xState == TcpState.CLOSE_WAIT);
            if (!closeWait && !pickup) {
                continue;
            }
            long since = x.lastSendNanos() >= 0 ? Math.min(x.lastSendNanos(), p.lastSendNanos()) : p.lastSendNanos();
            String late = x.payloadBytes() > x.keepalives() + x.zeroWindowProbes() ? "late data" : "a keepalive";
            String message = p.role().key() + " " + Format.endpoint(p) + " answered " + late + " from "
                    + x.role().key() + " " + Format.endpoint(x) + " with RST (frame " + p.bareRstFrame()
                    + "): it no longer had the connection; "
                    + (closeWait ? Format.endpoint(x) + " was in CLOSE_WAIT"
                            : "picked up mid-stream, " + Format.endpoint(x) + " was likely in CLOSE_WAIT")
                    + " and its peer, orphaned in FIN_WAIT_2, had timed out (tcp_fin_timeout)";
            out.add(new Diagnosis(DiagnosisCode.ORPHAN_RESET, x.role(), since, 0, message));
        }
    }
}
