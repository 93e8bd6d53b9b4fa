package io.tcpscope.analyzer.decode;

/**
 * Flyweight view of a Linux cooked capture v1 header (LINKTYPE_LINUX_SLL, 16 bytes).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Packet type          |        ARPHRD_ type           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Link-layer address length    |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |          Link-layer address (8 bytes, zero padded)            |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |        Protocol type          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The protocol type is an EtherType for most ARPHRD_ types (for ARPHRD_NETLINK it is a
 * netlink family, which is why {@link #arphrdType()} matters).
 */
public final class SllView {
    public static final int PACKET_TYPE_OFFSET = 0;
    public static final int ARPHRD_TYPE_OFFSET = 2;
    public static final int ADDRESS_LENGTH_OFFSET = 4;
    public static final int ADDRESS_OFFSET = 6;
    public static final int PROTOCOL_OFFSET = 14;
    public static final int HEADER_LENGTH = 16;

    /** ARPHRD_NETLINK: the protocol field is a netlink family, not an EtherType. */
    public static final int ARPHRD_NETLINK = 824;

    private byte[] buffer;
    private int offset;
    private int length;

    public SllView wrap(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    public boolean complete() {
        return length >= HEADER_LENGTH;
    }

    /** 0 to us, 1 broadcast, 2 multicast, 3 to someone else, 4 sent by us. */
    public int packetType() {
        return Bytes.uint16(buffer, offset + PACKET_TYPE_OFFSET);
    }

    public int arphrdType() {
        return Bytes.uint16(buffer, offset + ARPHRD_TYPE_OFFSET);
    }

    public int addressLength() {
        return Bytes.uint16(buffer, offset + ADDRESS_LENGTH_OFFSET);
    }

    public int protocol() {
        return Bytes.uint16(buffer, offset + PROTOCOL_OFFSET);
    }
}
