package io.tcpscope.capture.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.capture.Frame;
import io.tcpscope.capture.LinkType;
import io.tcpscope.capture.PacketSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pcapng Interface Statistics Blocks through {@link PacketSource#captureEndNanos()} and the
 * drop counters: synthetic files and a real dumpcap file ({@code isb/dumpcap-lo.pcapng}).
 */
class PcapngStatisticsTest {
    @TempDir
    Path dir;

    private static final long S = 1_000_000_000L;
    private static final int ISB = PcapngReader.INTERFACE_STATISTICS_BLOCK;

    /** An ISB body: interface id, timestamp, options (endtime in units, counters; null = absent), end. */
    private static byte[] isb(boolean bigEndian, int interfaceId, Long endUnits, Long ifrecv, Long ifdrop, Long osdrop) {
        CaptureBytes.Body b = new CaptureBytes.Body(bigEndian).int32(interfaceId).int32(0).int32(0);
        b.option(1, "Counters provided by a test".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        if (endUnits != null) {
            b.option(PcapngReader.OPTION_ISB_ENDTIME, new CaptureBytes.Body(bigEndian).int32((int) (endUnits >>> 32))
                .int32((int) (long) endUnits).bytes());
        }
        if (ifrecv != null) {
            b.option(PcapngReader.OPTION_ISB_IFRECV, new CaptureBytes.Body(bigEndian).int64(ifrecv).bytes());
        }
        if (ifdrop != null) {
            b.option(PcapngReader.OPTION_ISB_IFDROP, new CaptureBytes.Body(bigEndian).int64(ifdrop).bytes());
        }
        if (osdrop != null) {
            b.option(PcapngReader.OPTION_ISB_OSDROP, new CaptureBytes.Body(bigEndian).int64(osdrop).bytes());
        }
        return b.endOfOptions().bytes();
    }

    private Path write(CaptureBytes file) throws Exception {
        Path p = dir.resolve("f" + System.nanoTime() + ".pcapng");
        Files.write(p, file.bytes());
        return p;
    }

    /** Reads every frame; returns the count. */
    private static int drain(PacketSource s) throws Exception {
        int n = 0;
        Frame f;
        while ((f = s.next()) != null) {
            assertNotNull(f);
            n++;
        }
        return n;
    }

    @Test
    void endTimeAndCountersFromTheLastStatisticsOfEachInterface() throws Exception {
        byte[] d = CaptureBytes.data(60, 1);
        CaptureBytes file = CaptureBytes.pcapng().section(false)
            .interfaceDescription(LinkType.ETHERNET, 0, null, null)          // µs
            .interfaceDescription(LinkType.ETHERNET, 0, 9, 100L)             // ns, offset 100 s
            .enhancedPacket(0, 1_700_000_000_000_000L, d, 60)
            .enhancedPacket(1, 1_699_999_902_000_000_000L, d, 60)
            // a periodic ISB for interface 0, superseded by the final one
            .block(ISB, isb(false, 0, 1_700_000_000_500_000L, 1L, 1L, 1L))
            .enhancedPacket(0, 1_700_000_001_000_000L, d, 60)
            .block(ISB, isb(false, 0, 1_700_000_011_000_000L, 500L, 3L, 7L))
            .block(ISB, isb(false, 1, 1_699_999_912_000_000_000L, 40L, 2L, null))
            .block(ISB, isb(false, 5, 1_900_000_000_000_000L, 1_000L, 1_000L, 1_000L)); // no interface 5: skipped
        try (PacketSource s = CaptureFiles.open(write(file))) {
            assertEquals(3, drain(s));
            assertNull(s.damage());
            assertEquals(OptionalLong.of(1_700_000_012L * S), s.captureEndNanos(), "the latest: interface 1, with its 100 s offset");
            assertEquals(OptionalLong.of(540), s.interfaceReceived());
            assertEquals(OptionalLong.of(5), s.interfaceDrops());
            assertEquals(OptionalLong.of(7), s.osDrops(), "only interface 0 reports osdrop");
        }
    }

    @Test
    void bigEndianSectionsAndStatisticsPerSection() throws Exception {
        byte[] d = CaptureBytes.data(40, 2);
        CaptureBytes file = CaptureBytes.pcapng().section(true)
            .interfaceDescription(LinkType.RAW, 0, null, null)
            .enhancedPacket(0, 1_700_000_000_000_000L, d, 40)
            .block(ISB, isb(true, 0, 1_700_000_005_000_000L, 10L, 1L, null))
            .section(false)
            .interfaceDescription(LinkType.RAW, 0, null, null)
            .enhancedPacket(0, 1_700_000_006_000_000L, d, 40)
            .block(ISB, isb(false, 0, 1_700_000_009_000_000L, 20L, 2L, null));
        try (PacketSource s = CaptureFiles.open(write(file))) {
            assertEquals(2, drain(s));
            assertEquals(OptionalLong.of(1_700_000_009L * S), s.captureEndNanos());
            assertEquals(OptionalLong.of(30), s.interfaceReceived(), "interface 0 of each section counts");
            assertEquals(OptionalLong.of(3), s.interfaceDrops());
            assertTrue(s.osDrops().isEmpty());
        }
    }

    @Test
    void noStatisticsOrUnreadableStatisticsGiveNothingAndNoDamage() throws Exception {
        byte[] d = CaptureBytes.data(40, 3);
        CaptureBytes bare = CaptureBytes.pcapng().section(false).interfaceDescription(LinkType.RAW, 0, null, null)
            .enhancedPacket(0, 1_700_000_000_000_000L, d, 40);
        try (PacketSource s = CaptureFiles.open(write(bare))) {
            assertEquals(1, drain(s));
            assertTrue(s.captureEndNanos().isEmpty() && s.interfaceDrops().isEmpty() && s.osDrops().isEmpty()
                && s.interfaceReceived().isEmpty());
        }
        // an ISB whose option runs past its end, one too short to hold a timestamp, one without options
        byte[] runsPast = new CaptureBytes.Body(false).int32(0).int32(0).int32(0).int16(3).int16(64).int32(0).bytes();
        CaptureBytes odd = CaptureBytes.pcapng().section(false).interfaceDescription(LinkType.RAW, 0, null, null)
            .enhancedPacket(0, 1_700_000_000_000_000L, d, 40)
            .block(ISB, runsPast)
            .block(ISB, new byte[4])
            .block(ISB, new byte[12])
            .enhancedPacket(0, 1_700_000_001_000_000L, d, 40);
        try (PacketSource s = CaptureFiles.open(write(odd))) {
            assertEquals(2, drain(s));
            assertNull(s.damage());
            assertTrue(s.captureEndNanos().isEmpty());
            assertTrue(s.interfaceDrops().isEmpty());
        }
    }

    @Test
    void classicPcapRecordsNone() throws Exception {
        Path p = dir.resolve("c.pcap");
        Files.write(p, CaptureBytes.pcap(false, PcapReader.MAGIC_MICROSECONDS, 1).bytes());
        try (PacketSource s = CaptureFiles.open(p)) {
            drain(s);
            assertTrue(s.captureEndNanos().isEmpty() && s.interfaceDrops().isEmpty() && s.osDrops().isEmpty()
                && s.interfaceReceived().isEmpty());
        }
    }

    /**
     * dumpcap writes ISB times in microseconds although its IDB declares nanoseconds
     * ({@code if_tsresol} 9): the end is the µs reading, 2.86 s after the last frame.
     */
    @Test
    void realDumpcapFile() throws Exception {
        Path p = Path.of(PcapngStatisticsTest.class.getResource("/isb/dumpcap-lo.pcapng").toURI());
        try (PacketSource s = CaptureFiles.open(p)) {
            long last = 0;
            int n = 0;
            Frame f;
            while ((f = s.next()) != null) {
                last = f.timestampNanos();
                n++;
            }
            assertEquals(10, n);
            assertEquals(1_796_115_207_817_714_115L, last);
            assertEquals(OptionalLong.of(1_796_115_210_673_891_000L), s.captureEndNanos());
            assertEquals(OptionalLong.of(10), s.interfaceReceived());
            assertEquals(OptionalLong.of(0), s.interfaceDrops());
            assertTrue(s.osDrops().isEmpty(), "dumpcap writes no isb_osdrop");
        }
    }

    @Test
    void declaredNanosecondsAreKeptWhenTheyArePlausible() throws Exception {
        byte[] d = CaptureBytes.data(40, 4);
        CaptureBytes file = CaptureBytes.pcapng().section(false)
            .interfaceDescription(LinkType.RAW, 0, 9, null)
            .enhancedPacket(0, 1_700_000_000_000_000_000L, d, 40)
            .block(ISB, isb(false, 0, 1_700_000_004_000_000_001L, null, null, null));
        try (PacketSource s = CaptureFiles.open(write(file))) {
            drain(s);
            assertEquals(OptionalLong.of(1_700_000_004_000_000_001L), s.captureEndNanos());
        }
    }
}
