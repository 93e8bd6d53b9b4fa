package io.tcpscope.analyzer.decode;

/**
 * Flyweight view of a PPPoE session header (RFC 2516 §4, EtherType 0x8864) and the PPP
 * protocol field that follows it (RFC 1661 §2).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  VER  | TYPE  |      CODE     |          SESSION_ID           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            LENGTH             |   PPP protocol (1 or 2 bytes) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The PPP protocol field is 2 bytes, or 1 when the peers negotiated protocol-field
 * compression (RFC 1661 §6.5): a field whose first byte is odd is one byte long.
 */
public final class PppoeView {
    public static final int VERSION_TYPE_OFFSET = 0;
    public static final int CODE_OFFSET = 1;
    public static final int SESSION_ID_OFFSET = 2;
    public static final int LENGTH_OFFSET = 4;
    public static final int HEADER_LENGTH = 6;
    public static final int PROTOCOL_OFFSET = 6;

    /** PPPoE version 1, type 1 (RFC 2516): the only defined value. */
    public static final int VERSION_TYPE_1_1 = 0x11;
    /** Session data: the code of every session frame. */
    public static final int CODE_SESSION_DATA = 0x00;

    /** PPP protocol numbers (IANA "PPP DLL protocol numbers"). */
    public static final int PPP_IPV4 = 0x0021;
    public static final int PPP_IPV6 = 0x0057;
    /** Van Jacobson compressed / uncompressed TCP/IP (RFC 1144): TCP tcpscope cannot read. */
    public static final int PPP_VJ_COMPRESSED = 0x002D;
    public static final int PPP_VJ_UNCOMPRESSED = 0x002F;
    /** Compressed datagram (CCP, RFC 1962), and its per-link variant. */
    public static final int PPP_COMPRESSED = 0x00FD;
    public static final int PPP_COMPRESSED_LINK = 0x00FB;

    private byte[] buffer;
    private int offset;
    private int length;

    public PppoeView wrap(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** Whether the 6-byte PPPoE header and the first byte of the PPP protocol are present. */
    public boolean complete() {
        return length >= HEADER_LENGTH + 1 && length >= HEADER_LENGTH + protocolLength();
    }

    public int versionType() {
        return Bytes.uint8(buffer, offset + VERSION_TYPE_OFFSET);
    }

    public int code() {
        return Bytes.uint8(buffer, offset + CODE_OFFSET);
    }

    public int sessionId() {
        return Bytes.uint16(buffer, offset + SESSION_ID_OFFSET);
    }

    /** Bytes of PPP frame (protocol field included) that follow the PPPoE header. */
    public int payloadLength() {
        return Bytes.uint16(buffer, offset + LENGTH_OFFSET);
    }

    /** 1 when the protocol field is compressed (odd first byte), else 2. Needs 7 bytes. */
    public int protocolLength() {
        return (Bytes.uint8(buffer, offset + PROTOCOL_OFFSET) & 0x01) != 0 ? 1 : 2;
    }

    /** The PPP protocol number. Valid when {@link #complete()}. */
    public int protocol() {
        return protocolLength() == 1 ? Bytes.uint8(buffer, offset + PROTOCOL_OFFSET)
                : Bytes.uint16(buffer, offset + PROTOCOL_OFFSET);
    }

    /** Offset, from the start of the PPPoE header, of what the PPP frame carries. */
    public int innerOffset() {
        return HEADER_LENGTH + protocolLength();
    }
}
