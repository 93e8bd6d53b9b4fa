package io.tcpscope.analyzer.decode;

import static io.tcpscope.analyzer.decode.Frames.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tcpscope.capture.LinkType;
import org.junit.jupiter.api.Test;

/** PPPoE sessions and IEEE 802.3 + LLC/SNAP, with every truncation length. */
class EncapsulationTest {
    private final PacketDecoder decoder = new PacketDecoder();
    private final TcpSegment seg = new TcpSegment();

    private static final byte[] TCP = tcp(TcpSegment.PSH | TcpSegment.ACK, new byte[0]);
    private static final byte[] V4 = ipv4Tcp(TCP, payload(10));
    private static final byte[] V6 = ipv6(6, new byte[0], concat(TCP, payload(10)));

    private DecodeResult decode(byte[] frame, int linkType) {
        return decoder.decode(frame, 0, frame.length, linkType, seg);
    }

    private void assertTcpAt(int ipVersion, int tcpOffset) {
        assertEquals(ipVersion, seg.ipVersion);
        assertEquals(40000, seg.srcPort);
        assertEquals(443, seg.dstPort);
        assertEquals(0x11223344, seg.seq);
        assertEquals(tcpOffset, seg.tcpHeaderOffset);
        assertEquals(10, seg.payloadLength);
    }

    @Test
    void pppoeSessionIpv4AndIpv6() {
        assertEquals(DecodeResult.TCP, decode(ethernet(0x8864, pppoeSession(0x0021, V4)), LinkType.ETHERNET));
        assertTcpAt(4, 14 + 8 + 20);
        assertEquals(DecodeResult.TCP, decode(ethernet(0x8864, pppoeSession(0x0057, V6)), LinkType.ETHERNET));
        assertTcpAt(6, 14 + 8 + 40);
    }

    @Test
    void pppoeUnderVlanAndInLinuxCooked() {
        byte[] tagged = ethernet(0x8100, concat(u16(10), u16(0x8864), pppoeSession(0x0021, V4)));
        assertEquals(DecodeResult.TCP, decode(tagged, LinkType.ETHERNET));
        assertTcpAt(4, 14 + 4 + 8 + 20);
        assertEquals(DecodeResult.TCP, decode(sll(0x8864, pppoeSession(0x0021, V4)), LinkType.LINUX_SLL));
        assertTcpAt(4, 16 + 8 + 20);
    }

    @Test
    void pppProtocolFieldCompression() {
        // RFC 1661 §6.5: an odd first byte is a 1-byte protocol field (0x21 = IPv4).
        byte[] compressed = concat(bytes(0x11, 0), u16(1), u16(V4.length + 1), bytes(0x21), V4);
        assertEquals(DecodeResult.TCP, decode(ethernet(0x8864, compressed), LinkType.ETHERNET));
        assertTcpAt(4, 14 + 7 + 20);
    }

    @Test
    void pppoeOtherProtocolsAreCountedNotDecoded() {
        assertEquals(DecodeResult.NOT_IP, decode(ethernet(0x8864, pppoeSession(0xC021, payload(20))), LinkType.ETHERNET)); // LCP
        assertEquals(DecodeResult.NOT_IP, decode(ethernet(0x8863, payload(20)), LinkType.ETHERNET)); // discovery
        assertEquals(DecodeResult.UNSUPPORTED_ENCAPSULATION,
                decode(ethernet(0x8864, pppoeSession(0x002D, payload(20))), LinkType.ETHERNET)); // VJ compressed TCP
        assertEquals(DecodeResult.UNSUPPORTED_ENCAPSULATION,
                decode(ethernet(0x8864, pppoeSession(0x00FD, payload(20))), LinkType.ETHERNET)); // CCP
        byte[] badVersion = concat(bytes(0x21, 0), u16(1), u16(V4.length + 2), u16(0x0021), V4);
        assertEquals(DecodeResult.MALFORMED, decode(ethernet(0x8864, badVersion), LinkType.ETHERNET));
        // an IPv6 packet announced as IPv4 by PPP
        assertEquals(DecodeResult.MALFORMED, decode(ethernet(0x8864, pppoeSession(0x0021, V6)), LinkType.ETHERNET));
    }

    @Test
    void llcSnapIpv4() {
        assertEquals(DecodeResult.TCP, decode(llcSnap(V4), LinkType.ETHERNET));
        assertTcpAt(4, 14 + 8 + 20);
        // 802.1H bridge tunnel OUI, and SNAP inside a VLAN tag
        byte[] tunnel = ethernet(8 + V4.length, concat(hex("AAAA030000F8"), u16(0x0800), V4));
        assertEquals(DecodeResult.TCP, decode(tunnel, LinkType.ETHERNET));
        byte[] tagged = ethernet(0x8100, concat(u16(5), u16(8 + V6.length), hex("AAAA03000000"), u16(0x86DD), V6));
        assertEquals(DecodeResult.TCP, decode(tagged, LinkType.ETHERNET));
        assertTcpAt(6, 14 + 4 + 8 + 40);
    }

