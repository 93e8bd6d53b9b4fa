package io.tcpscope.capture;

import java.util.OptionalLong;

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

    /**
     * When the capture really ended, as the file records it, in nanoseconds since the epoch
     * (the frames' clock): pcapng's {@code isb_endtime}, the latest over interfaces. It may
     * lie well after the last frame (a capture that ran on through silence). Complete once
     * {@link #next()} has returned {@code null} (dumpcap writes the statistics after the last
     * packet); empty when the capture does not record it (classic pcap, pcapng without an
     * interface statistics block, live sources).
     */
    default OptionalLong captureEndNanos() {
        return OptionalLong.empty();
    }

    /**
     * Packets the interfaces received, as the file records it (pcapng {@code isb_ifrecv},
     * summed over the interfaces that report it); empty when not recorded. Complete once
     * {@link #next()} has returned {@code null}.
     */
    default OptionalLong interfaceReceived() {
        return OptionalLong.empty();
    }

    /**
     * Packets dropped by the interfaces or their drivers, as the file records it (pcapng
     * {@code isb_ifdrop}, summed); empty when not recorded. Complete once {@link #next()}
     * has returned {@code null}. Live sources report their drops through their own stats.
     */
    default OptionalLong interfaceDrops() {
        return OptionalLong.empty();
    }

    /**
     * Packets dropped by the operating system for lack of buffer space, as the file records
     * it (pcapng {@code isb_osdrop}, summed; dumpcap writes the kernel's drop count here);
     * empty when not recorded. Complete once {@link #next()} has returned {@code null}.
     */
    default OptionalLong osDrops() {
        return OptionalLong.empty();
    }

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
