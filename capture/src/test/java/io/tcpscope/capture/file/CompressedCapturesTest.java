package io.tcpscope.capture.file;

import io.tcpscope.capture.CaptureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compressed captures (gzip, zstd, lz4 frame) made with the real command-line tools, read
 * from files (recognised by magic, whatever their names) and from a stream.
 */
class CompressedCapturesTest {
    @TempDir
    Path dir;

    /** Compresses {@code source} with the CLI of {@code tool} into a file named without any extension. */
    private Path compress(String tool, Path source, String name) throws Exception {
        Tools.require(tool);
        Path out = dir.resolve(name);
        switch (tool) {
            case "gzip": Tools.run("sh", "-c", "gzip -c < '" + source + "' > '" + out + "'"); break;
            case "zstd": Tools.run("zstd", "-q", "-f", "-o", out.toString(), source.toString()); break;
            case "lz4": Tools.run("lz4", "-q", "-f", source.toString(), out.toString()); break;
            default: throw new AssertionError(tool);
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({
        "gzip, close-by-client", "zstd, close-by-client", "lz4, close-by-client",
        "gzip, zero-window", "zstd, zero-window", "lz4, zero-window",
        "zstd, many-connections", "lz4, merged-two-taps",
    })
    void sameFramesAsTheUncompressedCapture(String tool, String fixture) throws Exception {
        Path plain = Tools.fixture(fixture);
        Tools.Read expected = Tools.readAll(CaptureFiles.open(plain));
        Path compressed = compress(tool, plain, "capture-no-extension");
        Tools.Read fromFile = Tools.readAll(CaptureFiles.open(compressed));
        assertNull(fromFile.damage());
        assertEquals(expected.frames(), fromFile.frames());
        Tools.Read fromStream = Tools.readAll(CaptureFiles.openStream(Files.newInputStream(compressed), "-"));
        assertNull(fromStream.damage());
        assertEquals(expected.frames(), fromStream.frames());
        // a smaller window (still above the largest frame): the readers' refills cross the decompressor's buffers everywhere
        Tools.Read smallWindow = Tools.readAll(CaptureFiles.open(compressed, 1 << 17));
        assertEquals(expected.frames(), smallWindow.frames());
    }

    @ParameterizedTest
    @CsvSource({"gzip", "zstd", "lz4"})
    void cutCompressedFileIsDamageAfterTheFramesBeforeIt(String tool) throws Exception {
        Path plain = Tools.randomCapture(dir.resolve("random.pcap"), 8000, 1);
        Tools.Read expected = Tools.readAll(CaptureFiles.open(plain));
        Path compressed = compress(tool, plain, "whole");
        byte[] bytes = Files.readAllBytes(compressed);
        Path cut = dir.resolve("cut");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length * 2 / 3));
        Tools.Read read = Tools.readAll(CaptureFiles.open(cut));
        assertNotNull(read.damage(), "a cut " + tool + " file is damage");
        assertTrue(read.damage().startsWith(tool + " data damaged after "), read.damage());
        assertTrue(read.frames().size() < expected.frames().size());
        assertEquals(expected.frames().subList(0, read.frames().size()), read.frames());
    }

    @ParameterizedTest
    @CsvSource({"gzip", "zstd", "lz4"})
    void badChecksumIsDamage(String tool) throws Exception {
        Path plain = Tools.randomCapture(dir.resolve("random.pcap"), 8000, 2);
        Tools.Read expected = Tools.readAll(CaptureFiles.open(plain));
        Path compressed = compress(tool, plain, "whole");
        byte[] bytes = Files.readAllBytes(compressed);
        // the last 4 bytes are the checksum of the content in all three formats as their CLIs write them
        bytes[bytes.length - 2] ^= 0x5a;
        Path bad = dir.resolve("bad");
        Files.write(bad, bytes);
        Tools.Read read = Tools.readAll(CaptureFiles.open(bad));
        assertNotNull(read.damage(), "a bad " + tool + " checksum is damage");
        assertTrue(read.damage().startsWith(tool + " data damaged after "), read.damage());
        assertTrue(read.frames().size() > 0, "frames before the damage are delivered");
        assertEquals(expected.frames().subList(0, read.frames().size()), read.frames());
    }

    @Test
    void zstdDamagedBeforeAnyCaptureByteIsBadFormat() throws Exception {
        Path plain = Tools.fixture("close-by-client");
        Path compressed = compress("zstd", plain, "small");
        byte[] bytes = Files.readAllBytes(compressed);
        bytes[bytes.length - 2] ^= 0x5a;
        Files.write(compressed, bytes);
        // a small zstd frame comes out whole at its end, after its checksum: nothing before it is readable
        CaptureException e = assertThrows(CaptureException.class, () -> CaptureFiles.open(compressed));
        assertEquals(CaptureException.Kind.BAD_FORMAT, e.kind());
        assertTrue(e.getMessage().startsWith(compressed + ": zstd data damaged after 0 bytes of capture: "),
            e.getMessage());
    }

    @Test
    void gzipFromTheJdkInAStream() throws Exception {
        Path plain = Tools.fixture("close-by-client");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(Files.readAllBytes(plain));
        }
        Tools.Read read = Tools.readAll(CaptureFiles.openStream(new ByteArrayInputStream(out.toByteArray()), "-"));
        assertNull(read.damage());
        assertEquals(Tools.readAll(CaptureFiles.open(plain)).frames(), read.frames());
    }

    @Test
    void compressedNonCaptureSaysSo() throws Exception {
        Path text = dir.resolve("notes");
        Files.writeString(text, "not a capture at all\n");
        Path compressed = compress("gzip", text, "notes.pcap");
        CaptureException e = assertThrows(CaptureException.class, () -> CaptureFiles.open(compressed));
        assertEquals(CaptureException.Kind.UNKNOWN_FORMAT, e.kind());
        assertTrue(e.getMessage().startsWith(compressed + " (gzip-compressed): not a pcap or pcapng file"), e.getMessage());
    }

    @Test
    void damagedGzipHeaderIsBadFormat() throws Exception {
        Path bad = dir.resolve("bad.gz");
        Files.write(bad, new byte[] {0x1f, (byte) 0x8b, 99, 0, 0, 0, 0, 0, 0, 0});
        CaptureException e = assertThrows(CaptureException.class, () -> CaptureFiles.open(bad));
        assertEquals(CaptureException.Kind.BAD_FORMAT, e.kind());
        assertTrue(e.getMessage().startsWith(bad + ": gzip-compressed, but its header is damaged"), e.getMessage());
    }
}
