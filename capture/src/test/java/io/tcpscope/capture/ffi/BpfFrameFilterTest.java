package io.tcpscope.capture.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.FilteredSource;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.LinkType;
import io.tcpscope.capture.PacketSource;
import io.tcpscope.capture.file.CaptureFiles;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pcap_compile on pcap_open_dead + pcap_offline_filter, per link type, over the Java reader. */
class BpfFrameFilterTest {
    @TempDir
    Path dir;

    private static Frame frame(byte[] bytes, int linkType, long number) {
        Frame f = new Frame();
        f.set(number, 1_000L * number, bytes.length, bytes.length, linkType, 0, bytes, 0);
        return f;
    }

    private static boolean libpcap() {
        try {
            LibPcapLoader.load();
            return true;
        } catch (CaptureException e) {
            return false;
        }
    }

    @Test
    void acceptsAsTcpdumpWould() throws Exception {
        assumeTrue(libpcap(), "no libpcap");
        byte[] tcp80 = PcapTestFiles.tcpFrame(0x0a000001, 0x0a000002, 40000, 80, 0x18, 10);
        byte[] tcp443 = PcapTestFiles.tcpFrame(0x0a000001, 0x0a000002, 40000, 443, 0x18, 10);
        byte[] udp = PcapTestFiles.udpFrame(0x0a000001, 0x0a000002, 5000, 53, 10);
        byte[] raw80 = Arrays.copyOfRange(tcp80, 14, tcp80.length); // the same packet on a raw-IP link
        try (BpfFrameFilter f = BpfFrameFilter.compile("tcp port 80")) {
            assertTrue(f.accept(frame(tcp80, LinkType.ETHERNET, 1)));
            assertFalse(f.accept(frame(tcp443, LinkType.ETHERNET, 2)));
            assertFalse(f.accept(frame(udp, LinkType.ETHERNET, 3)));
            assertTrue(f.accept(frame(raw80, LinkType.RAW, 4)), "compiled again for raw IP");
            assertFalse(f.accept(frame(tcp80, LinkType.RAW, 5)), "Ethernet bytes read as IP do not match");
            assertTrue(f.accept(frame(tcp80, LinkType.ETHERNET, 6)));
            assertEquals(0, f.warnings().size());
        }
    }

    @Test
    void badExpressionIsBadFilter() {
        assumeTrue(libpcap(), "no libpcap");
        CaptureException e = assertThrows(CaptureException.class, () -> BpfFrameFilter.compile("tcp and"));
        assertEquals(CaptureException.Kind.BAD_FILTER, e.kind());
        assertTrue(e.getMessage().contains("syntax error"), e.getMessage());
    }

    @Test
    void linkTypeTheExpressionCannotApplyToPassesNothingAndIsNamed() throws Exception {
        assumeTrue(libpcap(), "no libpcap");
        byte[] tcp80 = PcapTestFiles.tcpFrame(0x0a000001, 0x0a000002, 40000, 80, 0x18, 10);
        try (BpfFrameFilter f = BpfFrameFilter.compile("ether host 02:00:00:00:00:01")) {
            assertTrue(f.accept(frame(tcp80, LinkType.ETHERNET, 1)));
            assertFalse(f.accept(frame(Arrays.copyOfRange(tcp80, 14, tcp80.length), LinkType.RAW, 2)));
            assertEquals(1, f.warnings().size());
            assertTrue(f.warnings().get(0).contains("RAW"), f.warnings().get(0));
        }
    }

    /** Frame numbers and the clock are the file's: rejected frames count but are not returned. */
    @Test
    void filteredSourceKeepsNumbersAndClock() throws Exception {
        assumeTrue(libpcap(), "no libpcap");
        Path file = PcapTestFiles.writeMany(dir.resolve("many.pcap"), 2000); // ports 40000 + i
        try (FilteredSource source = new FilteredSource(CaptureFiles.open(file), BpfFrameFilter.compile("src port 40007"))) {
            Frame f = source.next();
            assertEquals(8, f.number());
            assertEquals(null, source.next());
            assertEquals(2000, source.framesRead());
            assertEquals(1999, source.framesRejected());
            long last = 1_700_000_001L * 1_000_000_000L + 999_000L; // frame 2000: i = 1999, nanosecond file
            assertEquals(last, source.lastTimestampNanos());
        }
    }

    @Test
    void filteringAllocatesNothingPerFrame() throws Exception {
        assumeTrue(libpcap(), "no libpcap");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "no per-thread allocation counter");
        threads.setThreadAllocatedMemoryEnabled(true);
        byte[] tcp80 = PcapTestFiles.tcpFrame(0x0a000001, 0x0a000002, 40000, 80, 0x18, 100);
        byte[] tcp443 = PcapTestFiles.tcpFrame(0x0a000001, 0x0a000002, 40000, 443, 0x18, 100);
        Frame a = frame(tcp80, LinkType.ETHERNET, 1);
        Frame b = frame(tcp443, LinkType.ETHERNET, 2);
        try (BpfFrameFilter f = BpfFrameFilter.compile("tcp port 80")) {
            long matched = run(f, a, b, 100_000); // warm-up
            long before = threads.getCurrentThreadAllocatedBytes();
            matched += run(f, a, b, 200_000);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            System.out.printf("BPF filter allocation: %d bytes for 200000 frames%n", allocated);
            assertEquals(150_000, matched);
            assertTrue(allocated / 200_000.0 < 0.5, "allocated " + allocated + " bytes");
        }
    }

    private static long run(BpfFrameFilter f, Frame a, Frame b, int n) throws CaptureException {
        long matched = 0;
        for (int i = 0; i < n; i++) {
            if (f.accept((i & 1) == 0 ? a : b)) {
                matched++;
            }
        }
        return matched;
    }

    @Test
    void closesTheSource() throws Exception {
        assumeTrue(libpcap(), "no libpcap");
        Path file = PcapTestFiles.writeMany(dir.resolve("few.pcap"), 3);
        PacketSource inner = CaptureFiles.open(file);
        FilteredSource source = new FilteredSource(inner, BpfFrameFilter.compile("tcp"));
        source.close();
        source.close(); // idempotent
    }
}
