package io.tcpscope.capture.file;

import io.tcpscope.capture.Frame;
import io.tcpscope.capture.LinkType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Merging allocates nothing per packet, even when every frame comes from the other file
 * (two taps whose frames alternate: the worst case for the merge).
 */
class CaptureSetAllocationTest {
    private static final int PER_FILE = 100_000;

    @TempDir
    Path dir;

    private Path write(String name, long firstNanos) throws Exception {
        byte[] data = new byte[60];
        Path path = dir.resolve(name);
        try (PcapWriter writer = new PcapWriter(path, LinkType.ETHERNET, 65535, PcapWriter.Precision.NANOSECONDS)) {
            for (int i = 0; i < PER_FILE; i++) {
                data[59] = (byte) i;
                writer.write(firstNanos + i * 2_000L, data.length, data.length, data, 0);
            }
        }
        return path;
    }

    @Test
    void mergingAlternatingFilesAllocatesNothingPerPacket() throws Exception {
        com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "no per-thread allocation counter in this JVM");
        threads.setThreadAllocatedMemoryEnabled(true);
        List<Path> files = List.of(write("b.pcap", 1_000L), write("a.pcap", 0L));
        readAll(files); // warm-up for the JIT
        long threadId = Thread.currentThread().getId();
        long checksum = 0;
        try (CaptureSet set = CaptureFiles.open(files)) {
            // both files are open after their first frames: measure from there
            set.next();
            set.next();
            long before = threads.getThreadAllocatedBytes(threadId);
            long count = 2;
            int previousFile = 1;
            int switches = 0;
            for (Frame f = set.next(); f != null; f = set.next()) {
                checksum += f.buffer()[f.offset() + f.capturedLength() - 1] + f.timestampNanos() + f.fileFrameNumber();
                switches += f.fileIndex() != previousFile ? 1 : 0;
                previousFile = f.fileIndex();
                count++;
            }
            long allocated = threads.getThreadAllocatedBytes(threadId) - before;
            assertEquals(2L * PER_FILE, count);
            assertEquals(count - 2, switches, "frames alternate between the files");
            double perPacket = (double) allocated / (count - 2);
            System.out.printf("allocation while merging %d alternating packets: %d bytes (%.4f bytes/packet)%n",
                count - 2, allocated, perPacket);
            assertTrue(perPacket < 0.5, "allocated " + allocated + " bytes for " + (count - 2) + " packets");
        }
        assertTrue(checksum != 0);
    }

    private static void readAll(List<Path> files) throws Exception {
        try (CaptureSet set = CaptureFiles.open(files)) {
            while (set.next() != null) {
                // warm-up
            }
        }
    }
}
