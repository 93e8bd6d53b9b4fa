package io.tcpscope.analyzer.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Standard output that notices a closed pipe ({@code tcpscope ... | head}): the first write
 * failing with EPIPE records it ({@link #brokenPipe()}) and runs a callback (stop capturing),
 * so that the command ends quietly like a Unix filter killed by SIGPIPE, instead of reporting
 * an output error. Other write errors (disk full) are left to {@code PrintStream.checkError()}.
 */
final class StdoutStream extends FilterOutputStream {
    private static volatile boolean brokenPipe;
    /** The reason of the first write error other than a closed pipe (e.g. "No space left on device"), or null. */
    private static volatile String failure;
    private final Runnable onBrokenPipe;

    StdoutStream(OutputStream out, Runnable onBrokenPipe) {
        super(out);
        this.onBrokenPipe = onBrokenPipe;
    }

    /** Whether standard output was found closed by its reader (EPIPE) in this process. */
    static boolean brokenPipe() {
        return brokenPipe;
    }

    @Override
    public void write(int b) throws IOException {
        try {
            out.write(b);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private IOException failed(IOException e) {
        String m = e.getMessage();
        if (m != null && m.contains("Broken pipe")) {
            if (!brokenPipe) {
                brokenPipe = true;
                onBrokenPipe.run();
            }
        } else if (failure == null) {
            failure = m == null ? e.getClass().getSimpleName() : m;
        }
        return e;
    }

    /**
     * The exit code for output that could not be written: {@link ExitCode#BROKEN_PIPE}, quietly,
     * when the reader closed the pipe; else {@link ExitCode#OUTPUT} with one line on stderr.
     */
    static int outputFailed(java.io.PrintStream err) {
        if (brokenPipe) {
            return ExitCode.BROKEN_PIPE;
        }
        String why = failure;
        err.println("tcpscope: error writing the output" + (why == null ? "" : ": " + why));
        return ExitCode.OUTPUT;
    }
}