    @Test
    void llcOtherThanSnapIsNotIp() {
        assertEquals(DecodeResult.NOT_IP, decode(ethernet(38, concat(hex("424203"), payload(35))), LinkType.ETHERNET)); // STP
        byte[] cisco = ethernet(8 + 20, concat(hex("AAAA0300000C"), u16(0x2000), payload(20))); // CDP
        assertEquals(DecodeResult.NOT_IP, decode(cisco, LinkType.ETHERNET));
        // a length field inside SNAP again is not followed twice
        byte[] nested = ethernet(16 + V4.length, concat(hex("AAAA03000000"), u16(8 + V4.length), hex("AAAA03000000"),
                u16(0x0800), V4));
        assertEquals(DecodeResult.NOT_IP, decode(nested, LinkType.ETHERNET));
    }

    /** UDP 1701 + L2TPv2 data header (flags, tunnel, session) + PPP (FF 03 + protocol). */
    private static byte[] l2tp(int l2tpFlags, byte[] extra, boolean hdlc, int pppProtocol, byte[] inner) {
        return l2tp(l2tpFlags, new byte[0], extra, hdlc, pppProtocol, inner);
    }

    /** {@code length}: the optional length field; {@code extra}: Ns, Nr, offset size and pad. */
    private static byte[] l2tp(int l2tpFlags, byte[] length, byte[] extra, boolean hdlc, int pppProtocol, byte[] inner) {
        byte[] l2 = concat(u16(l2tpFlags), length, u16(7), u16(9), extra, hdlc ? bytes(0xFF, 0x03) : new byte[0],
                u16(pppProtocol), inner);
        byte[] udp = concat(u16(1701), u16(1701), u16(8 + l2.length), u16(0), l2);
        return ipv4(17, udp);
    }

    @Test
    void l2tpTunnelCarryingPpp() {
        // as dpkt/nb6-http.pcap: PPPoE, IPv4, UDP 1701, L2TP, PPP, IPv6, TCP
        byte[] frame = ethernet(0x8864, pppoeSession(0x0021, l2tp(0x0002, new byte[0], true, 0x0057, V6)));
        assertEquals(DecodeResult.TCP, decode(frame, LinkType.ETHERNET));
        assertTcpAt(6, 14 + 8 + 20 + 8 + 6 + 4 + 40);
        assertEquals(0x20010db800000000L, seg.srcHi); // the inner addresses
        // length, sequence and offset fields present, no HDLC bytes
        byte[] full = l2tp(0x4A02, u16(0), concat(u16(0), u16(0), u16(2), u16(0)), false, 0x0021, V4);
        assertEquals(DecodeResult.TCP, decode(full, LinkType.RAW));
        assertTcpAt(4, 20 + 8 + 2 + 2 + 4 + 4 + 4 + 2 + 20);
        // control message; L2TPv3; plain UDP elsewhere; LCP in the tunnel
        assertEquals(DecodeResult.NOT_TCP, decode(l2tp(0xC802, new byte[0], true, 0x0021, V4), LinkType.RAW));
        assertEquals(DecodeResult.NOT_TCP, decode(l2tp(0x0003, new byte[0], true, 0x0021, V4), LinkType.RAW));
        assertEquals(DecodeResult.NOT_TCP, decode(ipv4(17, concat(u16(53), u16(4000), u16(8), u16(0))), LinkType.RAW));
        assertEquals(DecodeResult.NOT_TCP, decode(l2tp(0x0002, new byte[0], true, 0xC021, payload(10)), LinkType.RAW));
        // a tunnel in the tunnel is not followed
        byte[] nested = l2tp(0x0002, new byte[0], true, 0x0021, l2tp(0x0002, new byte[0], true, 0x0021, V4));
        assertEquals(DecodeResult.NOT_TCP, decode(nested, LinkType.RAW));
    }

    @Test
    void macsecAndMacInMacAreNamed() {
        assertEquals(DecodeResult.UNSUPPORTED_ENCAPSULATION, decode(ethernet(0x88E5, payload(40)), LinkType.ETHERNET));
        assertEquals(DecodeResult.UNSUPPORTED_ENCAPSULATION, decode(ethernet(0x88E7, payload(40)), LinkType.ETHERNET));
    }

