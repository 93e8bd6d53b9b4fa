package io.tcpscope.analyzer.decode;

import static io.tcpscope.analyzer.decode.Frames.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.capture.LinkType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TcpOptionsTest {
    private final PacketDecoder decoder = new PacketDecoder();
    private final TcpSegment seg = new TcpSegment();

    private DecodeResult decodeWith(byte[] options) {
        byte[] p = ipv4Tcp(tcp(TcpSegment.SYN, options), payload(3));
        return decoder.decode(p, 0, p.length, LinkType.IPV4, seg);
    }

    @Test
    void fixedHeaderFields() {
        byte[] t = tcp(1234, 65535, 0xFFFFFFFFL, 0x80000000L, 0xFF, 65535, new byte[0]);
        TcpView v = new TcpView().wrap(t, 0, t.length);
        assertTrue(v.complete());
        assertTrue(v.headerComplete());
        assertEquals(1234, v.sourcePort());
        assertEquals(65535, v.destinationPort());
        assertEquals(-1, v.sequenceNumber());
        assertEquals(Integer.MIN_VALUE, v.acknowledgementNumber());
        assertEquals(5, v.dataOffset());
        assertEquals(20, v.headerLength());
        assertEquals(0xFF, v.flags());
        assertEquals(65535, v.window());
        assertEquals(0xBEEF, v.checksum());
        assertEquals(0, v.urgentPointer());
        assertFalse(new TcpView().wrap(t, 0, 19).complete());
    }

    @Test
    void allFlagsIncludingEceAndCwr() {
        byte[] p = ipv4Tcp(tcp(0xFF, new byte[0]), new byte[0]);
        assertEquals(DecodeResult.TCP, decoder.decode(p, 0, p.length, LinkType.IPV4, seg));
        for (int f : new int[] {TcpSegment.FIN, TcpSegment.SYN, TcpSegment.RST, TcpSegment.PSH, TcpSegment.ACK,
                TcpSegment.URG, TcpSegment.ECE, TcpSegment.CWR}) {
            assertTrue(seg.has(f));
        }
        p = ipv4Tcp(tcp(TcpSegment.SYN | TcpSegment.ECE | TcpSegment.CWR, new byte[0]), new byte[0]);
        decoder.decode(p, 0, p.length, LinkType.IPV4, seg);
        assertEquals(0xC2, seg.flags);
        assertFalse(seg.has(TcpSegment.ACK));
    }

    @Test
    void everyOption() {
        byte[] opts = concat(bytes(2, 4, 0x05, 0xB4), bytes(1), bytes(3, 3, 14), bytes(4, 2),
                bytes(8, 10), u32(0xFEDCBA98L), u32(7), bytes(30, 4, 9, 9), bytes(1, 1));
        assertEquals(DecodeResult.TCP, decodeWith(opts));
        assertEquals(1460, seg.mss);
        assertEquals(14, seg.windowScale);
        assertTrue(seg.sackPermitted);
        assertTrue(seg.hasTimestamps);
        assertEquals(0xFEDCBA98L, seg.tsVal);
        assertEquals(7L, seg.tsEcr);
        assertEquals(0, seg.sackBlockCount);
        assertFalse(seg.optionsTruncated);
        assertEquals(48, seg.tcpHeaderLength); // 26 option bytes, padded to 28
        assertEquals(3, seg.payloadLength);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void sackBlocks(int n) {
        byte[] opts = concat(bytes(1, 1, 5, 2 + 8 * n));
        for (int i = 0; i < n; i++) {
            opts = concat(opts, u32(0xF0000000L + 1000L * i), u32(0xF0000000L + 1000L * i + 500));
        }
        assertEquals(DecodeResult.TCP, decodeWith(opts));
        assertEquals(n, seg.sackBlockCount);
        for (int i = 0; i < n; i++) {
            assertEquals((int) (0xF0000000L + 1000L * i), seg.sackBlocks[2 * i]);
            assertEquals((int) (0xF0000000L + 1000L * i + 500), seg.sackBlocks[2 * i + 1]);
        }
        assertFalse(seg.optionsTruncated);
    }

    @Test
    void sackWithBadLengthIsMalformedOption() {
        assertEquals(DecodeResult.TCP, decodeWith(concat(bytes(2, 4, 1, 0), bytes(5, 7), new byte[5])));
        assertEquals(256, seg.mss);
        assertEquals(0, seg.sackBlockCount);
        assertTrue(seg.optionsTruncated);
        assertEquals(DecodeResult.TCP, decodeWith(bytes(5, 2)));
        assertTrue(seg.optionsTruncated);
    }

    @Test
    void eolEndsTheWalk() {
        assertEquals(DecodeResult.TCP, decodeWith(bytes(2, 4, 1, 0, 0, 2, 4, 2, 0)));
        assertEquals(256, seg.mss);
        assertFalse(seg.optionsTruncated);
    }

    @Test
    void unknownOptionsSkippedByLength() {
        assertEquals(DecodeResult.TCP, decodeWith(concat(bytes(254, 6, 0xF9, 0x89, 0, 0), bytes(3, 3, 2))));
        assertEquals(2, seg.windowScale);
        assertFalse(seg.optionsTruncated);
    }

    @Test
    void malformedOptionLengths() {
        // length 0 / 1: stop
        assertEquals(DecodeResult.TCP, decodeWith(bytes(4, 2, 99, 1)));
        assertTrue(seg.sackPermitted);
        assertTrue(seg.optionsTruncated);
        assertEquals(DecodeResult.TCP, decodeWith(bytes(99, 0, 3, 3, 1)));
        assertEquals(-1, seg.windowScale);
        assertTrue(seg.optionsTruncated);
        // runs past the header
        assertEquals(DecodeResult.TCP, decodeWith(bytes(1, 1, 8, 10)));
        assertFalse(seg.hasTimestamps);
        assertTrue(seg.optionsTruncated);
        // wrong length for its kind
        assertEquals(DecodeResult.TCP, decodeWith(bytes(2, 3, 5, 0)));
        assertEquals(-1, seg.mss);
        assertTrue(seg.optionsTruncated);
        // kind byte as the last option byte, without its length
        assertEquals(DecodeResult.TCP, decodeWith(bytes(1, 1, 1, 2)));
        assertTrue(seg.optionsTruncated);
    }

    @Test
    void optionsCutBySnaplen() {
        byte[] opts = concat(bytes(2, 4, 0x05, 0xB4), bytes(4, 2), bytes(8, 10), u32(1), u32(2), bytes(1, 3, 3, 7));
        byte[] p = ipv4Tcp(tcp(TcpSegment.SYN, opts), new byte[0]);
        // cut inside the timestamps option: MSS and SACK-permitted kept
        assertEquals(DecodeResult.TCP, decoder.decode(p, 0, 20 + 20 + 4 + 2 + 5, LinkType.IPV4, seg));
        assertEquals(1460, seg.mss);
        assertTrue(seg.sackPermitted);
        assertFalse(seg.hasTimestamps);
        assertTrue(seg.optionsTruncated);
        assertEquals(40, seg.tcpHeaderLength);
        assertEquals(0, seg.payloadLength);
        assertEquals(0, seg.capturedPayloadLength);
        // cut between two options
        assertEquals(DecodeResult.TCP, decoder.decode(p, 0, 20 + 20 + 4, LinkType.IPV4, seg));
        assertEquals(1460, seg.mss);
        assertFalse(seg.sackPermitted);
        assertTrue(seg.optionsTruncated);
        // whole header
        assertEquals(DecodeResult.TCP, decoder.decode(p, 0, p.length, LinkType.IPV4, seg));
        assertEquals(7, seg.windowScale);
        assertFalse(seg.optionsTruncated);
    }
}
