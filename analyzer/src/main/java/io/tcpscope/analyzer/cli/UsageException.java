package io.tcpscope.analyzer.cli;

/** A command line that cannot be run: bad option, bad value, missing argument. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
