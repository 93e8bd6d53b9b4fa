package io.tcpscope.analyzer.cli;

import io.tcpscope.capture.CaptureException;
import java.io.PrintStream;

/** Entry point of 'tcpscope bench'. Being written; see the open issue. */
public final class BenchCommand {
    private BenchCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err, StopSignal stop)
            throws UsageException, CaptureException {
        throw new UsageException("'bench' is not available in this build yet");
    }
}
