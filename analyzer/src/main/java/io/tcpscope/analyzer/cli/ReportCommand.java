package io.tcpscope.analyzer.cli;

import io.tcpscope.capture.CaptureException;
import java.io.PrintStream;

/** {@code tcpscope report CAPTURE... -o report.html}. */
final class ReportCommand {
    private ReportCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err, StopSignal stop)
            throws UsageException, CaptureException {
        throw new UsageException("report: not yet");
    }
}
