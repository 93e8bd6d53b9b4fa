package io.tcpscope.analyzer.decode;

/**
 * Flyweight view of an IEEE 802.2 LLC header and, when DSAP and SSAP are 0xAA with an
 * unnumbered-information control byte, the SNAP extension (RFC 1042) that carries an
 * EtherType. It follows an IEEE 802.3 header, whose type field is a length (below 0x0600).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   DSAP 0xAA   |   SSAP 0xAA   |  Control 0x03 |   OUI (3 ... |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      ... bytes)               |           EtherType           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Only OUI 00-00-00 (RFC 1042) and 00-00-F8 (802.1H bridge tunnel) say that the
 * EtherType is a real one; other OUIs number protocols of their own (e.g. Cisco's 00-00-0C).
 */
public final class LlcSnapView {
    public static final int DSAP_OFFSET = 0;
    public static final int SSAP_OFFSET = 1;
    public static final int CONTROL_OFFSET = 2;
    public static final int OUI_OFFSET = 3;
    public static final int ETHERTYPE_OFFSET = 6;
    public static final int LLC_LENGTH = 3;
    public static final int HEADER_LENGTH = 8;

    public static final int SAP_SNAP = 0xAA;
    public static final int CONTROL_UI = 0x03;
    public static final int OUI_RFC1042 = 0x000000;
    public static final int OUI_BRIDGE_TUNNEL = 0x0000F8;

    private byte[] buffer;
    private int offset;
    private int length;

    public LlcSnapView wrap(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** Whether the 3-byte LLC header is present. */
    public boolean llcComplete() {
        return length >= LLC_LENGTH;
    }

    /** Whether the LLC header announces SNAP (AA-AA-03). Needs {@link #llcComplete()}. */
    public boolean isSnap() {
        return dsap() == SAP_SNAP && ssap() == SAP_SNAP && control() == CONTROL_UI;
    }

    /** Whether the 8-byte LLC+SNAP header is present. */
    public boolean snapComplete() {
        return length >= HEADER_LENGTH;
    }

    public int dsap() {
        return Bytes.uint8(buffer, offset + DSAP_OFFSET);
    }

    public int ssap() {
        return Bytes.uint8(buffer, offset + SSAP_OFFSET);
    }

    public int control() {
        return Bytes.uint8(buffer, offset + CONTROL_OFFSET);
    }

    /** Organizationally unique identifier (24 bits). */
    public int oui() {
        return (Bytes.uint8(buffer, offset + OUI_OFFSET) << 16) | Bytes.uint16(buffer, offset + OUI_OFFSET + 1);
    }

    /** Whether {@link #etherType()} is an EtherType (OUI 00-00-00 or 00-00-F8). */
    public boolean carriesEtherType() {
        int oui = oui();
        return oui == OUI_RFC1042 || oui == OUI_BRIDGE_TUNNEL;
    }

    public int etherType() {
        return Bytes.uint16(buffer, offset + ETHERTYPE_OFFSET);
    }
}
