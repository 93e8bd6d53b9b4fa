package io.tcpscope.analyzer.decode;

import static io.tcpscope.analyzer.decode.Frames.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.capture.LinkType;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Decoding allocates nothing: measured with the JVM's per-thread allocation counter, not with timing. */
class AllocationTest {
    private static final int DECODES = 1_000_000;

    @Test
    void decodeDoesNotAllocate() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);

        byte[] options = concat(bytes(1, 1, 8, 10), u32(1), u32(2), bytes(1, 1, 5, 26), u32(10), u32(20), u32(30),
                u32(40), u32(50), u32(60));
        byte[] v4 = ethernet(0x8100, concat(u16(7), u16(0x0800), ipv4Tcp(tcp(TcpSegment.ACK, options), payload(100))));
        byte[] v6 = sll2(0x86DD, ipv6(0, concat(optionsHeader(44, 0), fragmentHeader(6, 0, true)),
                concat(tcp(TcpSegment.ACK, options), payload(100))));
        // PPPoE session (VLAN-tagged), 802.3 + LLC/SNAP, L2TP over UDP, 802.11 + radiotap: 0 bytes too.
        byte[] pppoe = ethernet(0x8100, concat(u16(7), u16(0x8864), pppoeSession(0x0021,
                ipv4Tcp(tcp(TcpSegment.ACK, options), payload(100)))));
        byte[] snap = llcSnap(ipv4Tcp(tcp(TcpSegment.ACK, options), payload(100)));
        byte[] inner = ipv4Tcp(tcp(TcpSegment.ACK, options), payload(100));
        byte[] l2tpPpp = concat(u16(0x0002), u16(7), u16(9), bytes(0xFF, 0x03), u16(0x0021), inner);
        byte[] l2tp = ethernet(0x0800, ipv4(17, concat(u16(1701), u16(1701), u16(8 + l2tpPpp.length), u16(0), l2tpPpp)));
        byte[] wifi = concat(bytes(0, 0, 8, 0), u32(0), bytes(0x08, 0x01), u16(0),
                hex("020000000001020000000002020000000003"), u16(0), hex("AAAA03000000"), u16(0x0800), inner);
        byte[][] frames = {v4, v6, pppoe, snap, l2tp, wifi, v4, v6};
        int[] linkTypes = {LinkType.ETHERNET, LinkType.LINUX_SLL2, LinkType.ETHERNET, LinkType.ETHERNET,
            LinkType.ETHERNET, LinkType.IEEE802_11_RADIOTAP, LinkType.ETHERNET, LinkType.LINUX_SLL2};
        PacketDecoder decoder = new PacketDecoder();
        TcpSegment seg = new TcpSegment();

        long sink = run(decoder, seg, frames, linkTypes, 300_000); // warm-up: let the JIT compile decode()
        long before = threads.getCurrentThreadAllocatedBytes();
        sink += run(decoder, seg, frames, linkTypes, DECODES);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        double perDecode = (double) allocated / DECODES;
        System.out.printf("decode allocation: %d bytes for %d decodes = %.6f bytes/decode%n", allocated, DECODES,
                perDecode);
        // every decode found TCP with 100 payload bytes and 3 SACK blocks
        assertEquals(103L * (300_000 + DECODES), sink);
        assertTrue(perDecode < 1.0, "allocated " + allocated + " bytes in " + DECODES + " decodes");
    }

    private static long run(PacketDecoder decoder, TcpSegment seg, byte[][] frames, int[] linkTypes, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            byte[] f = frames[i & 7];
            int linkType = linkTypes[i & 7];
            if (decoder.decode(f, 0, f.length, linkType, seg) == DecodeResult.TCP) {
                sum += seg.payloadLength + seg.sackBlockCount;
            }
        }
        return sum;
    }
}
