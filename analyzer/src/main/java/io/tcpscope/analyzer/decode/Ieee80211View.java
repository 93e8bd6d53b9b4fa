package io.tcpscope.analyzer.decode;

/**
 * Flyweight view of an IEEE 802.11 MAC header (802.11-2020 §9.2), optionally behind a
 * radiotap header (radiotap.org: version, pad, little-endian length). Only data frames carry
 * an LLC/SNAP header and IP; management and control frames, null-data frames and protected
 * (encrypted) frames are told apart so the decoder can count them.
 *
 * <pre>
 *  radiotap: | version 0 | pad | length (LE, 16 bits) | present flags ... |
 *  802.11:   | frame control (2) | duration (2) | addr1 (6) | addr2 (6) | addr3 (6) |
 *            | sequence control (2) | [addr4 (6) if ToDS and FromDS] | [QoS (2)] | [HT control (4)] |
 * frame control byte 0: subtype (4 bits) | type (2 bits) | protocol version (2 bits)
 * frame control byte 1: order | protected | more data | power mgmt | retry | more frag | FromDS | ToDS
 * </pre>
 */
public final class Ieee80211View {
    public static final int RADIOTAP_MIN_LENGTH = 8;
    public static final int BASE_HEADER_LENGTH = 24;
    public static final int TYPE_DATA = 2;

    private static final int FLAG_TO_DS = 0x01;
    private static final int FLAG_FROM_DS = 0x02;
    private static final int FLAG_PROTECTED = 0x40;
    private static final int FLAG_ORDER = 0x80;
    private static final int SUBTYPE_QOS = 0x8;
    private static final int SUBTYPE_NO_DATA = 0x4;

    private byte[] buffer;
    private int offset;
    private int length;

    public Ieee80211View wrap(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** Radiotap length at {@code offset}, or -1 when cut or not version 0. */
    public int radiotapLength() {
        if (length < RADIOTAP_MIN_LENGTH || Bytes.uint8(buffer, offset) != 0) {
            return -1;
        }
        return Bytes.uint8(buffer, offset + 2) | (Bytes.uint8(buffer, offset + 3) << 8);
    }

    /** Whether the frame control field is present. */
    public boolean hasFrameControl() {
        return length >= 2;
    }

    public int type() {
        return (Bytes.uint8(buffer, offset) >>> 2) & 0x3;
    }

    public int subtype() {
        return Bytes.uint8(buffer, offset) >>> 4;
    }

    public int flags() {
        return Bytes.uint8(buffer, offset + 1);
    }

    /** A data frame with a body (not null data). */
    public boolean carriesData() {
        return type() == TYPE_DATA && (subtype() & SUBTYPE_NO_DATA) == 0;
    }

    public boolean isProtected() {
        return (flags() & FLAG_PROTECTED) != 0;
    }

    /** Length of the MAC header of a data frame: 24, +6 with four addresses, +2 QoS, +4 HT control. */
    public int dataHeaderLength() {
        int n = BASE_HEADER_LENGTH;
        if ((flags() & (FLAG_TO_DS | FLAG_FROM_DS)) == (FLAG_TO_DS | FLAG_FROM_DS)) {
            n += 6;
        }
        if ((subtype() & SUBTYPE_QOS) != 0) {
            n += 2;
            if ((flags() & FLAG_ORDER) != 0) {
                n += 4;
            }
        }
        return n;
    }
}
