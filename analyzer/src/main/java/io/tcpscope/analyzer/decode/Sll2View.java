package io.tcpscope.analyzer.decode;

/**
 * Flyweight view of a Linux cooked capture v2 header (LINKTYPE_LINUX_SLL2, 20 bytes).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Protocol type          |       Reserved (MBZ)          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Interface index                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        ARPHRD_ type           |  Packet type  | Address length|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Link-layer address (8 bytes, zero padded)            |
 * +                                                               +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Sll2View {
    public static final int PROTOCOL_OFFSET = 0;
    public static final int RESERVED_OFFSET = 2;
    public static final int INTERFACE_INDEX_OFFSET = 4;
    public static final int ARPHRD_TYPE_OFFSET = 8;
    public static final int PACKET_TYPE_OFFSET = 10;
    public static final int ADDRESS_LENGTH_OFFSET = 11;
    public static final int ADDRESS_OFFSET = 12;
    public static final int HEADER_LENGTH = 20;

    private byte[] buffer;
    private int offset;
    private int length;

    public Sll2View wrap(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    public boolean complete() {
        return length >= HEADER_LENGTH;
    }

    public int protocol() {
        return Bytes.uint16(buffer, offset + PROTOCOL_OFFSET);
    }

    /** Interface index as unsigned 32 bits. */
    public long interfaceIndex() {
        return Bytes.uint32(buffer, offset + INTERFACE_INDEX_OFFSET);
    }

    public int arphrdType() {
        return Bytes.uint16(buffer, offset + ARPHRD_TYPE_OFFSET);
    }

    public int packetType() {
        return Bytes.uint8(buffer, offset + PACKET_TYPE_OFFSET);
    }

    public int addressLength() {
        return Bytes.uint8(buffer, offset + ADDRESS_LENGTH_OFFSET);
    }
}
