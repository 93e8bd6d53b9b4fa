package io.tcpscope.analyzer.cli;

/**
 * Process exit codes. Capture errors use {@code CaptureException.Kind#exitCode()}
 * (3 to 10); these are the others. Documented in the README.
 */
public final class ExitCode {
    private ExitCode() {
    }

    /** Everything read and reported. */
    public static final int OK = 0;
    /** The capture is damaged: it was analyzed up to the damage, which is reported. */
    public static final int DAMAGED = 1;
    /** Bad command line. */
    public static final int USAGE = 2;
    /** Could not write the output (disk full, closed pipe...). */
    public static final int OUTPUT = 11;
    /** The Java heap ran out: one line with the way out (JAVA_OPTS=-Xmx..., --max-connections). */
    public static final int OUT_OF_MEMORY = 12;
    /**
     * The reader of standard output went away ({@code | head}): ended quietly, with the code a
     * shell shows for a filter killed by SIGPIPE (128 + 13), as tcpdump and grep give.
     */
    public static final int BROKEN_PIPE = 141;
    /** Stopped by SIGINT/SIGTERM (results so far were written). */
    public static final int INTERRUPTED = 130;
    /** A bug: reported in one line; TCPSCOPE_DEBUG=1 prints the stack trace. */
    public static final int INTERNAL = 70;
}
