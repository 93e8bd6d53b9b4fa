package io.tcpscope.capture.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.PacketSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the pcap and pcapng readers (Jazzer). The input is a whole
 * capture file: it is written to disk, opened through {@link CaptureFiles} and read to the
 * end, with the default window and with the smallest one (which makes every record cross a
 * window refill).
 *
 * <p>What must hold for any bytes:
 * <ul>
 *   <li>opening fails only with a {@link CaptureException} of kind {@code BAD_FORMAT} or
 *       {@code UNKNOWN_FORMAT}, with a one-line message naming the file; reading never
 *       throws (damage ends the sequence and {@link PacketSource#damage()} says why, in one line);</li>
 *   <li>reading ends: every frame consumes at least 12 bytes of the file, so there are at
 *       most {@code size / 12} frames, and {@code next()} after the end stays {@code null};</li>
 *   <li>every frame lies inside its buffer, is numbered 1, 2, 3..., is at most 256 KiB;</li>
 *   <li>memory is bounded by the window, not by what a header claims: a record claiming
 *       4 GB allocates nothing more (measured per thread).</li>
 * </ul>
 *
 * <p>{@code mvn verify} replays the seeds in {@code CaptureFileFuzzTestInputs/readEveryFrame}
 * (small captures from the corpus and the fixtures) and every crash found so far;
 * {@code JAZZER_FUZZ=1} fuzzes (see README, "Robustness and fuzzing").
 */
class CaptureFileFuzzTest {
    /** The smallest window the readers accept: every record crosses a refill. */
    private static final int SMALL_WINDOW = CaptureFiles.MINIMUM_WINDOW_CAPACITY;
    /** Smallest file bytes one frame consumes (a pcapng block with no body; a pcap record is 16). */
    private static final int MIN_BYTES_PER_FRAME = PcapngReader.BLOCK_MIN_LENGTH;
    /**
     * Allocation allowed besides the window: the exception or damage strings, the frame,
     * the channel, the reader and its interface tables (which grow with the file: at most one
     * interface per 20 bytes, 32 bytes of tables each, doubled on growth).
     */
    private static final long FIXED_ALLOCATION = 512 * 1024;
    private static final long ALLOCATION_PER_FILE_BYTE = 8;
    /**
     * What a decompressor may allocate, whatever its header claims: zstd's window is at most
     * 8 MiB (aircompressor's MAX_WINDOW_SIZE) plus its buffers, an LZ4 frame's blocks at most
     * 4 MiB, twice; gzip's 32 KiB. The stream reader's own window comes on top.
     */
    private static final long DECOMPRESSOR_ALLOCATION = 24L << 20;

    private static final Path FILE = createFile();

    private static Path createFile() {
        try {
            Path file = Files.createTempFile("tcpscope-fuzz-", ".cap");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = FuzzLimits.MAX_DURATION)
    void readEveryFrame(byte[] data) throws IOException {
        Files.write(FILE, data);
        // The first read of an input may load classes (message formatting, exceptions):
        // allocation is measured on the reads after it.
        // Each window size takes its own paths (a small one refills inside every record), so
        // each is read once unmeasured first.
        boolean compressed = data.length >= 4 && Compression.detect(FileWindow.int32(data, 0, true)) != null;
        read(data.length, FileWindow.DEFAULT_CAPACITY, false, compressed);
        read(data.length, FileWindow.DEFAULT_CAPACITY, true, compressed);
        read(data.length, SMALL_WINDOW, false, compressed);
        read(data.length, SMALL_WINDOW, true, compressed);
    }

    private static void read(long size, int windowCapacity, boolean measure, boolean compressed) {
        com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        long frames = 0;
        try (PacketSource source = CaptureFiles.open(FILE, windowCapacity)) {
            Frame frame;
            while ((frame = source.next()) != null) {
                frames++;
                assertTrue(frames <= size / MIN_BYTES_PER_FRAME, "more frames than the file can hold");
                assertEquals(frames, frame.number());
                int length = frame.capturedLength();
                assertTrue(length >= 0 && length <= PcapReader.RECORD_LIMIT, "captured length " + length);
                assertTrue(frame.offset() >= 0 && frame.offset() + length <= frame.buffer().length,
                    "frame outside its buffer");
                assertTrue(frame.originalLength() >= 0, "original length " + frame.originalLength());
                assertTrue(frame.linkType() >= 0 && frame.linkType() <= 0xFFFF, "link type " + frame.linkType());
                assertTrue(frame.interfaceId() >= 0 && frame.interfaceId() < PcapngReader.INTERFACE_LIMIT);
            }
            String damage = source.damage();
            if (damage != null) {
                assertOneLine(damage);
            }
            assertNull(source.next(), "a frame after the end");
            assertEquals(damage, source.damage());
        } catch (CaptureException e) {
            assertTrue(e.kind() == CaptureException.Kind.BAD_FORMAT || e.kind() == CaptureException.Kind.UNKNOWN_FORMAT,
                "kind " + e.kind() + ": " + e.getMessage());
            assertNotNull(e.getMessage());
            assertTrue(e.getMessage().startsWith(FILE + ": ") || e.getMessage().startsWith(FILE + " ("), e.getMessage());
            assertOneLine(e.getMessage());
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        long allowed = windowCapacity + FIXED_ALLOCATION + ALLOCATION_PER_FILE_BYTE * size
            + (compressed ? DECOMPRESSOR_ALLOCATION : 0);
        assertTrue(!measure || allocated <= allowed, "reading a " + size + "-byte file with a " + windowCapacity
            + "-byte window allocated " + allocated + " bytes");
    }

    private static void assertOneLine(String message) {
        assertTrue(!message.isEmpty() && message.indexOf('\n') < 0 && message.indexOf('\r') < 0,
            "not one line: " + message);
    }
}
