package io.tcpscope.capture.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.PacketSource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code -w} into a file system that fills up (a 64 KiB tmpfs; root only, skipped otherwise):
 * the write error says so once, and the file written so far stays a valid pcap, cut at a
 * record boundary, holding exactly the frames the writer says.
 */
class PcapWriterFullDiskTest {
    private static Path dir;
    private static boolean mounted;

    @BeforeAll
    static void mountSmallTmpfs() throws Exception {
        dir = Files.createTempDirectory("flt-pcap");
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        mounted = p.waitFor() == 0;
    }

    @AfterAll
    static void unmount() throws Exception {
        if (mounted) {
            new ProcessBuilder("umount", dir.toString()).start().waitFor();
        }
        Files.deleteIfExists(dir);
    }

    @Test
    void fullDiskLeavesAValidFileCutAtARecord() throws Exception {
        assumeTrue(mounted, "cannot mount a tmpfs here (needs root)");
        Path file = dir.resolve("live.pcap");
        byte[] frame = new byte[1000];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (byte) i;
        }
        PcapWriter w = new PcapWriter(file, 1, 65535);
        CaptureException e = assertThrows(CaptureException.class, () -> {
            for (int i = 0; i < 10_000; i++) {
                w.write(1_700_000_000_000_000_000L + i * 1000L, 997, 997, frame, 3);
                if (i % 7 == 0) {
                    w.flush(); // as live does, at every evaluation
                }
            }
        });
        assertTrue(e.getMessage().contains("write error: No space left on device"), e.getMessage());
        assertTrue(e.getMessage().contains("cut at a record boundary"), e.getMessage());
        assertTrue(w.isClosed());
        w.close(); // a no-op after the error
        long kept = w.framesOnDisk();
        assertTrue(kept > 0, "some frames fit");
        assertEquals(PcapReader.FILE_HEADER_LENGTH + kept * (PcapReader.RECORD_HEADER_LENGTH + 997), Files.size(file));
        long read = 0;
        try (PacketSource source = CaptureFiles.open(java.util.List.of(file))) {
            while (source.next() != null) {
                read++;
            }
            assertNull(source.damage(), "no cut record");
        }
        assertEquals(kept, read);
    }
}
