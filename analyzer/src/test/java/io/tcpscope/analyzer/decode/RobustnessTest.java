package io.tcpscope.analyzer.decode;

import static io.tcpscope.analyzer.decode.Frames.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tcpscope.capture.LinkType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Cut and random frames: the decoder never throws and says TRUNCATED until the TCP fixed header is there. */
class RobustnessTest {
    private static final int[] LINK_TYPES = {LinkType.NULL, LinkType.ETHERNET, LinkType.RAW, LinkType.LOOP,
        LinkType.LINUX_SLL, LinkType.IPV4, LinkType.IPV6, LinkType.LINUX_SLL2};

    private final PacketDecoder decoder = new PacketDecoder();
    private final TcpSegment seg = new TcpSegment();

    private record Sample(String name, byte[] frame, int linkType) {
    }

    private static List<Sample> validFrames() {
        byte[] allOptions = concat(bytes(2, 4, 5, 0xB4, 1, 3, 3, 7, 4, 2, 8, 10), u32(1), u32(2),
                bytes(1, 1, 5, 18), u32(10), u32(20), u32(30), u32(40));
        byte[] tcpOpts = tcp(TcpSegment.ACK, allOptions);
        byte[] tcpPlain = tcp(TcpSegment.SYN, new byte[0]);
        byte[] v4 = ipv4Tcp(tcpOpts, payload(50));
        byte[] v4Options = concat(ipv4Header(6, bytes(1, 1, 1, 0), 0, -1, tcpPlain.length + 9), tcpPlain, payload(9));
        byte[] v4FirstFragment = concat(ipv4Header(6, new byte[0], 0x2000, -1, tcpOpts.length + 64), tcpOpts, payload(64));
        byte[] v4Tso = concat(ipv4Header(6, new byte[0], 0x4000, 0, 0), tcpOpts, payload(300));
        byte[] v6 = ipv6(6, new byte[0], concat(tcpOpts, payload(20)));
        byte[] v6Chain = ipv6(0, concat(optionsHeader(43, 1), routingHeader(44), fragmentHeader(60, 0, true),
                optionsHeader(51, 0), ahHeader(6, 1)), concat(tcpOpts, payload(5)));
        byte[] v6Jumbo = concat(ipv6Header(0, 0), jumboHopByHop(6, 8 + tcpPlain.length + 70000), tcpPlain, payload(70000));
        List<Sample> s = new ArrayList<>();
        s.add(new Sample("ethernet v4", ethernet(0x0800, v4), LinkType.ETHERNET));
        s.add(new Sample("ethernet v4 options", ethernet(0x0800, v4Options), LinkType.ETHERNET));
        s.add(new Sample("ethernet v4 first fragment", ethernet(0x0800, v4FirstFragment), LinkType.ETHERNET));
        s.add(new Sample("ethernet v4 tso", ethernet(0x0800, v4Tso), LinkType.ETHERNET));
        s.add(new Sample("ethernet v6 chain", ethernet(0x86DD, v6Chain), LinkType.ETHERNET));
        s.add(new Sample("ethernet v6 jumbo", ethernet(0x86DD, v6Jumbo), LinkType.ETHERNET));
        s.add(new Sample("vlan", ethernet(0x8100, concat(u16(1), u16(0x0800), v4)), LinkType.ETHERNET));
        s.add(new Sample("qinq", ethernet(0x88A8, concat(u16(1), u16(0x8100), u16(2), u16(0x86DD), v6)), LinkType.ETHERNET));
        s.add(new Sample("qinqinq", ethernet(0x9100, concat(u16(1), u16(0x88A8), u16(2), u16(0x8100), u16(3),
                u16(0x0800), v4)), LinkType.ETHERNET));
        s.add(new Sample("sll", sll(0x0800, v4), LinkType.LINUX_SLL));
        s.add(new Sample("sll2", sll2(0x86DD, v6Chain), LinkType.LINUX_SLL2));
        s.add(new Sample("null le", nullLittleEndian(30, v6), LinkType.NULL));
        s.add(new Sample("null be", nullBigEndian(2, v4), LinkType.NULL));
        s.add(new Sample("loop", nullBigEndian(24, v6), LinkType.LOOP));
        s.add(new Sample("raw v4", v4, LinkType.RAW));
        s.add(new Sample("raw v6", v6, LinkType.RAW));
        s.add(new Sample("ipv4", v4Options, LinkType.IPV4));
        s.add(new Sample("ipv6", v6Chain, LinkType.IPV6));
        return s;
    }

