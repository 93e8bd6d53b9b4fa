package io.tcpscope.analyzer.decode;

import static io.tcpscope.analyzer.decode.Frames.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.capture.LinkType;
import org.junit.jupiter.api.Test;

class Ipv6Test {
    private final PacketDecoder decoder = new PacketDecoder();
    private final TcpSegment seg = new TcpSegment();
    private static final byte[] TCP = tcp(TcpSegment.ACK, new byte[0]);

    private DecodeResult raw(byte[] packet) {
        return decoder.decode(packet, 0, packet.length, LinkType.IPV6, seg);
    }

    @Test
    void viewFields() {
        byte[] p = ipv6(6, new byte[0], TCP);
        Ipv6View v = new Ipv6View().wrap(p, 0, p.length);
        assertTrue(v.complete());
        assertEquals(6, v.version());
        assertEquals(0x00, v.trafficClass());
        assertEquals(0x12345, v.flowLabel());
        assertEquals(20, v.payloadLength());
        assertEquals(6, v.nextHeader());
        assertEquals(64, v.hopLimit());
        assertEquals(0x20010db800000000L, v.sourceHi());
        assertEquals(1L, v.sourceLo());
        assertEquals(Ipv6View.WALK_OK, v.walkExtensionHeaders());
        assertEquals(6, v.upperLayerProtocol());
        assertEquals(40, v.upperLayerOffset());
        assertEquals(0, v.extensionHeaderCount());
        assertEquals(-1, v.jumboPayloadLength());
    }

    @Test
    void hopByHopRoutingDestinationOptionsChain() {
        byte[] ext = concat(optionsHeader(43, 0), routingHeader(60), optionsHeader(6, 1));
        assertEquals(8 + 24 + 16, ext.length);
        byte[] p = ipv6(0, ext, concat(TCP, payload(33)));
        assertEquals(DecodeResult.TCP, raw(p));
        assertEquals(40 + 48, seg.tcpHeaderOffset);
        assertEquals(33, seg.payloadLength);
        assertEquals(33, seg.capturedPayloadLength);
        assertEquals(40000, seg.srcPort);
        Ipv6View v = new Ipv6View().wrap(p, 0, p.length);
        assertEquals(Ipv6View.WALK_OK, v.walkExtensionHeaders());
        assertEquals(3, v.extensionHeaderCount());
        assertEquals(48, v.extensionHeadersLength());
    }

    @Test
    void authenticationHeaderLengthInFourByteUnits() {
        byte[] ah = ahHeader(6, 3); // 24 bytes: payload len field 4
        assertEquals(4, ah[1]);
        byte[] p = ipv6(51, ah, concat(TCP, payload(7)));
        assertEquals(DecodeResult.TCP, raw(p));
        assertEquals(64, seg.tcpHeaderOffset);
        assertEquals(7, seg.payloadLength);
    }

    @Test
    void fragments() {
        byte[] first = ipv6(44, fragmentHeader(6, 0, true), concat(TCP, payload(100)));
        assertEquals(DecodeResult.TCP, raw(first));
        assertEquals(48, seg.tcpHeaderOffset);
        assertEquals(100, seg.payloadLength);
        byte[] later = ipv6(44, fragmentHeader(6, 15, true), payload(120));
        assertEquals(DecodeResult.IP_FRAGMENT, raw(later));
        byte[] last = ipv6(0, concat(optionsHeader(44, 0), fragmentHeader(6, 30, false)), payload(12));
        assertEquals(DecodeResult.IP_FRAGMENT, raw(last));
        byte[] udp = ipv6(44, fragmentHeader(17, 15, false), payload(120));
        assertEquals(DecodeResult.NOT_TCP, raw(udp));
        Ipv6View v = new Ipv6View().wrap(later, 0, later.length);
        assertEquals(Ipv6View.WALK_FRAGMENT, v.walkExtensionHeaders());
        assertTrue(v.hasFragmentHeader());
        assertEquals(15, v.fragmentOffset());
        assertTrue(v.moreFragments());
    }

    @Test
    void noNextHeaderAndOtherProtocols() {
        assertEquals(DecodeResult.NOT_TCP, raw(ipv6(59, new byte[0], new byte[0])));
        assertEquals(DecodeResult.NOT_TCP, raw(ipv6(60, optionsHeader(59, 0), new byte[0])));
        assertEquals(DecodeResult.NOT_TCP, raw(ipv6(17, new byte[0], payload(20))));
        assertEquals(DecodeResult.NOT_TCP, raw(ipv6(58, new byte[0], payload(20))));
        assertEquals(DecodeResult.NOT_TCP, raw(ipv6(50, new byte[0], payload(40))));
    }

    @Test
    void chainLengthLimit() {
        byte[] ext = new byte[0];
        for (int i = 0; i < Ipv6View.MAX_EXTENSION_HEADERS - 1; i++) {
            ext = concat(ext, optionsHeader(60, 0));
        }
        byte[] ok = ipv6(60, concat(ext, optionsHeader(6, 0)), TCP);
        assertEquals(DecodeResult.TCP, raw(ok));
        byte[] tooLong = ipv6(60, concat(ext, optionsHeader(60, 0), optionsHeader(6, 0)), TCP);
        assertEquals(DecodeResult.MALFORMED, raw(tooLong));
    }

    @Test
    void truncatedExtensionHeader() {
        byte[] p = ipv6(0, optionsHeader(6, 3), TCP); // 32-byte hop-by-hop
        assertEquals(DecodeResult.TRUNCATED, decoder.decode(p, 0, 41, LinkType.IPV6, seg));
        assertEquals(DecodeResult.TRUNCATED, decoder.decode(p, 0, 71, LinkType.IPV6, seg));
        assertEquals(DecodeResult.TRUNCATED, decoder.decode(p, 0, 72 + 19, LinkType.IPV6, seg));
        assertEquals(DecodeResult.TCP, decoder.decode(p, 0, 72 + 20, LinkType.IPV6, seg));
    }

    @Test
    void payloadLengthSmallerThanHeadersIsMalformed() {
        byte[] p = ipv6(0, optionsHeader(6, 0), TCP);
        p[4] = 0;
        p[5] = 20; // covers the hop-by-hop header but not the TCP header
        assertEquals(DecodeResult.MALFORMED, raw(p));
    }

    @Test
    void badHopByHopOptionLengthIsMalformed() {
        byte[] hbh = optionsHeader(6, 0);
        hbh[3] = 9; // PadN running past the header
        assertEquals(DecodeResult.MALFORMED, raw(ipv6(0, hbh, TCP)));
    }

    @Test
    void jumbogramBigTcp() {
        int payload = 80000;
        byte[] hbh = jumboHopByHop(6, 8 + 20 + payload);
        byte[] p = concat(ipv6Header(0, 0), hbh, TCP, payload(payload));
        assertEquals(DecodeResult.TCP, raw(p));
        assertEquals(payload, seg.payloadLength);
        assertEquals(payload, seg.capturedPayloadLength);
        assertEquals(48, seg.tcpHeaderOffset);
        // snaplen-cut: the jumbo length still counts
        assertEquals(DecodeResult.TCP, decoder.decode(p, 0, 200, LinkType.IPV6, seg));
        assertEquals(payload, seg.payloadLength);
        assertEquals(200 - 68, seg.capturedPayloadLength);
    }

    @Test
    void payloadLengthZeroWithoutJumboUsesCapturedBytes() {
        byte[] p = concat(ipv6Header(6, 0), TCP, payload(70000));
        assertEquals(DecodeResult.TCP, raw(p));
        assertEquals(70000, seg.payloadLength);
    }
}
