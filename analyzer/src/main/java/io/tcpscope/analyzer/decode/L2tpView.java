package io.tcpscope.analyzer.decode;

/**
 * Flyweight view of a UDP header that carries L2TP version 2 (RFC 2661 §3.1, UDP port
 * 1701) and of the L2TP header and PPP header inside it. Only data messages (T bit clear)
 * carry PPP frames; the PPP frame may start with the HDLC address and control bytes
 * (0xFF 0x03) and may use a 1-byte protocol field (RFC 1661 §6.5, §6.6).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |   UDP
 * |            Length             |           Checksum            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |T|L|x|x|S|x|O|P|x|x|x|x|  Ver  |          Length (opt)         |   L2TP
 * |           Tunnel ID           |           Session ID          |
 * |             Ns (opt)          |             Nr (opt)          |
 * |      Offset Size (opt)        |    Offset pad... (opt)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>{@link #wrap} parses once and keeps the result; {@link #status()} says whether a PPP
 * protocol and the offset of what it carries are known.
 */
public final class L2tpView {
    public static final int UDP_HEADER_LENGTH = 8;
    public static final int L2TP_PORT = 1701;

    /** The datagram is not L2TPv2 to or from port 1701. */
    public static final int NOT_L2TP = 0;
    /** Cut before the PPP protocol field. */
    public static final int TRUNCATED = 1;
    /** A control message, or a data message whose header lengths make no sense. */
    public static final int NO_PPP = 2;
    /** {@link #pppProtocol()} and {@link #innerOffset()} are set. */
    public static final int PPP = 3;

    private static final int FLAG_TYPE = 0x8000;
    private static final int FLAG_LENGTH = 0x4000;
    private static final int FLAG_SEQUENCE = 0x0800;
    private static final int FLAG_OFFSET = 0x0200;
    private static final int VERSION_MASK = 0x000F;

    private int status;
    private int pppProtocol;
    private int innerOffset;

    /**
     * @param buffer the bytes
     * @param offset first byte of the UDP header
     * @param end    end of the captured bytes
     */
    public L2tpView wrap(byte[] buffer, int offset, int end) {
        status = parse(buffer, offset, end);
        return this;
    }

    private int parse(byte[] b, int pos, int end) {
        if (end - pos < 4) {
            return TRUNCATED; // the ports are cut: it might be a tunnel
        }
        if (Bytes.uint16(b, pos) != L2TP_PORT && Bytes.uint16(b, pos + 2) != L2TP_PORT) {
            return NOT_L2TP;
        }
        if (end - pos < UDP_HEADER_LENGTH) {
            return TRUNCATED;
        }
        int p = pos + UDP_HEADER_LENGTH;
        if (end - p < 2) {
            return TRUNCATED;
        }
        int flags = Bytes.uint16(b, p);
        if ((flags & VERSION_MASK) != 2) {
            return NOT_L2TP; // L2TPv3 over UDP, or something else on the port
        }
        if ((flags & FLAG_TYPE) != 0) {
            return NO_PPP;
        }
        int header = 2 + ((flags & FLAG_LENGTH) != 0 ? 2 : 0) + 4 + ((flags & FLAG_SEQUENCE) != 0 ? 4 : 0);
        if ((flags & FLAG_OFFSET) != 0) {
            if (end - p < header + 2) {
                return TRUNCATED;
            }
            header += 2 + Bytes.uint16(b, p + header);
        }
        p += header;
        if (end - p < 1) {
            return TRUNCATED;
        }
        if (Bytes.uint8(b, p) == 0xFF) { // HDLC address and control (0xFF 0x03)
            if (end - p < 2) {
                return TRUNCATED;
            }
            if (Bytes.uint8(b, p + 1) != 0x03) {
                return NO_PPP;
            }
            p += 2;
            if (end - p < 1) {
                return TRUNCATED;
            }
        }
        if ((Bytes.uint8(b, p) & 0x01) != 0) {
            pppProtocol = Bytes.uint8(b, p);
            innerOffset = p + 1;
        } else {
            if (end - p < 2) {
                return TRUNCATED;
            }
            pppProtocol = Bytes.uint16(b, p);
            innerOffset = p + 2;
        }
        return PPP;
    }

    /** {@link #NOT_L2TP}, {@link #TRUNCATED}, {@link #NO_PPP} or {@link #PPP}. */
    public int status() {
        return status;
    }

    /** The PPP protocol number (e.g. 0x0021 IPv4, 0x0057 IPv6). Valid when {@link #status()} is PPP. */
    public int pppProtocol() {
        return pppProtocol;
    }

    /** Index in the buffer of the first byte the PPP frame carries. Valid when {@link #status()} is PPP. */
    public int innerOffset() {
        return innerOffset;
    }
}
