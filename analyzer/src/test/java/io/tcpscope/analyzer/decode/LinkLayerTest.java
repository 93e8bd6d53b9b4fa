package io.tcpscope.analyzer.decode;

import static io.tcpscope.analyzer.decode.Frames.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tcpscope.capture.LinkType;
import org.junit.jupiter.api.Test;

class LinkLayerTest {
    private final PacketDecoder decoder = new PacketDecoder();
    private final TcpSegment seg = new TcpSegment();

    private static final byte[] TCP = tcp(TcpSegment.PSH | TcpSegment.ACK, new byte[0]);
    private static final byte[] V4 = ipv4Tcp(TCP, payload(10));
    private static final byte[] V6 = ipv6(6, new byte[0], concat(TCP, payload(10)));

    private DecodeResult decode(byte[] frame, int linkType) {
        return decoder.decode(frame, 0, frame.length, linkType, seg);
    }

    /** Asserts the segment of V4/V6 and that the TCP header sits at {@code tcpOffset}. */
    private void assertSegment(int ipVersion, int tcpOffset) {
        assertEquals(ipVersion, seg.ipVersion);
        if (ipVersion == 4) {
            assertEquals(0, seg.srcHi);
            assertEquals(0xC0000201L, seg.srcLo);
            assertEquals(0xC6336407L, seg.dstLo);
        } else {
            assertEquals(0x20010db800000000L, seg.srcHi);
            assertEquals(1L, seg.srcLo);
            assertEquals(0x20010db800000001L, seg.dstHi);
            assertEquals(2L, seg.dstLo);
        }
        assertEquals(40000, seg.srcPort);
        assertEquals(443, seg.dstPort);
        assertEquals(0x11223344, seg.seq);
        assertEquals(0xAABBCCDD, seg.ack);
        assertEquals(TcpSegment.PSH | TcpSegment.ACK, seg.flags);
        assertEquals(512, seg.window);
        assertEquals(tcpOffset, seg.tcpHeaderOffset);
        assertEquals(20, seg.tcpHeaderLength);
        assertEquals(10, seg.payloadLength);
        assertEquals(10, seg.capturedPayloadLength);
        assertEquals(-1, seg.mss);
        assertEquals(false, seg.optionsTruncated);
    }

    @Test
    void ethernetII() {
        assertEquals(DecodeResult.TCP, decode(ethernet(0x0800, V4), LinkType.ETHERNET));
        assertSegment(4, 34);
        assertEquals(DecodeResult.TCP, decode(ethernet(0x86DD, V6), LinkType.ETHERNET));
        assertSegment(6, 54);
    }

    @Test
    void ethernetWithPaddingCountsOnlyIpBytes() {
        byte[] small = ipv4Tcp(TCP, new byte[0]);
        byte[] frame = concat(ethernet(0x0800, small), new byte[6]);
        assertEquals(DecodeResult.TCP, decode(frame, LinkType.ETHERNET));
        assertEquals(0, seg.payloadLength);
        assertEquals(0, seg.capturedPayloadLength);
    }

    @Test
    void singleVlan() {
        assertEquals(DecodeResult.TCP, decode(ethernet(0x8100, concat(u16(100), u16(0x0800), V4)), LinkType.ETHERNET));
        assertSegment(4, 38);
    }

    @Test
    void doubleVlan8021ad() {
        byte[] f = ethernet(0x88A8, concat(u16(10), u16(0x8100), u16(20), u16(0x86DD), V6));
        assertEquals(DecodeResult.TCP, decode(f, LinkType.ETHERNET));
        assertSegment(6, 62);
    }

    @Test
    void tripleVlanLegacyQinQ() {
        byte[] f = ethernet(0x9100, concat(u16(1), u16(0x88A8), u16(2), u16(0x8100), u16(3), u16(0x0800), V4));
        assertEquals(DecodeResult.TCP, decode(f, LinkType.ETHERNET));
        assertSegment(4, 46);
    }

