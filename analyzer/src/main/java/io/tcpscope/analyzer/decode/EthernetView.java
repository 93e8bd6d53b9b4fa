package io.tcpscope.analyzer.decode;

/**
 * Flyweight view of an Ethernet II header.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Destination MAC (6 bytes)                    |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                     Source MAC (6 bytes)                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     EtherType / Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>An EtherType below {@link #MIN_ETHERTYPE} is an IEEE 802.3 length field (LLC frame).
 */
public final class EthernetView {
    public static final int DESTINATION_OFFSET = 0;
    public static final int SOURCE_OFFSET = 6;
    public static final int ETHERTYPE_OFFSET = 12;
    public static final int HEADER_LENGTH = 14;

    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    /** IEEE 802.1Q customer VLAN tag. */
    public static final int ETHERTYPE_VLAN = 0x8100;
    /** IEEE 802.1ad service VLAN tag (QinQ outer tag). */
    public static final int ETHERTYPE_QINQ = 0x88A8;
    /** Pre-standard QinQ outer tag used by some switches. */
    public static final int ETHERTYPE_QINQ_LEGACY = 0x9100;
    /** Values below this are 802.3 length fields, not EtherTypes. */
    public static final int MIN_ETHERTYPE = 0x0600;

    private byte[] buffer;
    private int offset;
    private int length;

    public EthernetView wrap(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** Whether the 14-byte header is present. */
    public boolean complete() {
        return length >= HEADER_LENGTH;
    }

    /** Destination MAC as the low 48 bits of a long. */
    public long destination() {
        return mac(offset + DESTINATION_OFFSET);
    }

    /** Source MAC as the low 48 bits of a long. */
    public long source() {
        return mac(offset + SOURCE_OFFSET);
    }

    public int etherType() {
        return Bytes.uint16(buffer, offset + ETHERTYPE_OFFSET);
    }

    /** Whether an EtherType value introduces a VLAN tag (0x8100, 0x88A8, 0x9100). */
    public static boolean isVlanTag(int etherType) {
        return etherType == ETHERTYPE_VLAN || etherType == ETHERTYPE_QINQ || etherType == ETHERTYPE_QINQ_LEGACY;
    }

    private long mac(int i) {
        return ((long) Bytes.uint16(buffer, i) << 32) | Bytes.uint32(buffer, i + 2);
    }
}
