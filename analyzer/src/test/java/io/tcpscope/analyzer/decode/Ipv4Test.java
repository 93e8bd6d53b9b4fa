package io.tcpscope.analyzer.decode;

import static io.tcpscope.analyzer.decode.Frames.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.capture.LinkType;
import org.junit.jupiter.api.Test;

class Ipv4Test {
    private final PacketDecoder decoder = new PacketDecoder();
    private final TcpSegment seg = new TcpSegment();
    private static final byte[] TCP = tcp(TcpSegment.ACK, new byte[0]);

    private DecodeResult raw(byte[] packet) {
        return decoder.decode(packet, 0, packet.length, LinkType.RAW, seg);
    }

    private DecodeResult raw(byte[] packet, int captured) {
        return decoder.decode(packet, 0, captured, LinkType.RAW, seg);
    }

    @Test
    void viewFields() {
        byte[] p = concat(ipv4Header(6, new byte[0], 0x4000, -1, 20), TCP);
        Ipv4View v = new Ipv4View().wrap(p, 0, p.length);
        assertTrue(v.complete());
        assertTrue(v.headerComplete());
        assertEquals(4, v.version());
        assertEquals(5, v.ihl());
        assertEquals(20, v.headerLength());
        assertEquals(40, v.totalLength());
        assertEquals(0x1234, v.identification());
        assertTrue(v.dontFragment());
        assertEquals(false, v.moreFragments());
        assertEquals(0, v.fragmentOffset());
        assertEquals(64, v.ttl());
        assertEquals(6, v.protocol());
        assertEquals(0xC0000201L, v.source());
        assertEquals(0xC6336407L, v.destination());
        assertEquals(false, new Ipv4View().wrap(p, 0, 19).complete());
    }

    @Test
    void highAddressesAreUnsigned() {
        byte[] p = ipv4Tcp(TCP, new byte[0]);
        p[12] = (byte) 0xFF;
        p[16] = (byte) 0xE0;
        assertEquals(DecodeResult.TCP, raw(p));
        assertEquals(0xFF000201L, seg.srcLo);
        assertEquals(0xE0336407L, seg.dstLo);
        assertEquals("255.0.2.1", Addresses.format(4, seg.srcHi, seg.srcLo));
    }

    @Test
    void headerWithOptions() {
        // Record route (7) with 2 slots, padded: 12 bytes of options, IHL 8.
        byte[] opts = bytes(7, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        byte[] p = concat(ipv4Header(6, opts, 0, -1, 25), TCP, payload(5));
        assertEquals(DecodeResult.TCP, raw(p));
        assertEquals(32, seg.tcpHeaderOffset);
        assertEquals(5, seg.payloadLength);
        assertEquals(5, seg.capturedPayloadLength);
        assertEquals(40000, seg.srcPort);
        // cut inside the options: TRUNCATED
        assertEquals(DecodeResult.TRUNCATED, raw(p, 25));
    }

    @Test
    void firstFragmentWithMoreFragmentsIsDecoded() {
        byte[] p = concat(ipv4Header(6, new byte[0], 0x2000, -1, 20 + 1000), TCP, payload(1000));
        assertEquals(DecodeResult.TCP, raw(p));
        assertEquals(1000, seg.payloadLength);
        assertEquals(1000, seg.capturedPayloadLength);
        assertEquals(443, seg.dstPort);
    }

    @Test
    void nonFirstFragment() {
        byte[] p = concat(ipv4Header(6, new byte[0], 0x2000 | 128, -1, 500), payload(500));
        assertEquals(DecodeResult.IP_FRAGMENT, raw(p));
        byte[] last = concat(ipv4Header(6, new byte[0], 200, -1, 500), payload(500));
        assertEquals(DecodeResult.IP_FRAGMENT, raw(last));
        byte[] udp = concat(ipv4Header(17, new byte[0], 200, -1, 500), payload(500));
        assertEquals(DecodeResult.NOT_TCP, raw(udp));
    }

    @Test
    void otherProtocols() {
        assertEquals(DecodeResult.NOT_TCP, raw(ipv4(17, payload(30))));
        assertEquals(DecodeResult.NOT_TCP, raw(ipv4(1, payload(30))));
    }

    @Test
    void malformedHeaders() {
        byte[] ihl4 = ipv4Tcp(TCP, new byte[0]);
        ihl4[0] = 0x44;
        assertEquals(DecodeResult.MALFORMED, raw(ihl4));
        byte[] shortTotal = concat(ipv4Header(6, new byte[0], 0, 19, 0), TCP);
        assertEquals(DecodeResult.MALFORMED, raw(shortTotal));
        // total length leaves less than a TCP fixed header
        byte[] tinyTcp = concat(ipv4Header(6, new byte[0], 0, 30, 0), TCP);
        assertEquals(DecodeResult.MALFORMED, raw(tinyTcp));
        // data offset below 5
        byte[] doff = ipv4Tcp(TCP, new byte[0]);
        doff[20 + 12] = 0x40;
        assertEquals(DecodeResult.MALFORMED, raw(doff));
        // data offset beyond the IP total length: negative payload
        byte[] big = ipv4Tcp(TCP, new byte[0]);
        big[20 + 12] = (byte) 0xF0;
        assertEquals(DecodeResult.MALFORMED, raw(concat(big, new byte[40])));
    }

    @Test
    void snaplenTruncatedPayloadCountsIpLength() {
        byte[] p = ipv4Tcp(TCP, payload(1400));
        byte[] frame = ethernet(0x0800, p);
        assertEquals(DecodeResult.TCP, decoder.decode(frame, 0, 96, LinkType.ETHERNET, seg));
        assertEquals(1400, seg.payloadLength);
        assertEquals(96 - 14 - 40, seg.capturedPayloadLength);
    }

    @Test
    void superFrame64k() {
        int payload = 65535 - 20 - 32;
        byte[] options = bytes(1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2);
        byte[] p = ipv4Tcp(tcp(TcpSegment.ACK | TcpSegment.PSH, options), payload(payload));
        assertEquals(65535, p.length);
        byte[] frame = ethernet(0x0800, p);
        assertEquals(DecodeResult.TCP, decoder.decode(frame, 0, frame.length, LinkType.ETHERNET, seg));
        assertEquals(payload, seg.payloadLength);
        assertEquals(payload, seg.capturedPayloadLength);
        assertEquals(32, seg.tcpHeaderLength);
        assertTrue(seg.hasTimestamps);
        // and cut at a 128-byte snaplen
        assertEquals(DecodeResult.TCP, decoder.decode(frame, 0, 128, LinkType.ETHERNET, seg));
        assertEquals(payload, seg.payloadLength);
        assertEquals(128 - 14 - 52, seg.capturedPayloadLength);
    }

    @Test
    void totalLengthZeroUsesCapturedBytes() {
        // TSO super-frame captured on the sender: the stack leaves total length 0.
        byte[] p = concat(ipv4Header(6, new byte[0], 0x4000, 0, 0), TCP, payload(3000));
        assertEquals(DecodeResult.TCP, raw(p));
        assertEquals(3000, seg.payloadLength);
        assertEquals(3000, seg.capturedPayloadLength);
        // captured only partly: the captured length is still the best measure
        assertEquals(DecodeResult.TCP, raw(p, 100));
        assertEquals(60, seg.payloadLength);
        assertEquals(60, seg.capturedPayloadLength);
    }
}
