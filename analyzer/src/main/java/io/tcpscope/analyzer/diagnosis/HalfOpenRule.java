package io.tcpscope.analyzer.diagnosis;

import io.tcpscope.analyzer.report.Format;
import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.analyzer.tcp.TcpState;
import java.util.List;

/**
 * HALF_OPEN: the server is in SYN_RECEIVED and its SYN-ACK is provably unanswered: it was
 * retransmitted (a request socket; a SYN cookie is never resent), or it is older than the
 * server's SYN-ACK timeout (Linux TCP_TIMEOUT_INIT, 1 s) and not yet old enough to be judged a
 * SYN cookie (1.5 timeouts without a resend: the tracker then closes the server,
 * SYN_COOKIE). Every handshake passes through SYN_RECEIVED, so a younger one (a capture that
 * ends 12 us after a SYN-ACK) is not half-open.
 */
final class HalfOpenRule implements Rule {
    private final OsProfile profile;

    HalfOpenRule(OsProfile profile) {
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
        return c.server().state() == TcpState.SYN_RECEIVED;
    }

    /** Whether the server's SYN-ACK is unanswered for long enough at {@code now} (see the class). */
    static boolean holds(Endpoint server, long now, OsProfile profile) {
        if (server.state() != TcpState.SYN_RECEIVED) {
            return false;
        }
        if (server.synAckRetransmissions() > 0) {
            return true;
        }
        long age = now - server.stateSinceNanos();
        long timeout = profile.synAckFirstRetransmitNanos();
        return age >= timeout && (server.packets() > 1 || age < timeout * 3 / 2);
    }

    @Override
    public void apply(Connection c, Evidence.Facts facts, long now, List<Diagnosis> out) {
        Endpoint server = c.server();
        if (!holds(server, now, profile)) {
            return;
        }
        long since = server.stateSinceNanos();
        String message = "server " + Format.endpoint(server) + " left in SYN_RECEIVED for " + Format.seconds(now - since)
                + ": SYN-ACK sent " + server.synCount() + (server.synCount() == 1 ? " time" : " times")
                + ", never acknowledged by " + Format.endpoint(c.client());
        out.add(new Diagnosis(DiagnosisCode.HALF_OPEN, Endpoint.Role.SERVER, since, now - since, message));
    }
}
