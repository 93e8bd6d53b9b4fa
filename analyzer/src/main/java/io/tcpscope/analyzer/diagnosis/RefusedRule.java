package io.tcpscope.analyzer.diagnosis;

import io.tcpscope.analyzer.report.Format;
import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.ConnectionFlag;
import io.tcpscope.analyzer.tcp.Endpoint;
import java.util.List;

/** REFUSED: the server answered the SYN with RST: nothing listened on the port (or a firewall's tcp-reset). */
final class RefusedRule implements Rule {
    @Override
    public boolean mayApply(Connection c) {
        return c.flags().contains(ConnectionFlag.REFUSED);
    }

    @Override
    public void apply(Connection c, Evidence.Facts f, long now, List<Diagnosis> out) {
        if (!mayApply(c)) {
            return;
        }
        long at = f != null && f.rstSender() != null ? f.rstNanos() : c.endNanos();
        String message = "server " + Format.endpoint(c.server()) + " answered the SYN of client "
                + Format.endpoint(c.client()) + " with RST after " + Format.seconds(at - c.startNanos())
                + ": nothing listening on port " + c.server().port() + " (or a firewall rejecting with tcp-reset)";
        out.add(new Diagnosis(DiagnosisCode.REFUSED, Endpoint.Role.SERVER, at, 0, message));
    }
}
