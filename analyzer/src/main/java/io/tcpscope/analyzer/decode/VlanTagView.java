package io.tcpscope.analyzer.decode;

/**
 * Flyweight view of the 4 bytes that follow a VLAN tag protocol identifier (0x8100 802.1Q,
 * 0x88A8 802.1ad, 0x9100 legacy QinQ): the tag control information and the EtherType of
 * what the tag encapsulates (possibly another tag).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | PCP |D|       VLAN ID         |    Encapsulated EtherType     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class VlanTagView {
    public static final int TCI_OFFSET = 0;
    public static final int ETHERTYPE_OFFSET = 2;
    public static final int TAG_LENGTH = 4;

    private byte[] buffer;
    private int offset;
    private int length;

    public VlanTagView wrap(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    public boolean complete() {
        return length >= TAG_LENGTH;
    }

    /** Tag control information (16 bits). */
    public int tci() {
        return Bytes.uint16(buffer, offset + TCI_OFFSET);
    }

    /** Priority code point (3 bits). */
    public int priority() {
        return tci() >>> 13;
    }

    /** Drop eligible indicator. */
    public boolean dropEligible() {
        return (tci() & 0x1000) != 0;
    }

    /** VLAN identifier (12 bits). */
    public int vlanId() {
        return tci() & 0x0FFF;
    }

    public int etherType() {
        return Bytes.uint16(buffer, offset + ETHERTYPE_OFFSET);
    }
}
