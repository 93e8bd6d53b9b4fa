package io.tcpscope.analyzer.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tcpscope.analyzer.FuzzLimits;
import io.tcpscope.capture.LinkType;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of every decoder through {@link PacketDecoder#decode} (Jazzer).
 * Input: one selector byte, then the frame. The selector picks the link type from
 * {@link #LINK_TYPES} (every supported one, plus one the decoders do not know).
 *
 * <p>What must hold for any frame: {@code decode} never throws; it reads nothing past the
 * captured bytes (the same frame followed by other bytes, and cut out of a larger buffer at
 * an offset, decodes to exactly the same result and fields); a {@code TCP} result is
 * consistent: IP version 4 or 6, a TCP header of 20-60 bytes that starts inside the frame,
 * payload present within the captured bytes and never more than the declared payload, at
 * most 4 SACK blocks; an unknown link type is {@code UNSUPPORTED_LINK_TYPE}.
 *
 * <p>{@code mvn verify} replays the seeds in {@code DecoderFuzzTestInputs/decodeFrame} (frames
 * of the fixtures and the capture corpus) and every crash found so far.
 */
class DecoderFuzzTest {
    /** Link types the selector byte chooses from; the last one is not supported. */
    static final int[] LINK_TYPES = {
        LinkType.ETHERNET, LinkType.LINUX_SLL, LinkType.LINUX_SLL2, LinkType.NULL, LinkType.LOOP,
        LinkType.RAW, LinkType.IPV4, LinkType.IPV6, 147 /* LINKTYPE_USER0 */,
    };
    private static final int MAX_FRAME = 65_535 + 64;
    private static final int SHIFT = 7;

    private final PacketDecoder decoder = new PacketDecoder();
    private final TcpSegment first = new TcpSegment();
    private final TcpSegment second = new TcpSegment();
    private final byte[] shifted = new byte[SHIFT + MAX_FRAME + 64];

    @FuzzTest(maxDuration = FuzzLimits.MAX_DURATION)
    void decodeFrame(byte[] data) {
        if (data.length == 0) {
            return;
        }
        int linkType = LINK_TYPES[(data[0] & 0xFF) % LINK_TYPES.length];
        int length = Math.min(data.length - 1, MAX_FRAME);
        byte[] frame = Arrays.copyOfRange(data, 1, 1 + length);

        DecodeResult result = decoder.decode(frame, 0, length, linkType, first);
        if (!LinkType.isSupported(linkType)) {
            assertEquals(DecodeResult.UNSUPPORTED_LINK_TYPE, result);
        }
        if (result == DecodeResult.TCP) {
            checkSegment(first, 0, length);
        }

        // The same bytes at an offset, surrounded by other bytes: the same answer.
        Arrays.fill(shifted, (byte) 0xA5);
        System.arraycopy(frame, 0, shifted, SHIFT, length);
        DecodeResult again = decoder.decode(shifted, SHIFT, length, linkType, second);
        assertEquals(result, again, "the bytes after the captured ones changed the result");
        if (result == DecodeResult.TCP) {
            checkSegment(second, SHIFT, length);
            assertSameFields(first, second);
        }

        // A captured length beyond the buffer is limited to the buffer, never read past it.
        DecodeResult beyond = decoder.decode(frame, 0, Integer.MAX_VALUE, linkType, second);
        assertEquals(result, beyond, "a captured length beyond the buffer changed the result");
    }

    private static void checkSegment(TcpSegment s, int offset, int length) {
        int end = offset + length;
        assertTrue(s.ipVersion == 4 || s.ipVersion == 6, "ip version " + s.ipVersion);
        assertTrue(s.tcpHeaderLength >= TcpView.MIN_HEADER_LENGTH && s.tcpHeaderLength <= 60,
            "tcp header length " + s.tcpHeaderLength);
        assertTrue(s.tcpHeaderOffset >= offset && s.tcpHeaderOffset + TcpView.MIN_HEADER_LENGTH <= end,
            "tcp header outside the frame");
        assertTrue(s.payloadLength >= 0, "payload length " + s.payloadLength);
        assertTrue(s.capturedPayloadLength >= 0 && s.capturedPayloadLength <= s.payloadLength,
            "captured payload " + s.capturedPayloadLength + " of " + s.payloadLength);
        assertTrue(s.capturedPayloadLength == 0
                || s.tcpHeaderOffset + s.tcpHeaderLength + s.capturedPayloadLength <= end,
            "payload past the captured bytes");
        assertTrue(s.srcPort >= 0 && s.srcPort <= 0xFFFF && s.dstPort >= 0 && s.dstPort <= 0xFFFF, "ports");
        assertTrue(s.flags >= 0 && s.flags <= 0xFF, "flags " + s.flags);
        assertTrue(s.window >= 0 && s.window <= 0xFFFF, "window " + s.window);
        assertTrue(s.mss >= -1 && s.mss <= 0xFFFF, "mss " + s.mss);
        assertTrue(s.windowScale >= -1 && s.windowScale <= 0xFF, "window scale " + s.windowScale);
        assertTrue(s.sackBlockCount >= 0 && s.sackBlockCount <= TcpSegment.MAX_SACK_BLOCKS,
            "sack blocks " + s.sackBlockCount);
        assertTrue(s.tsVal >= 0 && s.tsVal <= 0xFFFF_FFFFL && s.tsEcr >= 0 && s.tsEcr <= 0xFFFF_FFFFL, "timestamps");
        if (s.ipVersion == 4) {
            assertTrue(s.srcHi == 0 && s.dstHi == 0 && s.srcLo >= 0 && s.srcLo <= 0xFFFF_FFFFL
                && s.dstLo >= 0 && s.dstLo <= 0xFFFF_FFFFL, "ipv4 addresses");
            assertTrue(s.ipId >= 0 && s.ipId <= 0xFFFF, "ip id " + s.ipId);
        }
    }

    private static void assertSameFields(TcpSegment a, TcpSegment b) {
        int shift = b.tcpHeaderOffset - a.tcpHeaderOffset;
        assertEquals(SHIFT, shift, "tcp header offset");
        assertEquals(a.ipVersion, b.ipVersion);
        assertEquals(a.ipId, b.ipId);
        assertEquals(a.srcHi, b.srcHi);
        assertEquals(a.srcLo, b.srcLo);
        assertEquals(a.dstHi, b.dstHi);
        assertEquals(a.dstLo, b.dstLo);
        assertEquals(a.srcPort, b.srcPort);
        assertEquals(a.dstPort, b.dstPort);
        assertEquals(a.seq, b.seq);
        assertEquals(a.ack, b.ack);
        assertEquals(a.flags, b.flags);
        assertEquals(a.window, b.window);
        assertEquals(a.payloadLength, b.payloadLength);
        assertEquals(a.capturedPayloadLength, b.capturedPayloadLength);
        assertEquals(a.tcpHeaderLength, b.tcpHeaderLength);
        assertEquals(a.mss, b.mss);
        assertEquals(a.windowScale, b.windowScale);
        assertEquals(a.sackPermitted, b.sackPermitted);
        assertEquals(a.hasTimestamps, b.hasTimestamps);
        assertEquals(a.tsVal, b.tsVal);
        assertEquals(a.tsEcr, b.tsEcr);
        assertEquals(a.sackBlockCount, b.sackBlockCount);
        for (int i = 0; i < 2 * a.sackBlockCount; i++) {
            assertEquals(a.sackBlocks[i], b.sackBlocks[i], "sack edge " + i);
        }
        assertEquals(a.optionsTruncated, b.optionsTruncated);
    }
}
