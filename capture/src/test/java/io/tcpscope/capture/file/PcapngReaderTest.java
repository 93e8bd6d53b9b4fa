package io.tcpscope.capture.file;

import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.LinkType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PcapngReaderTest {
    @TempDir
    Path dir;

    private static final long S = 1_000_000_000L;
    private static final int NAME_RESOLUTION_BLOCK = 0x00000004;
    private static final int INTERFACE_STATISTICS_BLOCK = 0x00000005;
    private static final int CUSTOM_BLOCK = 0x00000BAD;
    private static final int DECRYPTION_SECRETS_BLOCK = 0x0000000A;

    /** What the reader must deliver for {@link #threeSections}. */
    private final List<ReadResult.Copy> expected = new ArrayList<>();

    private void expect(long nanos, int capturedLength, int originalLength, int linkType, int interfaceId, byte[] data) {
        expected.add(new ReadResult.Copy(expected.size() + 1, nanos, capturedLength, originalLength, linkType,
            interfaceId, Arrays.copyOf(data, capturedLength)));
    }

    /**
     * Three sections (little, big, little endian), interfaces with different link types and
     * if_tsresol 10^-6 (default), 10^-9, 2^-10, 2^0, 10^-3 and an if_tsoffset; EPB, OPB, SPB;
     * NRB, ISB, DSB and custom blocks to skip.
     */
    private CaptureBytes threeSections() {
        CaptureBytes file = CaptureBytes.pcapng().section(false)
            .interfaceDescription(LinkType.ETHERNET, 0, null, null)
            .interfaceDescription(LinkType.RAW, 128, 9, 100L)
            .block(CUSTOM_BLOCK, CaptureBytes.data(20, 0))
            .block(NAME_RESOLUTION_BLOCK, new byte[8]);
        byte[] a = CaptureBytes.data(60, 1);
        file.enhancedPacket(0, 1_700_000_000_123_456L, a, 60);
        expect(1_700_000_000_123_456_000L, 60, 60, LinkType.ETHERNET, 0, a);
        byte[] b = CaptureBytes.data(41, 2);
        file.enhancedPacket(1, 1_700_000_000_123_456_789L, b, 1400);
        expect(1_700_000_100_123_456_789L, 41, 1400, LinkType.RAW, 1, b);
        file.block(INTERFACE_STATISTICS_BLOCK, new byte[20]);
        byte[] c = CaptureBytes.data(50, 3);
        file.obsoletePacket(0, 1_700_000_001_000_000L, c, 50);
        expect(1_700_000_001_000_000_000L, 50, 50, LinkType.ETHERNET, 0, c);
        byte[] d = CaptureBytes.data(30, 4);
        file.simplePacket(d, 30);
        expect(0, 30, 30, LinkType.ETHERNET, 0, d);

        file.section(true)
            .interfaceDescription(LinkType.LINUX_SLL, 64, 0x8A, null)
            .block(DECRYPTION_SECRETS_BLOCK, new byte[12])
            .interfaceDescription(LinkType.NULL, 0, 0x80, null);
        byte[] e = CaptureBytes.data(64, 5);
        file.simplePacket(e, 1000);   // the writer cut it to interface 0's snaplen
        expect(0, 64, 1000, LinkType.LINUX_SLL, 0, e);
        byte[] f = CaptureBytes.data(33, 6);
        file.enhancedPacket(0, 1024L * 1_700_000_000 + 512, f, 33);
        expect(1_700_000_000_500_000_000L, 33, 33, LinkType.LINUX_SLL, 0, f);
        file.enhancedPacket(1, 1_700_000_007L, f, 33);
        expect(1_700_000_007L * S, 33, 33, LinkType.NULL, 1, f);

        file.section(false).interfaceDescription(LinkType.IPV6, 0, 3, -10L);
        byte[] g = CaptureBytes.data(40, 7);
        file.enhancedPacket(0, 1_700_000_000_500L, g, 40);
        expect(1_699_999_990_500_000_000L, 40, 40, LinkType.IPV6, 0, g);
        return file;
    }

    private void assertExpected(ReadResult result, int count) {
        assertEquals(count, result.count());
        for (int i = 0; i < count; i++) {
            ReadResult.Copy want = expected.get(i);
            ReadResult.Copy got = result.frames.get(i);
            String what = "frame " + (i + 1);
            assertEquals(want.number(), got.number(), what);
            assertEquals(want.timestampNanos(), got.timestampNanos(), what);
            assertEquals(want.capturedLength(), got.capturedLength(), what);
            assertEquals(want.originalLength(), got.originalLength(), what);
            assertEquals(want.linkType(), got.linkType(), what);
            assertEquals(want.interfaceId(), got.interfaceId(), what);
            assertArrayEquals(want.data(), got.data(), what);
        }
    }

    @Test
    void readsSectionsInterfacesResolutionsAndPacketBlocks() throws Exception {
        ReadResult result = ReadResult.read(dir, "s.pcapng", threeSections().bytes(), 1 << 20);
        assertNull(result.damage);
        assertExpected(result, expected.size());
    }

    @Test
    void smallWindowsReadTheSameFrames() throws Exception {
        byte[] bytes = threeSections().bytes();
        for (int window : new int[] {128, 200, 333, 1024}) {
            ReadResult result = ReadResult.read(dir, "s.pcapng", bytes, window);
            assertNull(result.damage, "window " + window);
            assertExpected(result, expected.size());
        }
    }

    @Test
    void truncationAtEveryLength() throws Exception {
        CaptureBytes file = threeSections();
        byte[] whole = file.bytes();
        int firstSectionEnd = file.boundaries.get(0);
        for (int length = 0; length <= whole.length; length++) {
            byte[] prefix = Arrays.copyOf(whole, length);
            if (length < firstSectionEnd) {
                CaptureException e = assertThrows(CaptureException.class,
                    () -> ReadResult.read(dir, "p.pcapng", prefix, 1 << 20), "length " + length);
                assertEquals(CaptureException.Kind.BAD_FORMAT, e.kind());
                continue;
            }
            for (int window : new int[] {4096, 128}) {
                ReadResult result = ReadResult.read(dir, "p.pcapng", prefix, window);
                int complete = 0;
                while (complete < file.packetEnds.size() && file.packetEnds.get(complete) <= length) {
                    complete++;
                }
                assertExpected(result, complete);
                boolean atBoundary = file.boundaries.contains(length);
                assertEquals(atBoundary, result.damage == null, "length " + length + ": " + result.damage);
                if (!atBoundary) {
                    assertTrue(result.damage.startsWith("truncated block: "), result.damage);
                }
            }
        }
    }

    private static CaptureBytes oneGoodFrame() {
        return CaptureBytes.pcapng().section(false).interfaceDescription(LinkType.ETHERNET, 0, null, null)
            .enhancedPacket(0, 1, new byte[20], 20);
    }

    private ReadResult readDamaged(CaptureBytes file) throws Exception {
        ReadResult result = ReadResult.read(dir, "d.pcapng", file.bytes(), 1 << 20);
        assertEquals(1, result.count(), "the frame before the damage is delivered");
        return result;
    }

    @Test
    void trailingLengthMismatchIsDamage() throws Exception {
        CaptureBytes file = oneGoodFrame();
        int offset = file.size();
        file.raw(new CaptureBytes.Body(false).int32(PcapngReader.ENHANCED_PACKET_BLOCK).int32(48).int32(0).int32(0)
            .int32(0).int32(16).int32(16).padded(new byte[16]).int32(52).bytes());
        assertEquals("corrupt block: enhanced packet block at byte offset " + offset
            + ": block total length in header 48 and trailer 52 don't match", readDamaged(file).damage);
    }

    @Test
    void skippedBlockTrailingLengthMismatchIsDamage() throws Exception {
        CaptureBytes file = oneGoodFrame();
        int offset = file.size();
        file.raw(new CaptureBytes.Body(false).int32(CUSTOM_BLOCK).int32(16).int32(0).int32(20).bytes());
        assertEquals("corrupt block: block of type 0x00000bad at byte offset " + offset
            + ": block total length in header 16 and trailer 20 don't match", readDamaged(file).damage);
    }

    @Test
    void lengthNotAMultipleOfFourIsDamage() throws Exception {
        CaptureBytes file = oneGoodFrame();
        int offset = file.size();
        file.raw(new CaptureBytes.Body(false).int32(CUSTOM_BLOCK).int32(14).int32(0).int32(14).bytes());
        assertEquals("corrupt block: block of type 0x00000bad at byte offset " + offset
            + " has total length 14, not a multiple of 4", readDamaged(file).damage);
    }

    @Test
    void lengthUnderTheMinimumIsDamage() throws Exception {
        CaptureBytes file = oneGoodFrame();
        file.raw(new CaptureBytes.Body(false).int32(PcapngReader.ENHANCED_PACKET_BLOCK).int32(8).int32(8).bytes());
        assertTrue(readDamaged(file).damage.endsWith(" has total length 8, less than the 12-byte minimum"));
        CaptureBytes shortEpb = oneGoodFrame().block(PcapngReader.ENHANCED_PACKET_BLOCK, new byte[12]);
        assertTrue(readDamaged(shortEpb).damage.endsWith(" has total length 24, less than the 32-byte minimum"));
    }

    @Test
    void undefinedInterfaceIsDamage() throws Exception {
        CaptureBytes file = oneGoodFrame().enhancedPacket(1, 2, new byte[20], 20);
        assertTrue(readDamaged(file).damage.endsWith(
            " refers to interface 1 but the section describes 1 interface"), readDamaged(file).damage);
        // interface ids are per section: a new section starts with none
        CaptureBytes nextSection = oneGoodFrame().section(true).simplePacket(new byte[8], 8);
        assertTrue(readDamaged(nextSection).damage.startsWith("corrupt block: simple packet block (frame 2)"));
        assertTrue(readDamaged(nextSection).damage.endsWith(" refers to interface 0 but the section describes 0 interfaces"));
    }

    @Test
    void capturedLengthBeyondTheBlockIsDamage() throws Exception {
        CaptureBytes file = oneGoodFrame().block(PcapngReader.ENHANCED_PACKET_BLOCK,
            new CaptureBytes.Body(false).int32(0).int32(0).int32(0).int32(200).int32(200).padded(new byte[8]).bytes());
        assertTrue(readDamaged(file).damage.endsWith(": captured length 200 does not fit in a block of 40 bytes"));
    }

    @Test
    void blockLargerThanTheWindowIsDamage() throws Exception {
        CaptureBytes file = oneGoodFrame().enhancedPacket(0, 2, new byte[300], 300);
        ReadResult result = ReadResult.read(dir, "w.pcapng", file.bytes(), 256);
        assertEquals(1, result.count());
        assertTrue(result.damage.endsWith(", more than the 256-byte limit"), result.damage);
    }

    @Test
    void unsupportedVersionInALaterSectionIsDamage() throws Exception {
        CaptureBytes file = oneGoodFrame().section(false, 2, 0).interfaceDescription(1, 0, null, null)
            .enhancedPacket(0, 1, new byte[4], 4);
        assertEquals("corrupt block: section header block at byte offset " + oneGoodFrame().size()
            + ": unsupported pcapng version 2.0", readDamaged(file).damage);
    }

    @Test
    void hugeSkippedBlockRunningPastTheEndIsTruncation() throws Exception {
        CaptureBytes file = oneGoodFrame();
        int offset = file.size();
        file.raw(new CaptureBytes.Body(false).int32(CUSTOM_BLOCK).int32(0x7000_0000).int32(0).bytes());
        assertEquals("truncated block: block of type 0x00000bad at byte offset " + offset
            + " needs 1879048192 bytes, only 12 present", readDamaged(file).damage);
    }

    @Test
    void corruptBlockBeforeTheFirstPacketMakesTheFileUnreadable() {
        CaptureBytes file = CaptureBytes.pcapng().section(false);
        file.raw(new CaptureBytes.Body(false).int32(PcapngReader.INTERFACE_DESCRIPTION_BLOCK).int32(20)
            .int32(1).int32(0).int32(0x30303030).bytes());
        CaptureException e = assertThrows(CaptureException.class,
            () -> ReadResult.read(dir, "c.pcapng", file.bytes(), 1 << 20));
        assertEquals(CaptureException.Kind.BAD_FORMAT, e.kind());
        assertTrue(e.getMessage().endsWith("c.pcapng: corrupt block: interface description block at byte offset 52: "
            + "block total length in header 20 and trailer 808464432 don't match"), e.getMessage());
    }

    @Test
    void idbOptionRunningPastTheBlockIsDamage() {
        CaptureBytes file = CaptureBytes.pcapng().section(true).block(PcapngReader.INTERFACE_DESCRIPTION_BLOCK,
            new CaptureBytes.Body(true).int16(1).int16(0).int32(0).int16(9).int16(40).bytes());
        CaptureException e = assertThrows(CaptureException.class,
            () -> ReadResult.read(dir, "o.pcapng", file.bytes(), 1 << 20));
        assertTrue(e.getMessage().endsWith(": option 9 of length 40 runs past the end of the block"), e.getMessage());
    }

    @Test
    void firstSectionErrorsUseLibpcapWording() {
        CaptureBytes version = CaptureBytes.pcapng().section(false, 1, 1);
        CaptureException e = assertThrows(CaptureException.class,
            () -> ReadResult.read(dir, "v.pcapng", version.bytes(), 1 << 20));
        assertEquals(CaptureException.Kind.BAD_FORMAT, e.kind());
        assertTrue(e.getMessage().endsWith("v.pcapng: unsupported pcapng savefile version 1.1"), e.getMessage());

        byte[] badMagic = CaptureBytes.pcapng().section(false).bytes();
        badMagic[8] = 0x11;
        e = assertThrows(CaptureException.class, () -> ReadResult.read(dir, "m.pcapng", badMagic, 1 << 20));
        assertEquals(CaptureException.Kind.BAD_FORMAT, e.kind());
        assertTrue(e.getMessage().contains("byte-order magic 0x11"), e.getMessage());
    }

    @Test
    void minorVersionTwoIsAccepted() throws Exception {
        CaptureBytes file = CaptureBytes.pcapng().section(true, 1, 2).interfaceDescription(1, 0, null, null)
            .enhancedPacket(0, 5, new byte[4], 4);
        assertEquals(1, ReadResult.read(dir, "v12.pcapng", file.bytes(), 1 << 20).count());
    }

    @Test
    void sectionWithoutInterfacesIsAnEmptyCapture() throws Exception {
        ReadResult result = ReadResult.read(dir, "e.pcapng", CaptureBytes.pcapng().section(false).bytes(), 1 << 20);
        assertEquals(0, result.count());
        assertNull(result.damage);
    }
}
