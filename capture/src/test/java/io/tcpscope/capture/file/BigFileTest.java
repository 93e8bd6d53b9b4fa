package io.tcpscope.capture.file;

import io.tcpscope.capture.Frame;
import io.tcpscope.capture.LinkType;
import io.tcpscope.capture.PacketSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A capture over 4 GiB: offsets past 2^32 must work. Opt-in, since it writes about 4.3 GB:
 * {@code mvn -pl capture test -Dtest=BigFileTest -Dtcpscope.bigfile=true}.
 */
@EnabledIfSystemProperty(named = "tcpscope.bigfile", matches = "true")
class BigFileTest {
    private static final int FRAME_LENGTH = 1500;
    private static final long RECORD_LENGTH = PcapReader.RECORD_HEADER_LENGTH + FRAME_LENGTH;
    private static final long TARGET_SIZE = (1L << 32) + (200L << 20);
    private static final long T0 = 1_700_000_000_000_000_000L;

    @Test
    void readsAFileOverFourGigabytes() throws Exception {
        Path path = Files.createTempFile("tcpscope-bigfile", ".pcap");
        try {
            long count = (TARGET_SIZE - PcapReader.FILE_HEADER_LENGTH) / RECORD_LENGTH + 1;
            byte[] data = CaptureBytes.data(FRAME_LENGTH, 0);
            try (PcapWriter writer = new PcapWriter(path, LinkType.ETHERNET, 65535)) {
                for (long i = 0; i < count; i++) {
                    data[0] = (byte) i;
                    data[FRAME_LENGTH - 1] = (byte) (i >>> 8);
                    writer.write(T0 + i * 1_000, FRAME_LENGTH, FRAME_LENGTH, data, 0);
                }
            }
            long size = Files.size(path);
            assertTrue(size > (1L << 32), "file size " + size);
            long read = 0;
            long lastNanos = 0;
            byte lastFirst = 0;
            byte lastEnd = 0;
            try (PacketSource source = CaptureFiles.open(path)) {
                Frame frame;
                while ((frame = source.next()) != null) {
                    read++;
                    assertEquals(read, frame.number());
                    lastNanos = frame.timestampNanos();
                    lastFirst = frame.buffer()[frame.offset()];
                    lastEnd = frame.buffer()[frame.offset() + FRAME_LENGTH - 1];
                }
                assertNull(source.damage());
            }
            assertEquals(count, read);
            assertEquals(T0 + (count - 1) * 1_000, lastNanos);
            assertEquals((byte) (count - 1), lastFirst);
            assertEquals((byte) ((count - 1) >>> 8), lastEnd);
            System.out.printf("BigFileTest: %d bytes, %d frames read, last frame %d at %d ns%n",
                size, read, read, lastNanos);
        } finally {
            Files.deleteIfExists(path);
        }
    }
}
