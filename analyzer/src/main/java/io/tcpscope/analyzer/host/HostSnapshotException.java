package io.tcpscope.analyzer.host;

/**
 * A host snapshot that cannot be read: one line naming the file and, where it applies,
 * the line ({@code "host-a.ss:12: ..."}). A user error, never a bug: the command line
 * prints the message as it is and exits with the usage code, as for a bad option value.
 */
public final class HostSnapshotException extends Exception {
    private static final long serialVersionUID = 1L;

    public HostSnapshotException(String message) {
        super(message);
    }

    public HostSnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
