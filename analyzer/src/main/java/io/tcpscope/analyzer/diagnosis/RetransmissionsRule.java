package io.tcpscope.analyzer.diagnosis;

import io.tcpscope.analyzer.report.Format;
import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.Endpoint;
import java.util.List;

/**
 * RETRANSMISSIONS: one side resent at least {@link #MIN_SEGMENTS} data or FIN segments, or
 * resent one segment twice in a row (a retransmission timeout that backed off): the path loses
 * packets. The message gives the count and the worst backoff seen (the longest interval between
 * two resends of one segment).
 */
final class RetransmissionsRule implements Rule {
    /** Resent data or FIN segments from which the code is raised. */
    static final long MIN_SEGMENTS = 3;

    @Override
    public boolean mayApply(Connection c) {
        return c.client().retransmissions() > 0 || c.server().retransmissions() > 0;
    }

    @Override
    public void apply(Connection c, Evidence.Facts f, long now, List<Diagnosis> out) {
        for (Endpoint e : new Endpoint[] {c.client(), c.server()}) {
            long n = e.retransmissions();
            int inARow = f == null ? 0 : f.worstResendsOfSegment(e.role());
            if (n == 0 || (n < MIN_SEGMENTS && inARow < 2)) {
                continue;
            }
            String backoff = inARow >= 2
                    ? "; worst backoff: one segment resent " + inARow + " times, " + Format.seconds(f.worstBackoffNanos(e.role()))
                            + " between two resends"
                    : "; no segment resent twice";
            String message = e.role().key() + " " + Format.endpoint(e) + " resent " + n + (n == 1 ? " segment" : " segments")
                    + " of " + e.packets() + backoff;
            out.add(new Diagnosis(DiagnosisCode.RETRANSMISSIONS, e.role(), c.startNanos(), c.endNanos() - c.startNanos(), message));
        }
    }
}
