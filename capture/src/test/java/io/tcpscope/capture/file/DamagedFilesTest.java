package io.tcpscope.capture.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.LinkType;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged capture files that the reader tests do not already cover (issue 12). Covered
 * elsewhere: truncation at every length, record or block boundary (PcapReaderTest and
 * PcapngReaderTest {@code truncationAtEveryLength}); bad magic and short headers
 * (CaptureFilesTest); a captured length over 256 KiB (PcapReaderTest); pcapng lengths under
 * the minimum, not a multiple of 4, header and trailer disagreeing, a block over the window,
 * an interface option running past its block (PcapngReaderTest); unknown block types between
 * packets (PcapngReaderTest {@code threeSections}); random bytes (CaptureFilesTest and
 * CaptureFileFuzzTest).
 */
class DamagedFilesTest {
    @TempDir
    Path dir;

    private static final long FOUR_GB = 0xFFFF_FFFFL;

    @Test
    void pcapRecordClaiming4GbIsDamageAndAllocatesNothingForIt() throws Exception {
        CaptureBytes file = CaptureBytes.pcap(false, PcapReader.MAGIC_MICROSECONDS, LinkType.ETHERNET)
            .record(1, 0, CaptureBytes.data(60, 0), 60)
            .recordHeader(2, 0, (int) FOUR_GB, (int) FOUR_GB);
        file.raw(new byte[64]);
        long allocated = allocatedReading(file.bytes(), 1 << 20);
        ReadResult result = ReadResult.read(dir, "4g.pcap", file.bytes(), 1 << 20);
        assertEquals(1, result.count());
        assertEquals("corrupt record: frame 2 at byte offset 100 has captured length 4294967295, more than the "
            + "262144-byte limit", result.damage);
        assertTrue(allocated < 2 << 20, "reading allocated " + allocated + " bytes");
    }

    @Test
    void pcapngBlocksClaiming4GbAreDamageAndAllocateNothingForThem() throws Exception {
        // an enhanced packet block, a block of an unknown type, and an EPB whose captured length claims 4 GB
        int[] types = {PcapngReader.ENHANCED_PACKET_BLOCK, 0x0000_0BAD};
        for (int type : types) {
            CaptureBytes file = oneFrame();
            file.raw(new CaptureBytes.Body(false).int32(type).int32(0xFFFF_FFFC).padded(new byte[40]).bytes());
            long allocated = allocatedReading(file.bytes(), 1 << 20);
            ReadResult result = ReadResult.read(dir, "4g.pcapng", file.bytes(), 1 << 20);
            assertEquals(1, result.count());
            assertTrue(result.damage.contains("4294967292"), result.damage);
            assertTrue(allocated < 2 << 20, "reading allocated " + allocated + " bytes");
        }
        CaptureBytes file = oneFrame().block(PcapngReader.ENHANCED_PACKET_BLOCK, new CaptureBytes.Body(false)
            .int32(0).int32(0).int32(0).int32((int) FOUR_GB).int32((int) FOUR_GB).padded(new byte[8]).bytes());
        ReadResult result = ReadResult.read(dir, "4g-epb.pcapng", file.bytes(), 1 << 20);
        assertEquals(1, result.count());
        assertTrue(result.damage.endsWith(": captured length 4294967295 does not fit in a block of 40 bytes"),
            result.damage);
    }

    @Test
    void originalLengthOf4GbIsKeptWithinAnInt() throws Exception {
        byte[] data = CaptureBytes.data(54, 1);
        ReadResult result = ReadResult.read(dir, "orig.pcap", CaptureBytes.pcap(true, PcapReader.MAGIC_NANOSECONDS,
            LinkType.ETHERNET).record(1, 2, data, (int) FOUR_GB).bytes(), 1 << 20);
        assertNull(result.damage);
        assertEquals(54, result.frame(1).capturedLength());
        assertEquals(Integer.MAX_VALUE, result.frame(1).originalLength());
    }

    /**
     * A record longer than the header's snaplen (but within 256 KiB) is read whole: the bytes
     * are in the file and the next record starts after them. libpcap cuts such a record to the
     * snaplen; keeping the bytes loses nothing.
     */
    @Test
    void recordLongerThanTheSnaplenIsReadWhole() throws Exception {
        // CaptureBytes.pcap writes snaplen 65535
        byte[] big = CaptureBytes.data(70_000, 5);
        byte[] next = CaptureBytes.data(60, 9);
        ReadResult result = ReadResult.read(dir, "snap.pcap", CaptureBytes.pcap(false, PcapReader.MAGIC_MICROSECONDS,
            LinkType.ETHERNET).record(1, 0, big, 70_000).record(2, 0, next, 60).bytes(), 1 << 20);
        assertNull(result.damage);
        assertEquals(2, result.count());
        assertArrayEquals(big, result.frame(1).data());
        assertArrayEquals(next, result.frame(2).data());
        // pcapng: an EPB longer than its interface's snaplen, likewise
        CaptureBytes ng = CaptureBytes.pcapng().section(false).interfaceDescription(LinkType.ETHERNET, 64, null, null)
            .enhancedPacket(0, 1, CaptureBytes.data(200, 1), 200).enhancedPacket(0, 2, next, 60);
        ReadResult ngResult = ReadResult.read(dir, "snap.pcapng", ng.bytes(), 1 << 20);
        assertNull(ngResult.damage);
        assertEquals(200, ngResult.frame(1).capturedLength());
        assertArrayEquals(next, ngResult.frame(2).data());
    }

