package io.tcpscope.capture.file;

import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.LinkType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PcapReaderTest {
    @TempDir
    Path dir;

    private static CaptureBytes threeFrames(boolean bigEndian, int magic) {
        return CaptureBytes.pcap(bigEndian, magic, LinkType.ETHERNET)
            .record(1_700_000_000L, 123_456, CaptureBytes.data(60, 0), 60)
            .record(4_000_000_000L, 999_999, CaptureBytes.data(1514, 7), 1514) // after 2038: unsigned seconds
            .record(1_700_000_001L, 0, CaptureBytes.data(96, 3), 1500);         // cut by a snaplen
    }

    @ParameterizedTest(name = "bigEndian={0} nanoseconds={1}")
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void readsBothByteOrdersAndBothPrecisions(boolean bigEndian, boolean nanoseconds) throws Exception {
        int magic = nanoseconds ? PcapReader.MAGIC_NANOSECONDS : PcapReader.MAGIC_MICROSECONDS;
        long unit = nanoseconds ? 1 : 1_000;
        ReadResult result = ReadResult.read(dir, "f.pcap", threeFrames(bigEndian, magic).bytes(), 1 << 20);
        assertNull(result.damage);
        assertEquals(3, result.count());
        assertEquals(1_700_000_000L * 1_000_000_000L + 123_456 * unit, result.frame(1).timestampNanos());
        assertEquals(4_000_000_000L * 1_000_000_000L + 999_999 * unit, result.frame(2).timestampNanos());
        assertEquals(1_700_000_001L * 1_000_000_000L, result.frame(3).timestampNanos());
        assertEquals(96, result.frame(3).capturedLength());
        assertEquals(1500, result.frame(3).originalLength());
        for (int i = 1; i <= 3; i++) {
            assertEquals(i, result.frame(i).number());
            assertEquals(LinkType.ETHERNET, result.frame(i).linkType());
            assertEquals(0, result.frame(i).interfaceId());
        }
        assertArrayEquals(CaptureBytes.data(1514, 7), result.frame(2).data());
    }

    @Test
    void readsKuznetzovModifiedRecords() throws Exception {
        // modified records carry 8 more header bytes: ifindex, protocol, packet type, padding
        CaptureBytes file = CaptureBytes.pcap(false, PcapReader.MAGIC_MODIFIED, LinkType.ETHERNET);
        file.recordHeader(10, 20, 4, 4).raw(new byte[8]).raw(new byte[] {1, 2, 3, 4});
        ReadResult result = ReadResult.read(dir, "m.pcap", file.bytes(), 1 << 20);
        assertNull(result.damage);
        assertEquals(1, result.count());
        assertEquals(10_000_020_000L, result.frame(1).timestampNanos());
        assertArrayEquals(new byte[] {1, 2, 3, 4}, result.frame(1).data());
    }

    @Test
    void masksTheFcsBitsOfTheLinkTypeField() throws Exception {
        // FCS length 4 (0x4 << 28) with the "FCS length present" bit (0x04000000)
        int field = 0x4000_0000 | 0x0400_0000 | LinkType.LINUX_SLL;
        ReadResult result = ReadResult.read(dir, "fcs.pcap",
            CaptureBytes.pcap(false, PcapReader.MAGIC_MICROSECONDS, field).record(1, 2, new byte[20], 20).bytes(),
            1 << 20);
        assertEquals(LinkType.LINUX_SLL, result.frame(1).linkType());
    }

    @Test
    void rejectsReservedLinkTypeBitsLikeLibpcap() {
        CaptureException e = assertThrows(CaptureException.class, () -> ReadResult.read(dir, "r.pcap",
            CaptureBytes.pcap(false, PcapReader.MAGIC_MICROSECONDS, 0x0030_0001).bytes(), 1 << 20));
        assertEquals(CaptureException.Kind.BAD_FORMAT, e.kind());
        assertTrue(e.getMessage().endsWith("r.pcap: savefile linktype reserved field not zero (0x00300000)"),
            e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"1,4", "2,5", "3,0", "543,0"})
    void rejectsOtherVersionsLikeLibpcap(int major, int minor) {
        CaptureException e = assertThrows(CaptureException.class, () -> ReadResult.read(dir, "v.pcap",
            CaptureBytes.pcap(true, PcapReader.MAGIC_MICROSECONDS, major, minor, 1).bytes(), 1 << 20));
        assertEquals(CaptureException.Kind.BAD_FORMAT, e.kind());
        assertTrue(e.getMessage().endsWith(": unsupported pcap savefile version " + major + "." + minor),
            e.getMessage());
    }

    @Test
    void acceptsOlderMinorVersions() throws Exception {
        ReadResult result = ReadResult.read(dir, "v23.pcap",
            CaptureBytes.pcap(false, PcapReader.MAGIC_MICROSECONDS, 2, 3, 1).record(1, 1, new byte[4], 4).bytes(),
            1 << 20);
        assertEquals(1, result.count());
    }

    @Test
    void capturedLengthOverTheLimitIsDamage() throws Exception {
        CaptureBytes file = CaptureBytes.pcap(false, PcapReader.MAGIC_MICROSECONDS, 1)
            .record(1, 0, new byte[10], 10)
            .recordHeader(2, 0, PcapReader.RECORD_LIMIT + 1, 70_000);
        file.raw(new byte[100]);
        ReadResult result = ReadResult.read(dir, "big.pcap", file.bytes(), 1 << 20);
        assertEquals(1, result.count());
        assertEquals("corrupt record: frame 2 at byte offset 50 has captured length 262145, more than the "
            + "262144-byte limit", result.damage);
    }

    @Test
    void aRecordOfExactlyTheLimitIsRead() throws Exception {
        byte[] data = CaptureBytes.data(PcapReader.RECORD_LIMIT, 1);
        ReadResult result = ReadResult.read(dir, "limit.pcap",
            CaptureBytes.pcap(false, PcapReader.MAGIC_NANOSECONDS, 1).record(1, 0, data, data.length).bytes(),
            PcapReader.RECORD_LIMIT + PcapReader.RECORD_HEADER_LENGTH);
        assertNull(result.damage);
        assertArrayEquals(data, result.frame(1).data());
    }

    @Test
    void truncatedBodyMessage() throws Exception {
        byte[] whole = threeFrames(false, PcapReader.MAGIC_MICROSECONDS).bytes();
        // frame 2 starts at 24 + 16 + 60 = 100 and needs 16 + 1514 bytes
        byte[] cut = Arrays.copyOf(whole, 100 + 16 + 310);
        ReadResult result = ReadResult.read(dir, "cut.pcap", cut, 1 << 20);
        assertEquals(1, result.count());
        assertEquals("truncated record: frame 2 at byte offset 100 needs 1530 bytes, only 326 present", result.damage);
    }

    /** Every prefix of a file: complete frames delivered, damage iff cut mid-record, never an unchecked exception. */
    @Test
    void truncationAtEveryLength() throws Exception {
        for (boolean bigEndian : new boolean[] {false, true}) {
            CaptureBytes file = threeFrames(bigEndian, PcapReader.MAGIC_NANOSECONDS);
            byte[] whole = file.bytes();
            ReadResult reference = ReadResult.read(dir, "whole.pcap", whole, 1 << 20);
            for (int length = 0; length <= whole.length; length++) {
                byte[] prefix = Arrays.copyOf(whole, length);
                if (length < PcapReader.FILE_HEADER_LENGTH) {
                    CaptureException e = assertThrows(CaptureException.class,
                        () -> ReadResult.read(dir, "p.pcap", prefix, 1 << 20), "length " + length);
                    assertEquals(CaptureException.Kind.BAD_FORMAT, e.kind());
                    continue;
                }
                for (int window : new int[] {4096, 1600, 2000}) {
                    ReadResult result = ReadResult.read(dir, "p.pcap", prefix, window);
                    int complete = 0;
                    while (complete < file.packetEnds.size() && file.packetEnds.get(complete) <= length) {
                        complete++;
                    }
                    assertEquals(complete, result.count(), "length " + length);
                    for (int i = 0; i < complete; i++) {
                        assertEquals(reference.frames.get(i).timestampNanos(), result.frames.get(i).timestampNanos());
                        assertArrayEquals(reference.frames.get(i).data(), result.frames.get(i).data());
                    }
                    boolean atBoundary = file.boundaries.contains(length);
                    assertEquals(atBoundary, result.damage == null, "length " + length + ": " + result.damage);
                    if (!atBoundary) {
                        assertTrue(result.damage.startsWith("truncated record: frame " + (complete + 1) + " at byte offset "),
                            result.damage);
                    }
                }
            }
        }
    }

    @Test
    void smallWindowsReadTheSameFrames() throws Exception {
        CaptureBytes file = CaptureBytes.pcap(false, PcapReader.MAGIC_MICROSECONDS, 1);
        for (int i = 0; i < 500; i++) {
            file.record(i, i, CaptureBytes.data(i % 97, i), 1000);
        }
        ReadResult big = ReadResult.read(dir, "many.pcap", file.bytes(), 1 << 20);
        assertEquals(500, big.count());
        for (int window : new int[] {113, 128, 500, 4096}) {
            ReadResult small = ReadResult.read(dir.resolve("many.pcap"), window);
            assertNull(small.damage);
            assertEquals(500, small.count());
            for (int i = 0; i < 500; i++) {
                assertEquals(big.frames.get(i).timestampNanos(), small.frames.get(i).timestampNanos());
                assertArrayEquals(big.frames.get(i).data(), small.frames.get(i).data());
            }
        }
    }
}
