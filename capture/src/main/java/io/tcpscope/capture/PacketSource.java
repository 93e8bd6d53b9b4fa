package io.tcpscope.capture;

/**
 * A sequence of captured frames: a file, or a live interface.
 *
 * <p>Sources allocate nothing per packet: {@link #next()} refills and returns the same
 * {@link Frame} each time. Damage found while reading (a file cut mid-record, a corrupt
 * block) ends the sequence early: {@code next()} returns {@code null} and {@link #damage()}
 * says what was wrong and where. Only a source that cannot be read at all throws.
 */
public interface PacketSource extends AutoCloseable {

    /**
     * Advances to the next frame.
     *
     * @return the source's reused frame, or {@code null} at the end of the capture
     *         (or after {@link #breakLoop()} on a live source)
     * @throws CaptureException when reading fails in a way that is not mere damage at the end
     */
    Frame next() throws CaptureException;

    /**
     * Why the sequence ended early, as one line (e.g. {@code "file truncated: record 1234
     * at byte offset 567890 needs 1514 bytes, 310 present"}), or {@code null} when the
     * capture ended cleanly.
     */
    String damage();

    /** A short description of the source for messages, e.g. the path or interface name. */
    String description();

    /**
     * Asks a blocking {@link #next()} to return {@code null} soon. Safe to call from another
     * thread or a signal handler. File sources may ignore it.
     */
    default void breakLoop() {
    }

    /** Releases the file or the capture handle. Idempotent; never throws. */
    @Override
    void close();
}
