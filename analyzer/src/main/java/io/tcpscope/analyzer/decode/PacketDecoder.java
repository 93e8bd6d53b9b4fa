package io.tcpscope.analyzer.decode;

/**
 * Decodes link layer, IP and TCP headers of one frame in place and copies the TCP fields
 * into a reused {@link TcpSegment}. Never throws on bad input; never allocates.
 */
public final class PacketDecoder {
    /**
     * @param buffer   the frame bytes (not modified)
     * @param offset   first byte of the frame
     * @param capturedLength bytes present
     * @param linkType LINKTYPE_* of the frame
     * @param out      filled when the result is {@link DecodeResult#TCP}
     */
    public DecodeResult decode(byte[] buffer, int offset, int capturedLength, int linkType, TcpSegment out) {
        throw new UnsupportedOperationException("not written yet");
    }
}
