package io.tcpscope.analyzer.diagnosis;

import io.tcpscope.analyzer.report.Format;
import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.Endpoint;
import java.util.List;

/**
 * CAPTURE_LOSS: the receiver acknowledged bytes of a side that the capture never saw: they
 * crossed the network but not the capture point (drops in the capture, a span port, snaplen is
 * not it: headers still give the sequence numbers).
 */
final class CaptureLossRule implements Rule {
    @Override
    public boolean mayApply(Connection c) {
        return c.client().missedBytes() > 0 || c.server().missedBytes() > 0;
    }

    @Override
    public void apply(Connection c, Evidence.Facts f, long now, List<Diagnosis> out) {
        for (Endpoint e : new Endpoint[] {c.client(), c.server()}) {
            long missed = e.missedBytes();
            if (missed <= 0) {
                continue;
            }
            Endpoint receiver = c.peerOf(e);
            String message = missed + " bytes sent by " + e.role().key() + " " + Format.endpoint(e)
                    + " were acknowledged by " + receiver.role().key() + " " + Format.endpoint(receiver)
                    + " but never captured: the capture lost them, not the network";
            out.add(new Diagnosis(DiagnosisCode.CAPTURE_LOSS, e.role(), c.startNanos(), c.endNanos() - c.startNanos(), message));
        }
    }
}
