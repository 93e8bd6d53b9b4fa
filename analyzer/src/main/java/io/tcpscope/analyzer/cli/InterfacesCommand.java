package io.tcpscope.analyzer.cli;

import io.tcpscope.capture.CaptureException;
import java.io.PrintStream;

/** Entry point of 'tcpscope interfaces'. Being written; see the open issue. */
public final class InterfacesCommand {
    private InterfacesCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err, StopSignal stop)
            throws UsageException, CaptureException {
        throw new UsageException("'interfaces' is not available in this build yet");
    }
}
