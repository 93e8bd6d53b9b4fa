package io.tcpscope.analyzer.decode;

/**
 * Flyweight view of an IPv6 header (RFC 8200) with a walk over its extension header chain.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |              Flow Label               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Payload Length         |  Next Header  |   Hop Limit   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +                    Source Address (128 bits)                  +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +                 Destination Address (128 bits)                +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Hop-by-hop (0), routing (43), destination options (60):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Header  |  Hdr Ext Len  |  data ... ((Hdr Ext Len + 1) * 8 bytes in all)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * Fragment (44), 8 bytes:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Header  |   Reserved    |      Fragment Offset    |Res|M|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Identification                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * Authentication header (51): as above, Payload Len in 4-byte units minus 2.
 * Jumbo payload option (type 0xC2, in hop-by-hop, RFC 2675; Linux BIG TCP):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Option Type  |  Opt Data Len |    Jumbo Payload Length ...   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>{@link #walkExtensionHeaders()} follows the chain (at most {@link #MAX_EXTENSION_HEADERS}
 * headers) within the bytes the view wraps and keeps what it found in the view; nothing is
 * allocated. Read its results with the accessors documented as "after the walk".
 */
public final class Ipv6View {
    public static final int VERSION_CLASS_FLOW_OFFSET = 0;
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    public static final int NEXT_HEADER_OFFSET = 6;
    public static final int HOP_LIMIT_OFFSET = 7;
    public static final int SOURCE_OFFSET = 8;
    public static final int DESTINATION_OFFSET = 24;
    public static final int HEADER_LENGTH = 40;

    public static final int NEXT_HOP_BY_HOP = 0;
    public static final int NEXT_TCP = 6;
    public static final int NEXT_UDP = 17;
    public static final int NEXT_ROUTING = 43;
    public static final int NEXT_FRAGMENT = 44;
    public static final int NEXT_ESP = 50;
    public static final int NEXT_AH = 51;
    public static final int NEXT_ICMPV6 = 58;
    public static final int NEXT_NO_NEXT_HEADER = 59;
    public static final int NEXT_DESTINATION_OPTIONS = 60;

    /** Longest extension header chain followed; longer chains are reported {@link #WALK_MALFORMED}. */
    public static final int MAX_EXTENSION_HEADERS = 12;

    public static final int EXT_NEXT_HEADER_OFFSET = 0;
    public static final int EXT_LENGTH_OFFSET = 1;
    public static final int FRAGMENT_OFFSET_FIELD_OFFSET = 2;
    public static final int FRAGMENT_HEADER_LENGTH = 8;
    public static final int OPTION_PAD1 = 0x00;
    public static final int OPTION_JUMBO = 0xC2;
    public static final int JUMBO_OPTION_DATA_LENGTH = 4;

    /** Walk result: reached an upper-layer protocol, see {@link #upperLayerProtocol()}. */
    public static final int WALK_OK = 0;
    /** Walk result: an extension header runs past the wrapped bytes. */
    public static final int WALK_TRUNCATED = 1;
    /** Walk result: bad option lengths in hop-by-hop, or a chain longer than the limit. */
    public static final int WALK_MALFORMED = 2;
    /** Walk result: a fragment header with a non-zero offset; {@link #upperLayerProtocol()} is its next header. */
    public static final int WALK_FRAGMENT = 3;
    /** Walk result: next header 59, nothing follows. */
    public static final int WALK_NO_NEXT_HEADER = 4;

    private byte[] buffer;
    private int offset;
    private int length;

    private int upperLayerProtocol;
    private int upperLayerOffset;
    private int extensionHeaderCount;
    private long jumboPayloadLength;
    private boolean fragmentHeader;
    private int fragmentOffset;
    private boolean moreFragments;

    public Ipv6View wrap(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        upperLayerProtocol = -1;
        upperLayerOffset = HEADER_LENGTH;
        extensionHeaderCount = 0;
        jumboPayloadLength = -1;
        fragmentHeader = false;
        fragmentOffset = 0;
        moreFragments = false;
        return this;
    }

    /** Whether the 40-byte fixed header is present. */
    public boolean complete() {
        return length >= HEADER_LENGTH;
    }

    public int version() {
        return Bytes.uint8(buffer, offset + VERSION_CLASS_FLOW_OFFSET) >>> 4;
    }

    public int trafficClass() {
        return (Bytes.uint16(buffer, offset + VERSION_CLASS_FLOW_OFFSET) >>> 4) & 0xFF;
    }

    public int flowLabel() {
        return Bytes.int32(buffer, offset + VERSION_CLASS_FLOW_OFFSET) & 0xFFFFF;
    }

    /** Payload length field: extension headers plus upper layer; 0 for jumbograms. */
    public int payloadLength() {
        return Bytes.uint16(buffer, offset + PAYLOAD_LENGTH_OFFSET);
    }

    public int nextHeader() {
        return Bytes.uint8(buffer, offset + NEXT_HEADER_OFFSET);
    }

