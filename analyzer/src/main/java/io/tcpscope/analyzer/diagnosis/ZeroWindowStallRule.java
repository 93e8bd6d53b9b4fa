package io.tcpscope.analyzer.diagnosis;

import io.tcpscope.analyzer.report.Format;
import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.Endpoint;
import java.util.List;

/**
 * ZERO_WINDOW_STALL: one side advertised a zero receive window for at least {@link
 * #STALL_NANOS}: its application stopped reading, and the peer could only probe. The longest
 * stall is reported, the one still going at record time if it is longer.
 */
final class ZeroWindowStallRule implements Rule {
    /** Shortest zero-window period reported: 1 s (Linux's first zero-window probe comes after one RTO, 200 ms or more). */
    static final long STALL_NANOS = 1_000_000_000L;

    @Override
    public boolean lasting() {
        return true;
    }

    @Override
    public boolean mayApply(Connection c) {
        return c.client().zeroWindowProbes() > 0 || c.server().zeroWindowProbes() > 0
                || c.client().zeroWindowSinceNanos() >= 0 || c.server().zeroWindowSinceNanos() >= 0
                || c.flags().contains(io.tcpscope.analyzer.tcp.ConnectionFlag.ZERO_WINDOW);
    }

    @Override
    public void apply(Connection c, Evidence.Facts f, long now, List<Diagnosis> out) {
        if (f == null || !mayApply(c)) {
            return;
        }
        for (Endpoint reader : new Endpoint[] {c.client(), c.server()}) {
            Endpoint.Role r = reader.role();
            long since = f.longestZeroSinceNanos(r);
            long duration = f.longestZeroNanos(r);
            boolean ongoing = false;
            if (f.zeroSinceNanos(r) >= 0 && now - f.zeroSinceNanos(r) >= duration) {
                since = f.zeroSinceNanos(r);
                duration = now - since;
                ongoing = true;
            }
            if (duration < STALL_NANOS) {
                continue;
            }
            Endpoint writer = c.peerOf(reader);
            String message = r.key() + " " + Format.endpoint(reader) + " advertised a zero window for "
                    + Format.seconds(duration) + (ongoing ? " (still zero)" : "") + ": its application stopped reading; "
                    + writer.role().key() + " " + Format.endpoint(writer) + " sent " + writer.zeroWindowProbes()
                    + " zero-window probes";
            out.add(new Diagnosis(DiagnosisCode.ZERO_WINDOW_STALL, r, since, duration, message));
        }
    }
}