    @Test
    void vlanStackUpToLimit() {
        byte[] tags = new byte[0];
        for (int i = 0; i < PacketDecoder.MAX_VLAN_TAGS - 1; i++) {
            tags = concat(tags, u16(i), u16(0x8100));
        }
        byte[] ok = ethernet(0x8100, concat(tags, u16(9), u16(0x0800), V4));
        assertEquals(DecodeResult.TCP, decode(ok, LinkType.ETHERNET));
        assertSegment(4, 14 + 4 * PacketDecoder.MAX_VLAN_TAGS + 20);
        byte[] tooMany = ethernet(0x8100, concat(tags, u16(9), u16(0x8100), u16(9), u16(0x0800), V4));
        assertEquals(DecodeResult.MALFORMED, decode(tooMany, LinkType.ETHERNET));
    }

    @Test
    void vlanCarryingArpIsNotIp() {
        assertEquals(DecodeResult.NOT_IP, decode(ethernet(0x8100, concat(u16(5), u16(0x0806), new byte[28])), LinkType.ETHERNET));
    }

    @Test
    void nonIpEtherTypes() {
        assertEquals(DecodeResult.NOT_IP, decode(ethernet(0x0806, new byte[28]), LinkType.ETHERNET));
        assertEquals(DecodeResult.NOT_IP, decode(ethernet(0x88CC, new byte[30]), LinkType.ETHERNET));
        // 802.3 length field (LLC, e.g. STP)
        assertEquals(DecodeResult.NOT_IP, decode(ethernet(0x0026, new byte[38]), LinkType.ETHERNET));
    }

    @Test
    void etherTypeAndVersionMismatchIsMalformed() {
        assertEquals(DecodeResult.MALFORMED, decode(ethernet(0x0800, V6), LinkType.ETHERNET));
        assertEquals(DecodeResult.MALFORMED, decode(ethernet(0x86DD, V4), LinkType.ETHERNET));
    }

    @Test
    void linuxCookedV1() {
        assertEquals(DecodeResult.TCP, decode(sll(0x0800, V4), LinkType.LINUX_SLL));
        assertSegment(4, 36);
        assertEquals(DecodeResult.TCP, decode(sll(0x86DD, V6), LinkType.LINUX_SLL));
        assertSegment(6, 56);
        assertEquals(DecodeResult.TCP, decode(sll(0x8100, concat(u16(7), u16(0x0800), V4)), LinkType.LINUX_SLL));
        assertSegment(4, 40);
        assertEquals(DecodeResult.NOT_IP, decode(sll(0x0806, new byte[28]), LinkType.LINUX_SLL));
    }

    @Test
    void linuxCookedV1Netlink() {
        byte[] f = sll(0x0800, V4);
        f[2] = (byte) (SllView.ARPHRD_NETLINK >>> 8);
        f[3] = (byte) SllView.ARPHRD_NETLINK;
        assertEquals(DecodeResult.NOT_IP, decode(f, LinkType.LINUX_SLL));
    }

    @Test
    void linuxCookedV2() {
        assertEquals(DecodeResult.TCP, decode(sll2(0x0800, V4), LinkType.LINUX_SLL2));
        assertSegment(4, 40);
        assertEquals(DecodeResult.TCP, decode(sll2(0x86DD, V6), LinkType.LINUX_SLL2));
        assertSegment(6, 60);
        assertEquals(DecodeResult.NOT_IP, decode(sll2(0x0806, new byte[28]), LinkType.LINUX_SLL2));
    }

    @Test
    void bsdNullBothByteOrders() {
        assertEquals(DecodeResult.TCP, decode(nullLittleEndian(2, V4), LinkType.NULL));
        assertSegment(4, 24);
        assertEquals(DecodeResult.TCP, decode(nullBigEndian(2, V4), LinkType.NULL));
        assertSegment(4, 24);
        for (int af6 : new int[] {24, 28, 30}) {
            assertEquals(DecodeResult.TCP, decode(nullLittleEndian(af6, V6), LinkType.NULL), "LE " + af6);
            assertSegment(6, 44);
            assertEquals(DecodeResult.TCP, decode(nullBigEndian(af6, V6), LinkType.NULL), "BE " + af6);
            assertSegment(6, 44);
        }
        assertEquals(DecodeResult.NOT_IP, decode(nullLittleEndian(7, V4), LinkType.NULL));
        assertEquals(DecodeResult.MALFORMED, decode(nullLittleEndian(2, V6), LinkType.NULL));
    }

