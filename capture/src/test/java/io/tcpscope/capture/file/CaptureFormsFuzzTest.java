package io.tcpscope.capture.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.airlift.compress.zstd.ZstdOutputStream;
import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.PacketSource;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;

/**
 * Coverage-guided fuzzing of the other ways a capture reaches the readers (Jazzer): the
 * same bytes as {@link CaptureFileFuzzTest}'s, read
 * <ul>
 *   <li>from a stream (standard input, a pipe), delivered in pieces of 1 to 4,096 bytes
 *       chosen from the input, so that headers and records are cut at every place;</li>
 *   <li>gzip-, zstd- and LZ4-compressed, from a file and from a stream;</li>
 *   <li>behind a compressed format's magic without being compressed (a damaged
 *       compressed file).</li>
 * </ul>
 *
 * <p>What must hold for any bytes: every form yields exactly the frames the plain file
 * yields (number, time, lengths, link type, interface, bytes), and opens or fails to open
 * like it; failures are a {@link CaptureException} of kind {@code BAD_FORMAT} or
 * {@code UNKNOWN_FORMAT} with a one-line message naming the input; reading never throws and
 * ends (damage is one line); a damaged compressed file fails or ends in one line.
 *
 * <p>{@code mvn verify} replays the seeds in {@code CaptureFormsFuzzTestInputs/readEveryForm}
 * and every crash found; {@code JAZZER_FUZZ=1} fuzzes (README, "Robustness and fuzzing").
 */
class CaptureFormsFuzzTest {
    /** Frames compared per form: beyond, only the count is (bounded work per input). */
    private static final int FRAMES_COMPARED = 10_000;

    private static final Path PLAIN = tempFile(".pcap");
    private static final Path COMPRESSED = tempFile(".cap.z");

    private static Path tempFile(String suffix) {
        try {
            Path file = Files.createTempFile("tcpscope-fuzz-forms-", suffix);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What one read gave: the frames' fingerprints, or the opening failure's kind. */
    private record Outcome(List<String> frames, long count, CaptureException.Kind failure, boolean damaged) {
        boolean opened() {
            return failure == null;
        }
    }

    @FuzzTest(maxDuration = FuzzLimits.MAX_DURATION)
    void readEveryForm(byte[] data) throws IOException {
        Files.write(PLAIN, data);
        Outcome file = read(PLAIN.toString(), () -> CaptureFiles.open(PLAIN, FileWindow.DEFAULT_CAPACITY));

        int seed = data.length == 0 ? 1 : (data[data.length - 1] & 0xFF) + 1;
        Outcome stream = read("-", () -> CaptureFiles.openStream(new PiecesInputStream(data, seed), "-",
            FileWindow.DEFAULT_CAPACITY));
        assertSame("stream", file, stream);

        for (String form : new String[] {"gzip", "zstd", "lz4"}) {
            byte[] compressed = compress(form, data);
            Files.write(COMPRESSED, compressed);
            Outcome fromFile = read(COMPRESSED.toString(), () -> CaptureFiles.open(COMPRESSED, FileWindow.DEFAULT_CAPACITY));
            if (data.length == 0) {
                // A compressed empty file is a valid compressed file holding nothing: "empty".
                assertTrue(!fromFile.opened(), form + " of nothing opened");
                continue;
            }
            assertSame(form + " file", file, fromFile);
            Outcome fromStream = read("-", () -> CaptureFiles.openStream(new PiecesInputStream(compressed, seed), "-",
                FileWindow.DEFAULT_CAPACITY));
            assertSame(form + " stream", file, fromStream);

            // The same bytes behind the format's magic, not compressed: damage, in one line.
            byte[] magic = java.util.Arrays.copyOf(compressed, 4);
            byte[] fake = new byte[magic.length + data.length];
            System.arraycopy(magic, 0, fake, 0, magic.length);
            System.arraycopy(data, 0, fake, magic.length, data.length);
            Files.write(COMPRESSED, fake);
            read(COMPRESSED.toString(), () -> CaptureFiles.open(COMPRESSED, FileWindow.DEFAULT_CAPACITY));
        }
    }

    private static void assertSame(String form, Outcome expected, Outcome actual) {
        assertEquals(expected.opened(), actual.opened(), form + ": opened " + actual.opened() + ", the plain file "
            + expected.opened() + " (" + expected.failure() + " / " + actual.failure() + ")");
        assertEquals(expected.count(), actual.count(), form + ": frame count");
        assertEquals(expected.frames(), actual.frames(), form + ": frames");
        if (expected.opened()) {
            assertEquals(expected.damaged(), actual.damaged(), form + ": damage reported");
        }
    }

    private interface Opener {
        PacketSource open() throws CaptureException;
    }

    private static Outcome read(String name, Opener opener) {
        List<String> frames = new ArrayList<>();
        long count = 0;
        try (PacketSource source = opener.open()) {
            Frame frame;
            CRC32 crc = new CRC32();
            while ((frame = source.next()) != null) {
                count++;
                assertEquals(count, frame.number());
                assertTrue(frame.offset() >= 0 && frame.offset() + frame.capturedLength() <= frame.buffer().length,
                    "frame outside its buffer");
                if (count <= FRAMES_COMPARED) {
                    crc.reset();
                    crc.update(frame.buffer(), frame.offset(), frame.capturedLength());
                    frames.add(frame.timestampNanos() + "/" + frame.capturedLength() + "/" + frame.originalLength() + "/"
                        + frame.linkType() + "/" + frame.interfaceId() + "/" + Long.toHexString(crc.getValue()));
                }
            }
            String damage = source.damage();
            if (damage != null) {
                assertOneLine(damage);
            }
            assertNull(source.next(), "a frame after the end");
            return new Outcome(frames, count, null, damage != null);
        } catch (CaptureException e) {
            assertTrue(e.kind() == CaptureException.Kind.BAD_FORMAT || e.kind() == CaptureException.Kind.UNKNOWN_FORMAT,
                "kind " + e.kind() + ": " + e.getMessage());
            assertTrue(e.getMessage() != null && (e.getMessage().startsWith(name + ": ")
                || e.getMessage().startsWith(name + " (")), e.getMessage());
            assertOneLine(e.getMessage());
            return new Outcome(frames, count, e.kind(), false);
        }
    }

    private static byte[] compress(String form, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length / 2 + 64);
        try (OutputStream out = switch (form) {
            case "gzip" -> new GZIPOutputStream(bytes);
            case "zstd" -> new ZstdOutputStream(bytes);
            case "lz4" -> new FramedLZ4CompressorOutputStream(bytes);
            default -> throw new IllegalArgumentException(form);
        }) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    private static void assertOneLine(String message) {
        assertTrue(!message.isEmpty() && message.indexOf('\n') < 0 && message.indexOf('\r') < 0,
            "not one line: " + message);
    }

    /** Hands out {@code data} in pieces of 1 to 4,096 bytes, their sizes from a small generator. */
    private static final class PiecesInputStream extends InputStream {
        private final byte[] data;
        private int position;
        private int state;

        PiecesInputStream(byte[] data, int seed) {
            this.data = data;
            this.state = seed;
        }

        @Override
        public int read() {
            return position < data.length ? data[position++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (position >= data.length) {
                return -1;
            }
            state = state * 1_103_515_245 + 12_345;
            int piece = 1 + ((state >>> 16) & 0xFFF);
            int n = Math.min(Math.min(len, piece), data.length - position);
            System.arraycopy(data, position, b, off, n);
            position += n;
            return n;
        }
    }
}