    /** Every cut before the end of the fixed TCP header is TRUNCATED; never an exception. */
    @Test
    void everyTruncationLength() {
        byte[][] frames = {
            ethernet(0x8864, pppoeSession(0x0021, V4)),
            ethernet(0x8864, pppoeSession(0x0057, V6)),
            ethernet(0x8864, concat(bytes(0x11, 0), u16(1), u16(V4.length + 1), bytes(0x21), V4)),
            llcSnap(V4),
            ethernet(0x8100, concat(u16(5), u16(8 + V6.length), hex("AAAA03000000"), u16(0x86DD), V6)),
            ethernet(0x8864, pppoeSession(0x0021, l2tp(0x0002, new byte[0], true, 0x0057, V6))),
            ethernet(0x0800, l2tp(0x4A02, u16(0), concat(u16(0), u16(0), u16(2), u16(0)), false, 0x0021, V4)),
        };
        for (byte[] frame : frames) {
            assertEquals(DecodeResult.TCP, decode(frame, LinkType.ETHERNET));
            int tcpEnd = seg.tcpHeaderOffset + 20;
            for (int cut = 0; cut < tcpEnd; cut++) {
                assertEquals(DecodeResult.TRUNCATED, decoder.decode(frame, 0, cut, LinkType.ETHERNET, seg),
                        "cut at " + cut + " of " + frame.length);
            }
            for (int cut = tcpEnd; cut <= frame.length; cut++) {
                assertEquals(DecodeResult.TCP, decoder.decode(frame, 0, cut, LinkType.ETHERNET, seg), "cut at " + cut);
            }
        }
    }

    /** 802.11 data frame header: frame control (type data, given subtype and flags), duration, 3 addresses, sequence. */
    private static byte[] wifi(int subtype, int flags, byte[] body) {
        byte[] header = concat(bytes((subtype << 4) | (2 << 2), flags), u16(0), hex("020000000001020000000002020000000003"),
                u16(0));
        return concat(header, body);
    }

    private static final byte[] SNAP_V4 = concat(hex("AAAA03000000"), u16(0x0800), V4);

    @Test
    void ieee80211DataFrames() {
        assertEquals(DecodeResult.TCP, decode(wifi(0, 0x01, SNAP_V4), LinkType.IEEE802_11));
        assertTcpAt(4, 24 + 8 + 20);
        // QoS data (+2), four addresses (+6)
        byte[] qos = concat(wifi(8, 0x03, new byte[0]), hex("020000000004"), u16(0), SNAP_V4);
        assertEquals(DecodeResult.TCP, decode(qos, LinkType.IEEE802_11));
        assertTcpAt(4, 24 + 6 + 2 + 8 + 20);
        // behind a 12-byte radiotap header
        byte[] radiotap = concat(bytes(0, 0, 12, 0), u32(0), u32(0), wifi(0, 0x02, SNAP_V4));
        assertEquals(DecodeResult.TCP, decode(radiotap, LinkType.IEEE802_11_RADIOTAP));
        assertTcpAt(4, 12 + 24 + 8 + 20);
        // beacon (management), null data, protected data
        assertEquals(DecodeResult.NOT_IP, decode(concat(bytes(0x80, 0), payload(40)), LinkType.IEEE802_11));
        assertEquals(DecodeResult.NOT_IP, decode(wifi(4, 0x01, new byte[0]), LinkType.IEEE802_11));
        assertEquals(DecodeResult.UNSUPPORTED_ENCAPSULATION, decode(wifi(0, 0x41, payload(40)), LinkType.IEEE802_11));
        // radiotap version 1, or a length shorter than its own header
        assertEquals(DecodeResult.MALFORMED, decode(concat(bytes(1, 0, 8, 0), u32(0), wifi(0, 0, SNAP_V4)),
                LinkType.IEEE802_11_RADIOTAP));
        assertEquals(DecodeResult.MALFORMED, decode(concat(bytes(0, 0, 4, 0), u32(0), wifi(0, 0, SNAP_V4)),
                LinkType.IEEE802_11_RADIOTAP));
    }

    @Test
    void ipOverInfiniBand() {
        byte[] frame = concat(new byte[40], u16(0x0800), u16(0), V4);
        assertEquals(DecodeResult.TCP, decode(frame, LinkType.IPOIB));
        assertTcpAt(4, 44 + 20);
        assertEquals(DecodeResult.NOT_IP, decode(concat(new byte[40], u16(0x0806), u16(0), payload(28)), LinkType.IPOIB));
    }

    @Test
    void everyTruncationLengthOfTheNewLinkTypes() {
        Object[][] cases = {
            {wifi(0, 0x01, SNAP_V4), LinkType.IEEE802_11},
            {concat(bytes(0, 0, 12, 0), u32(0), u32(0), wifi(8, 0x03, concat(hex("020000000004"), u16(0), SNAP_V4))),
                LinkType.IEEE802_11_RADIOTAP},
            {concat(new byte[40], u16(0x86DD), u16(0), V6), LinkType.IPOIB},
        };
        for (Object[] c : cases) {
            byte[] frame = (byte[]) c[0];
            int linkType = (int) c[1];
            assertEquals(DecodeResult.TCP, decode(frame, linkType));
            int tcpEnd = seg.tcpHeaderOffset + 20;
            for (int cut = 0; cut < tcpEnd; cut++) {
                assertEquals(DecodeResult.TRUNCATED, decoder.decode(frame, 0, cut, linkType, seg), "cut at " + cut);
            }
        }
    }
}
