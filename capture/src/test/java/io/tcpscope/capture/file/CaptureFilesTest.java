package io.tcpscope.capture.file;

import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.PacketSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class CaptureFilesTest {
    @TempDir
    Path dir;

    private CaptureException openFails(Path path) {
        return assertThrows(CaptureException.class, () -> {
            try (PacketSource source = CaptureFiles.open(path)) {
                source.next();
            }
        });
    }

    private CaptureException openFails(String name, byte[] bytes) throws Exception {
        Path path = dir.resolve(name);
        Files.write(path, bytes);
        return openFails(path);
    }

    @Test
    void missingFile() {
        Path path = dir.resolve("nope.pcap");
        CaptureException e = openFails(path);
        assertEquals(CaptureException.Kind.NOT_FOUND, e.kind());
        assertEquals(path + ": No such file or directory", e.getMessage());
    }

    @Test
    void directory() {
        CaptureException e = openFails(dir);
        assertEquals(CaptureException.Kind.NOT_FOUND, e.kind());
        assertEquals(dir + ": Is a directory", e.getMessage());
    }

    @Test
    void unreadableFile() throws Exception {
        Path path = dir.resolve("secret.pcap");
        Files.write(path, CaptureBytes.pcap(false, PcapReader.MAGIC_MICROSECONDS, 1).bytes());
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(path), "running as root: permissions are not enforced");
        CaptureException e = openFails(path);
        assertEquals(CaptureException.Kind.NOT_FOUND, e.kind());
        assertEquals(path + ": Permission denied", e.getMessage());
    }

    @Test
    void emptyFile() throws Exception {
        CaptureException e = openFails("empty.pcap", new byte[0]);
        assertEquals(CaptureException.Kind.BAD_FORMAT, e.kind());
        assertEquals(dir.resolve("empty.pcap") + ": empty file", e.getMessage());
    }

    @Test
    void tooShortForAMagic() throws Exception {
        CaptureException e = openFails("short.pcap", new byte[] {(byte) 0xd4, (byte) 0xc3});
        assertEquals(CaptureException.Kind.BAD_FORMAT, e.kind());
        assertEquals(dir.resolve("short.pcap") + ": not a pcap or pcapng file (only 2 bytes)", e.getMessage());
    }

    @Test
    void textFile() throws Exception {
        CaptureException e = openFails("notes.txt", "<html>hello</html>".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(CaptureException.Kind.UNKNOWN_FORMAT, e.kind());
        assertEquals(dir.resolve("notes.txt") + ": not a pcap or pcapng file (magic 0x3c68746d)", e.getMessage());
    }

    @Test
    void gzipHeaderCutShort() throws Exception {
        // gzip is read since compressed captures are (CompressedCapturesTest); a cut header is BAD_FORMAT
        CaptureException e = openFails("c.pcap.gz", new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0});
        assertEquals(CaptureException.Kind.BAD_FORMAT, e.kind());
        assertEquals(dir.resolve("c.pcap.gz") + ": gzip-compressed, but its header is damaged: "
            + "the file ends inside it", e.getMessage());
    }

    @Test
    void pcapHeaderCutShort() throws Exception {
        byte[] header = CaptureBytes.pcap(false, PcapReader.MAGIC_MICROSECONDS, 1).bytes();
        CaptureException e = openFails("h.pcap", java.util.Arrays.copyOf(header, 10));
        assertEquals(CaptureException.Kind.BAD_FORMAT, e.kind());
        assertEquals(dir.resolve("h.pcap") + ": truncated dump file; tried to read 24 file header bytes, only got 10",
            e.getMessage());
    }

    /** Random bytes, with and without a valid magic in front: only CaptureException, never anything else. */
    @Test
    void garbageNeverThrowsUncheckedExceptions() throws Exception {
        Random random = new Random(42);
        byte[][] magics = {
            {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1, 2, 0, 4, 0},
            {(byte) 0xa1, (byte) 0xb2, (byte) 0x3c, (byte) 0x4d, 0, 2, 0, 4},
            {0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0x1c, 0x1a, 0x2b, 0x3c, 0x4d, 0, 1, 0, 0},
            {0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0},
            {},
        };
        Path path = dir.resolve("garbage");
        for (int i = 0; i < 2000; i++) {
            byte[] magic = magics[i % magics.length];
            byte[] bytes = new byte[magic.length + random.nextInt(600)];
            random.nextBytes(bytes);
            // small lengths now and then, so that some blocks and records parse
            for (int j = magic.length; j + 4 <= bytes.length; j += 4 + random.nextInt(40)) {
                if (random.nextInt(3) == 0) {
                    bytes[j] = (byte) (random.nextInt(64) & ~3);
                    bytes[j + 1] = 0;
                    bytes[j + 2] = 0;
                    bytes[j + 3] = 0;
                }
            }
            System.arraycopy(magic, 0, bytes, 0, magic.length);
            Files.write(path, bytes);
            for (int window : new int[] {4096, 64}) {
                try {
                    ReadResult.read(path, window);
                } catch (CaptureException expected) {
                    assertTrue(expected.kind() == CaptureException.Kind.BAD_FORMAT
                            || expected.kind() == CaptureException.Kind.UNKNOWN_FORMAT, expected.getMessage());
                }
            }
        }
    }
}