    @Test
    void zeroLengthRecordsAreFramesOfNoBytes() throws Exception {
        byte[] data = CaptureBytes.data(60, 2);
        ReadResult pcap = ReadResult.read(dir, "zero.pcap", CaptureBytes.pcap(false, PcapReader.MAGIC_MICROSECONDS,
            LinkType.ETHERNET).record(1, 0, new byte[0], 0).record(2, 0, new byte[0], 1514).record(3, 0, data, 60)
            .bytes(), 1 << 20);
        assertNull(pcap.damage);
        assertEquals(3, pcap.count());
        assertEquals(0, pcap.frame(1).capturedLength());
        assertEquals(0, pcap.frame(2).capturedLength());
        assertEquals(1514, pcap.frame(2).originalLength());
        assertArrayEquals(data, pcap.frame(3).data());

        ReadResult ng = ReadResult.read(dir, "zero.pcapng", CaptureBytes.pcapng().section(true)
            .interfaceDescription(LinkType.ETHERNET, 0, null, null).enhancedPacket(0, 1, new byte[0], 0)
            .simplePacket(new byte[0], 0).enhancedPacket(0, 3, data, 60).bytes(), 1 << 20);
        assertNull(ng.damage);
        assertEquals(3, ng.count());
        assertEquals(0, ng.frame(1).capturedLength());
        assertEquals(0, ng.frame(2).capturedLength());
        assertArrayEquals(data, ng.frame(3).data());
    }

    /** The reader delivers frames in file order with the timestamps written; it never sorts or drops them. */
    @Test
    void timestampsGoingBackwardsAreDeliveredAsWritten() throws Exception {
        ReadResult pcap = ReadResult.read(dir, "back.pcap", CaptureBytes.pcap(false, PcapReader.MAGIC_NANOSECONDS,
            LinkType.ETHERNET).record(100, 5, new byte[20], 20).record(99, 7, new byte[20], 20)
            .record(0, 0, new byte[20], 20).record(100, 6, new byte[20], 20).bytes(), 1 << 20);
        assertNull(pcap.damage);
        long[] expected = {100_000_000_005L, 99_000_000_007L, 0, 100_000_000_006L};
        assertEquals(expected.length, pcap.count());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], pcap.frames.get(i).timestampNanos(), "frame " + (i + 1));
            assertEquals(i + 1, pcap.frames.get(i).number());
        }
        ReadResult ng = ReadResult.read(dir, "back.pcapng", CaptureBytes.pcapng().section(false)
            .interfaceDescription(LinkType.ETHERNET, 0, 9, null).enhancedPacket(0, 2_000, new byte[8], 8)
            .enhancedPacket(0, 1_000, new byte[8], 8).bytes(), 1 << 20);
        assertEquals(2_000, ng.frame(1).timestampNanos());
        assertEquals(1_000, ng.frame(2).timestampNanos());
    }

    /** Packet block options are not read: one running past the block costs nothing, the frame is delivered. */
    @Test
    void packetBlockOptionRunningPastTheBlockIsIgnored() throws Exception {
        byte[] data = CaptureBytes.data(8, 3);
        CaptureBytes file = oneFrame().block(PcapngReader.ENHANCED_PACKET_BLOCK, new CaptureBytes.Body(false)
            .int32(0).int32(0).int32(7).int32(8).int32(8).padded(data).int16(1).int16(400).int32(0).bytes());
        ReadResult result = ReadResult.read(dir, "opt.pcapng", file.bytes(), 1 << 20);
        assertNull(result.damage);
        assertEquals(2, result.count());
        assertArrayEquals(data, result.frame(2).data());
    }

    /** An unaligned block length in the first section header makes the file unreadable, with the offset. */
    @Test
    void unalignedSectionHeaderLength() {
        CaptureBytes file = CaptureBytes.pcapng();
        file.raw(new CaptureBytes.Body(false).int32(PcapngReader.SECTION_HEADER_BLOCK).int32(30).int32(0x1A2B3C4D)
            .int16(1).int16(0).int64(-1).int16(0).int16(0).int32(30).bytes());
        CaptureException e = org.junit.jupiter.api.Assertions.assertThrows(CaptureException.class,
            () -> ReadResult.read(dir, "shb.pcapng", file.bytes(), 1 << 20));
        assertEquals(CaptureException.Kind.BAD_FORMAT, e.kind());
        assertTrue(e.getMessage().endsWith("section header block at byte offset 0 has total length 30, not a multiple of 4"),
            e.getMessage());
    }

    private static CaptureBytes oneFrame() {
        return CaptureBytes.pcapng().section(false).interfaceDescription(LinkType.ETHERNET, 0, null, null)
            .enhancedPacket(0, 1, CaptureBytes.data(20, 0), 20);
    }

    /** Bytes allocated by this thread while reading the file to the end (after a warm-up read). */
    private long allocatedReading(byte[] bytes, int window) throws Exception {
        ReadResult.read(dir, "warm", bytes, window);
        Path path = dir.resolve("measured");
        java.nio.file.Files.write(path, bytes);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        try (io.tcpscope.capture.PacketSource source = CaptureFiles.open(path, window)) {
            while (source.next() != null) {
                // read to the end
            }
        }
        return threads.getCurrentThreadAllocatedBytes() - before;
    }
}
