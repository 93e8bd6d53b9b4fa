package io.tcpscope.analyzer.decode;

/**
 * Flyweight view of a TCP header (RFC 9293) and its options.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * |       |       |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options (Data Offset > 5)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Options: kind 0 EOL and 1 NOP are one byte; the others are kind, length (incl. both), data:
 *   MSS (2, len 4): 16-bit MSS          WS (3, len 3): shift count
 *   SACK-permitted (4, len 2)           SACK (5, len 2 + 8n): n left/right edge pairs
 *   Timestamps (8, len 10): TSval, TSecr
 * </pre>
 */
public final class TcpView {
    public static final int SOURCE_PORT_OFFSET = 0;
    public static final int DESTINATION_PORT_OFFSET = 2;
    public static final int SEQUENCE_OFFSET = 4;
    public static final int ACKNOWLEDGEMENT_OFFSET = 8;
    public static final int DATA_OFFSET_OFFSET = 12;
    public static final int FLAGS_OFFSET = 13;
    public static final int WINDOW_OFFSET = 14;
    public static final int CHECKSUM_OFFSET = 16;
    public static final int URGENT_POINTER_OFFSET = 18;
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MIN_DATA_OFFSET = 5;

    public static final int OPTION_EOL = 0;
    public static final int OPTION_NOP = 1;
    public static final int OPTION_MSS = 2;
    public static final int OPTION_WINDOW_SCALE = 3;
    public static final int OPTION_SACK_PERMITTED = 4;
    public static final int OPTION_SACK = 5;
    public static final int OPTION_TIMESTAMPS = 8;

    public static final int OPTION_MSS_LENGTH = 4;
    public static final int OPTION_WINDOW_SCALE_LENGTH = 3;
    public static final int OPTION_SACK_PERMITTED_LENGTH = 2;
    public static final int OPTION_TIMESTAMPS_LENGTH = 10;
    public static final int SACK_BLOCK_LENGTH = 8;

    private byte[] buffer;
    private int offset;
    private int length;

    public TcpView wrap(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** Whether the 20-byte fixed header is present. */
    public boolean complete() {
        return length >= MIN_HEADER_LENGTH;
    }

    /** Whether the whole header, options included, is present (and the data offset is valid). */
    public boolean headerComplete() {
        return complete() && dataOffset() >= MIN_DATA_OFFSET && length >= headerLength();
    }

    public int sourcePort() {
        return Bytes.uint16(buffer, offset + SOURCE_PORT_OFFSET);
    }

    public int destinationPort() {
        return Bytes.uint16(buffer, offset + DESTINATION_PORT_OFFSET);
    }

    /** Raw 32-bit sequence number. */
    public int sequenceNumber() {
        return Bytes.int32(buffer, offset + SEQUENCE_OFFSET);
    }

    /** Raw 32-bit acknowledgement number. */
    public int acknowledgementNumber() {
        return Bytes.int32(buffer, offset + ACKNOWLEDGEMENT_OFFSET);
    }

    /** Data offset in 32-bit words. */
    public int dataOffset() {
        return Bytes.uint8(buffer, offset + DATA_OFFSET_OFFSET) >>> 4;
    }

    /** Header length in bytes (data offset * 4). */
    public int headerLength() {
        return dataOffset() << 2;
    }

    /** The 8 flag bits CWR..FIN, matching the {@link TcpSegment} flag constants. */
    public int flags() {
        return Bytes.uint8(buffer, offset + FLAGS_OFFSET);
    }

    public int window() {
        return Bytes.uint16(buffer, offset + WINDOW_OFFSET);
    }

    public int checksum() {
        return Bytes.uint16(buffer, offset + CHECKSUM_OFFSET);
    }

    public int urgentPointer() {
        return Bytes.uint16(buffer, offset + URGENT_POINTER_OFFSET);
    }

    /**
     * Walks the options area (bytes 20 up to {@link #headerLength()}, limited to the wrapped
     * bytes) and stores MSS, window scale, SACK-permitted, SACK blocks and timestamps in
     * {@code out}. Unknown options are skipped by their length. A malformed option (length
     * below 2, past the header, or wrong for its kind) or an option cut by the end of the
     * wrapped bytes stops the walk and sets {@link TcpSegment#optionsTruncated}; options seen
     * before it are kept. Requires {@link #complete()}; does nothing for a data offset below 5.
     */
    public void readOptions(TcpSegment out) {
        int headerEnd = headerLength();
        if (headerEnd <= MIN_HEADER_LENGTH) {
            return;
        }
        int present = Math.min(headerEnd, length);
        int i = MIN_HEADER_LENGTH;
        while (i < headerEnd) {
            if (i >= present) {
                out.optionsTruncated = true;
                return;
            }
            int kind = Bytes.uint8(buffer, offset + i);
            if (kind == OPTION_EOL) {
                return;
            }
            if (kind == OPTION_NOP) {
                i++;
                continue;
            }
            if (present - i < 2) {
                out.optionsTruncated = true;
                return;
            }
            int len = Bytes.uint8(buffer, offset + i + 1);
            if (len < 2 || len > headerEnd - i || len > present - i) {
                out.optionsTruncated = true;
                return;
            }
            int p = offset + i + 2;
            switch (kind) {
                case OPTION_MSS:
                    if (len != OPTION_MSS_LENGTH) {
                        out.optionsTruncated = true;
                        return;
                    }
                    out.mss = Bytes.uint16(buffer, p);
                    break;
                case OPTION_WINDOW_SCALE:
                    if (len != OPTION_WINDOW_SCALE_LENGTH) {
                        out.optionsTruncated = true;
                        return;
                    }
                    out.windowScale = Bytes.uint8(buffer, p);
                    break;
                case OPTION_SACK_PERMITTED:
                    if (len != OPTION_SACK_PERMITTED_LENGTH) {
                        out.optionsTruncated = true;
                        return;
                    }
                    out.sackPermitted = true;
                    break;
                case OPTION_SACK: {
                    int blocks = (len - 2) / SACK_BLOCK_LENGTH;
                    if ((len - 2) % SACK_BLOCK_LENGTH != 0 || blocks < 1 || blocks > TcpSegment.MAX_SACK_BLOCKS) {
                        out.optionsTruncated = true;
                        return;
                    }
                    for (int k = 0; k < blocks; k++) {
                        out.sackBlocks[2 * k] = Bytes.int32(buffer, p + k * SACK_BLOCK_LENGTH);
                        out.sackBlocks[2 * k + 1] = Bytes.int32(buffer, p + k * SACK_BLOCK_LENGTH + 4);
                    }
                    out.sackBlockCount = blocks;
                    break;
                }
                case OPTION_TIMESTAMPS:
                    if (len != OPTION_TIMESTAMPS_LENGTH) {
                        out.optionsTruncated = true;
                        return;
                    }
                    out.hasTimestamps = true;
                    out.tsVal = Bytes.uint32(buffer, p);
                    out.tsEcr = Bytes.uint32(buffer, p + 4);
                    break;
                default:
                    break;
            }
            i += len;
        }
    }
}
