package io.tcpscope.capture;

/**
 * A capture that cannot be opened or read: one line for the user, plus the exit code the
 * command line should end with.
 */
public class CaptureException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why opening or reading failed. Each kind has its own exit code (2 is the usage error, see the README). */
    public enum Kind {
        /** The file does not exist or cannot be opened. */
        NOT_FOUND(3),
        /** A pcap or pcapng file with a bad header or an unsupported version. */
        BAD_FORMAT(4),
        /** Not a pcap or pcapng file at all (unknown magic): perhaps a format only libpcap reads. */
        UNKNOWN_FORMAT(4),
        /** A link type the decoders cannot handle. */
        UNSUPPORTED_LINK_TYPE(4),
        /** Reading failed (I/O error). */
        IO(5),
        /** libpcap is not installed or cannot be loaded. */
        NO_LIBPCAP(6),
        /** Not allowed to capture (needs root or CAP_NET_RAW + CAP_NET_ADMIN). */
        PERMISSION(7),
        /** The interface does not exist. */
        NO_SUCH_DEVICE(8),
        /** The BPF filter does not compile. */
        BAD_FILTER(9),
        /** Any other libpcap error. */
        PCAP(10);

        private final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }

        /** Process exit code for this kind of failure. */
        public int exitCode() {
            return exitCode;
        }
    }

    private final Kind kind;

    public CaptureException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public CaptureException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
