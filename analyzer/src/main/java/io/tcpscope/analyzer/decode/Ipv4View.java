package io.tcpscope.analyzer.decode;

/**
 * Flyweight view of an IPv4 header (RFC 791).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |   DSCP    |ECN|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |R|D|M|      Fragment Offset    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options (IHL > 5)                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Use {@link #complete()} before reading the fixed fields and {@link #headerComplete()}
 * before relying on anything past them.
 */
public final class Ipv4View {
    public static final int VERSION_IHL_OFFSET = 0;
    public static final int TOS_OFFSET = 1;
    public static final int TOTAL_LENGTH_OFFSET = 2;
    public static final int IDENTIFICATION_OFFSET = 4;
    public static final int FLAGS_FRAGMENT_OFFSET = 6;
    public static final int TTL_OFFSET = 8;
    public static final int PROTOCOL_OFFSET = 9;
    public static final int CHECKSUM_OFFSET = 10;
    public static final int SOURCE_OFFSET = 12;
    public static final int DESTINATION_OFFSET = 16;
    /** Length of the header without options. */
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MIN_IHL = 5;

    public static final int PROTOCOL_ICMP = 1;
    public static final int PROTOCOL_TCP = 6;
    public static final int PROTOCOL_UDP = 17;

    private static final int FLAG_DF = 0x4000;
    private static final int FLAG_MF = 0x2000;
    private static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    private byte[] buffer;
    private int offset;
    private int length;

    public Ipv4View wrap(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** Whether the 20-byte fixed header is present. */
    public boolean complete() {
        return length >= MIN_HEADER_LENGTH;
    }

    /** Whether the fixed header and the options IHL announces are present and IHL is at least 5. */
    public boolean headerComplete() {
        return complete() && ihl() >= MIN_IHL && length >= headerLength();
    }

    public int version() {
        return Bytes.uint8(buffer, offset + VERSION_IHL_OFFSET) >>> 4;
    }

    /** Internet header length in 32-bit words. */
    public int ihl() {
        return Bytes.uint8(buffer, offset + VERSION_IHL_OFFSET) & 0x0F;
    }

    /** Header length in bytes (IHL * 4). */
    public int headerLength() {
        return ihl() << 2;
    }

    public int tos() {
        return Bytes.uint8(buffer, offset + TOS_OFFSET);
    }

    public int totalLength() {
        return Bytes.uint16(buffer, offset + TOTAL_LENGTH_OFFSET);
    }

    public int identification() {
        return Bytes.uint16(buffer, offset + IDENTIFICATION_OFFSET);
    }

    public boolean dontFragment() {
        return (Bytes.uint16(buffer, offset + FLAGS_FRAGMENT_OFFSET) & FLAG_DF) != 0;
    }

    public boolean moreFragments() {
        return (Bytes.uint16(buffer, offset + FLAGS_FRAGMENT_OFFSET) & FLAG_MF) != 0;
    }

    /** Fragment offset in 8-byte units; non-zero for all but the first fragment. */
    public int fragmentOffset() {
        return Bytes.uint16(buffer, offset + FLAGS_FRAGMENT_OFFSET) & FRAGMENT_OFFSET_MASK;
    }

    public int ttl() {
        return Bytes.uint8(buffer, offset + TTL_OFFSET);
    }

    public int protocol() {
        return Bytes.uint8(buffer, offset + PROTOCOL_OFFSET);
    }

    public int checksum() {
        return Bytes.uint16(buffer, offset + CHECKSUM_OFFSET);
    }

    /** Source address as unsigned 32 bits. */
    public long source() {
        return Bytes.uint32(buffer, offset + SOURCE_OFFSET);
    }

    /** Destination address as unsigned 32 bits. */
    public long destination() {
        return Bytes.uint32(buffer, offset + DESTINATION_OFFSET);
    }
}