    @Test
    void everyCutOfAValidFrameIsTruncatedUntilTheTcpFixedHeader() {
        for (Sample s : validFrames()) {
            assertEquals(DecodeResult.TCP, decoder.decode(s.frame, 0, s.frame.length, s.linkType, seg), s.name);
            int tcpFixedEnd = seg.tcpHeaderOffset + TcpView.MIN_HEADER_LENGTH;
            int fullPayload = seg.payloadLength;
            for (int cut = 0; cut <= s.frame.length; cut++) {
                DecodeResult r = decodeSafely(s.frame, 0, cut, s.linkType, s.name + " cut at " + cut);
                if (cut < tcpFixedEnd) {
                    assertEquals(DecodeResult.TRUNCATED, r, s.name + " cut at " + cut);
                } else {
                    assertEquals(DecodeResult.TCP, r, s.name + " cut at " + cut);
                    assertTrue(seg.capturedPayloadLength >= 0 && seg.capturedPayloadLength <= seg.payloadLength);
                    assertEquals(cut < seg.tcpHeaderOffset + seg.tcpHeaderLength, seg.optionsTruncated,
                            s.name + " cut at " + cut);
                    if (s.name.equals("ethernet v4 tso")) {
                        assertEquals(Math.max(0, cut - seg.tcpHeaderOffset - seg.tcpHeaderLength), seg.payloadLength);
                    } else {
                        assertEquals(fullPayload, seg.payloadLength, s.name + " cut at " + cut);
                        assertEquals(Math.max(0, Math.min(fullPayload, cut - seg.tcpHeaderOffset - seg.tcpHeaderLength)),
                                seg.capturedPayloadLength, s.name + " cut at " + cut);
                    }
                }
            }
        }
    }

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(0x7C95C0BEL);
        byte[] buffer = new byte[2048];
        int tcp = 0;
        for (int linkType : LINK_TYPES) {
            for (int i = 0; i < 100_000; i++) {
                int length = random.nextInt(8) == 0 ? random.nextInt(buffer.length) : random.nextInt(128);
                random.nextBytes(buffer);
                // bias the first bytes towards what the link type expects, to get deeper than the link layer
                if (random.nextBoolean()) {
                    biasTowardsIp(buffer, linkType, random);
                }
                if (decodeSafely(buffer, 0, length, linkType, "random frame " + i) == DecodeResult.TCP) {
                    tcp++;
                    checkInvariants(length);
                }
            }
        }
        assertTrue(tcp > 1000, "random frames reached TCP only " + tcp + " times");
    }

    @Test
    void mutatedValidFramesNeverThrow() {
        Random random = new Random(42);
        for (Sample s : validFrames()) {
            int n = s.frame.length > 10_000 ? 2_000 : 20_000;
            for (int i = 0; i < n; i++) {
                byte[] f = s.frame.clone();
                int flips = 1 + random.nextInt(4);
                for (int k = 0; k < flips; k++) {
                    f[random.nextInt(Math.min(f.length, 160))] = (byte) random.nextInt(256);
                }
                int length = random.nextBoolean() ? f.length : random.nextInt(f.length + 1);
                if (decodeSafely(f, 0, length, s.linkType, s.name + " mutation " + i) == DecodeResult.TCP) {
                    checkInvariants(length);
                }
            }
        }
    }

    private void checkInvariants(int length) {
        assertTrue(seg.ipVersion == 4 || seg.ipVersion == 6);
        assertTrue(seg.tcpHeaderLength >= 20 && seg.tcpHeaderLength <= 60);
        assertTrue(seg.tcpHeaderOffset + 20 <= length);
        assertTrue(seg.payloadLength >= 0);
        assertTrue(seg.capturedPayloadLength >= 0 && seg.capturedPayloadLength <= seg.payloadLength);
        assertTrue(seg.capturedPayloadLength == 0
                || seg.tcpHeaderOffset + seg.tcpHeaderLength + seg.capturedPayloadLength <= length);
        assertTrue(seg.sackBlockCount >= 0 && seg.sackBlockCount <= TcpSegment.MAX_SACK_BLOCKS);
    }

    private static void biasTowardsIp(byte[] b, int linkType, Random random) {
        int ip;
        boolean v6 = random.nextBoolean();
        switch (linkType) {
            case LinkType.ETHERNET:
                b[12] = (byte) (v6 ? 0x86 : 0x08);
                b[13] = (byte) (v6 ? 0xDD : 0x00);
                ip = 14;
                break;
            case LinkType.LINUX_SLL:
                b[2] = 0;
                b[14] = (byte) (v6 ? 0x86 : 0x08);
                b[15] = (byte) (v6 ? 0xDD : 0x00);
                ip = 16;
                break;
            case LinkType.LINUX_SLL2:
                b[0] = (byte) (v6 ? 0x86 : 0x08);
                b[1] = (byte) (v6 ? 0xDD : 0x00);
                b[8] = 0;
                ip = 20;
                break;
            case LinkType.NULL:
            case LinkType.LOOP:
                b[0] = 0;
                b[1] = 0;
                b[2] = 0;
                b[3] = (byte) (v6 ? 30 : 2);
                ip = 4;
                break;
            default:
                ip = 0;
                v6 = linkType == LinkType.IPV6 || (linkType == LinkType.RAW && v6);
        }
        if (v6) {
            b[ip] = 0x60;
            b[ip + 6] = (byte) (random.nextInt(4) == 0 ? random.nextInt(64) : 6);
        } else {
            b[ip] = (byte) (0x40 | (5 + random.nextInt(3)));
            b[ip + 6] = (byte) (b[ip + 6] & 0xE0);
            b[ip + 7] = 0;
            b[ip + 9] = 6;
        }
    }

    private DecodeResult decodeSafely(byte[] buffer, int offset, int length, int linkType, String what) {
        try {
            DecodeResult r = decoder.decode(buffer, offset, length, linkType, seg);
            assertNotNull(r, what);
            return r;
        } catch (RuntimeException e) {
            fail(what + " (link type " + linkType + ", length " + length + ") threw", e);
            return null;
        }
    }
}