    @Test
    void openBsdLoopIsNetworkOrderOnly() {
        assertEquals(DecodeResult.TCP, decode(nullBigEndian(2, V4), LinkType.LOOP));
        assertSegment(4, 24);
        assertEquals(DecodeResult.TCP, decode(nullBigEndian(24, V6), LinkType.LOOP));
        assertSegment(6, 44);
        assertEquals(DecodeResult.NOT_IP, decode(nullLittleEndian(2, V4), LinkType.LOOP));
    }

    @Test
    void rawIpVersionNibble() {
        assertEquals(DecodeResult.TCP, decode(V4, LinkType.RAW));
        assertSegment(4, 20);
        assertEquals(DecodeResult.TCP, decode(V6, LinkType.RAW));
        assertSegment(6, 40);
        byte[] v5 = V4.clone();
        v5[0] = 0x55;
        assertEquals(DecodeResult.MALFORMED, decode(v5, LinkType.RAW));
    }

    @Test
    void rawIpv4AndIpv6LinkTypes() {
        assertEquals(DecodeResult.TCP, decode(V4, LinkType.IPV4));
        assertSegment(4, 20);
        assertEquals(DecodeResult.TCP, decode(V6, LinkType.IPV6));
        assertSegment(6, 40);
        assertEquals(DecodeResult.MALFORMED, decode(V6, LinkType.IPV4));
        assertEquals(DecodeResult.MALFORMED, decode(V4, LinkType.IPV6));
    }

    @Test
    void unsupportedLinkType() {
        assertEquals(DecodeResult.UNSUPPORTED_LINK_TYPE, decode(V4, 147));
        assertEquals(DecodeResult.UNSUPPORTED_LINK_TYPE, decode(V4, -1));
    }

    @Test
    void frameAtNonZeroOffsetInLargerBuffer() {
        byte[] frame = ethernet(0x0800, V4);
        byte[] buffer = concat(new byte[100], frame, new byte[50]);
        assertEquals(DecodeResult.TCP, decoder.decode(buffer, 100, frame.length, LinkType.ETHERNET, seg));
        assertSegment(4, 134);
    }

    @Test
    void badArgumentsDoNotThrow() {
        byte[] frame = ethernet(0x0800, V4);
        assertEquals(DecodeResult.TRUNCATED, decoder.decode(null, 0, 10, LinkType.ETHERNET, seg));
        assertEquals(DecodeResult.TRUNCATED, decoder.decode(frame, -1, 10, LinkType.ETHERNET, seg));
        assertEquals(DecodeResult.TRUNCATED, decoder.decode(frame, frame.length + 1, 10, LinkType.ETHERNET, seg));
        assertEquals(DecodeResult.TRUNCATED, decoder.decode(frame, 0, -5, LinkType.ETHERNET, seg));
        // a captured length larger than the buffer is limited to the buffer
        assertEquals(DecodeResult.TCP, decoder.decode(frame, 0, Integer.MAX_VALUE, LinkType.ETHERNET, seg));
        assertSegment(4, 34);
    }

    @Test
    void clearsPreviousSegment() {
        byte[] withMss = ipv4Tcp(tcp(TcpSegment.SYN, bytes(2, 4, 5, 0xB4)), new byte[0]);
        assertEquals(DecodeResult.TCP, decode(withMss, LinkType.RAW));
        assertEquals(1460, seg.mss);
        assertEquals(DecodeResult.TCP, decode(V4, LinkType.RAW));
        assertEquals(-1, seg.mss);
    }
}