    public int hopLimit() {
        return Bytes.uint8(buffer, offset + HOP_LIMIT_OFFSET);
    }

    public long sourceHi() {
        return Bytes.int64(buffer, offset + SOURCE_OFFSET);
    }

    public long sourceLo() {
        return Bytes.int64(buffer, offset + SOURCE_OFFSET + 8);
    }

    public long destinationHi() {
        return Bytes.int64(buffer, offset + DESTINATION_OFFSET);
    }

    public long destinationLo() {
        return Bytes.int64(buffer, offset + DESTINATION_OFFSET + 8);
    }

    /**
     * Follows the extension header chain from {@link #nextHeader()}. Requires {@link #complete()}.
     *
     * @return one of the {@code WALK_*} constants
     */
    public int walkExtensionHeaders() {
        int next = nextHeader();
        int pos = HEADER_LENGTH;
        int count = 0;
        while (true) {
            final int headerLength;
            switch (next) {
                case NEXT_HOP_BY_HOP:
                case NEXT_ROUTING:
                case NEXT_DESTINATION_OPTIONS:
                case NEXT_AH:
                case NEXT_FRAGMENT:
                    break;
                case NEXT_NO_NEXT_HEADER:
                    return finish(next, pos, count, WALK_NO_NEXT_HEADER);
                default:
                    return finish(next, pos, count, WALK_OK);
            }
            if (count == MAX_EXTENSION_HEADERS) {
                return finish(next, pos, count, WALK_MALFORMED);
            }
            if (length - pos < 2) {
                return finish(next, pos, count, WALK_TRUNCATED);
            }
            int b = offset + pos;
            int following = Bytes.uint8(buffer, b + EXT_NEXT_HEADER_OFFSET);
            int extLen = Bytes.uint8(buffer, b + EXT_LENGTH_OFFSET);
            if (next == NEXT_FRAGMENT) {
                headerLength = FRAGMENT_HEADER_LENGTH;
            } else if (next == NEXT_AH) {
                headerLength = (extLen + 2) << 2;
            } else {
                headerLength = (extLen + 1) << 3;
            }
            if (length - pos < headerLength) {
                return finish(next, pos, count, WALK_TRUNCATED);
            }
            if (next == NEXT_FRAGMENT) {
                int field = Bytes.uint16(buffer, b + FRAGMENT_OFFSET_FIELD_OFFSET);
                fragmentHeader = true;
                fragmentOffset = field >>> 3;
                moreFragments = (field & 1) != 0;
                if (fragmentOffset != 0) {
                    return finish(following, pos + headerLength, count + 1, WALK_FRAGMENT);
                }
            } else if (next == NEXT_HOP_BY_HOP && count == 0) {
                if (!readHopByHopOptions(b + 2, b + headerLength)) {
                    return finish(next, pos, count, WALK_MALFORMED);
                }
            }
            count++;
            pos += headerLength;
            next = following;
        }
    }

    private boolean readHopByHopOptions(int from, int to) {
        int i = from;
        while (i < to) {
            int type = Bytes.uint8(buffer, i);
            if (type == OPTION_PAD1) {
                i++;
                continue;
            }
            if (to - i < 2) {
                return false;
            }
            int dataLength = Bytes.uint8(buffer, i + 1);
            if (to - i - 2 < dataLength) {
                return false;
            }
            if (type == OPTION_JUMBO) {
                if (dataLength != JUMBO_OPTION_DATA_LENGTH) {
                    return false;
                }
                jumboPayloadLength = Bytes.uint32(buffer, i + 2);
            }
            i += 2 + dataLength;
        }
        return true;
    }

    private int finish(int protocol, int pos, int count, int result) {
        upperLayerProtocol = protocol;
        upperLayerOffset = pos;
        extensionHeaderCount = count;
        return result;
    }

    /** After the walk: the protocol number that ended it (e.g. 6 for TCP). */
    public int upperLayerProtocol() {
        return upperLayerProtocol;
    }

    /** After the walk: offset of the upper-layer header from the start of the IPv6 header. */
    public int upperLayerOffset() {
        return upperLayerOffset;
    }

    /** After the walk: bytes of extension headers before the upper layer. */
    public int extensionHeadersLength() {
        return upperLayerOffset - HEADER_LENGTH;
    }

    /** After the walk: number of extension headers passed. */
    public int extensionHeaderCount() {
        return extensionHeaderCount;
    }

    /** After the walk: the jumbo payload length option of the hop-by-hop header, or -1. */
    public long jumboPayloadLength() {
        return jumboPayloadLength;
    }

    /** After the walk: whether a fragment header was seen. */
    public boolean hasFragmentHeader() {
        return fragmentHeader;
    }

    /** After the walk: fragment offset in 8-byte units (0 without a fragment header). */
    public int fragmentOffset() {
        return fragmentOffset;
    }

    /** After the walk: the M flag of the fragment header. */
    public boolean moreFragments() {
        return moreFragments;
    }
}
