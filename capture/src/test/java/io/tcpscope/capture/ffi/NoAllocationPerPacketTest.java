package io.tcpscope.capture.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcpscope.capture.Frame;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading through the binding must not allocate per packet: checked with the thread's allocation counter. */
class NoAllocationPerPacketTest {
    private static final int PACKETS = 200_000;

    @TempDir
    Path dir;

    @Test
    void readingAFileAllocatesNothingPerPacket() throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "no per-thread allocation counter in this JVM");
        threads.setThreadAllocatedMemoryEnabled(true);
        Path file = PcapTestFiles.writeMany(dir.resolve("many.pcap"), PACKETS);

        readAll(file); // warm-up: let the JIT compile the loop and jnr-ffi's stubs
        long threadId = Thread.currentThread().getId();
        long[] checksum = new long[1];
        try (LibpcapSource source = LibpcapSource.openOffline(file, null)) {
            assertNotNull(source.next()); // first packet outside the measurement
            long before = threads.getThreadAllocatedBytes(threadId);
            long count = 1;
            for (Frame f = source.next(); f != null; f = source.next()) {
                checksum[0] += f.buffer()[f.offset() + f.capturedLength() - 1] + f.timestampNanos();
                count++;
            }
            long allocated = threads.getThreadAllocatedBytes(threadId) - before;
            assertEquals(PACKETS, count);
            double perPacket = (double) allocated / (count - 1);
            System.out.printf("allocation while reading %d packets through LibpcapSource: %d bytes (%.4f bytes/packet)%n",
                    count - 1, allocated, perPacket);
            assertTrue(perPacket < 0.5, "allocated " + allocated + " bytes for " + (count - 1) + " packets");
        }
        assertTrue(checksum[0] != 0);
    }

    private static long readAll(Path file) throws Exception {
        long count = 0;
        try (LibpcapSource source = LibpcapSource.openOffline(file, null)) {
            while (source.next() != null) {
                count++;
            }
        }
        return count;
    }
}
