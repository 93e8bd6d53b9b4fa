package io.tcpscope.analyzer.bench;

/**
 * Builds Ethernet / IPv4 / TCP frames in place, in one reused buffer, with valid IPv4 and TCP
 * checksums. Used by {@link SyntheticCapture} and by the allocation tests: building a frame
 * allocates nothing.
 *
 * <pre>
 *   offset  bytes  field
 *   0       14     Ethernet: destination MAC, source MAC, EtherType 0x0800
 *   14      20     IPv4: version/IHL 0x45, total length, id, DF, TTL 64, protocol 6, checksum
 *   34      20+    TCP: ports, seq, ack, data offset, flags, window, checksum; SYNs carry
 *                  MSS 1460, SACK permitted and window scale 7 (12 option bytes)
 *   ..      n      payload (a fixed pseudo-random pattern)
 * </pre>
 *
 * <p>The caller owns {@link #buffer()}; its contents are valid until the next
 * {@link #build} call.
 */
public final class TcpFrameBuilder {
    /** Largest payload a frame carries (an Ethernet MSS). */
    public static final int MAX_PAYLOAD = 1460;
    public static final int ETHERNET_HEADER = 14;
    public static final int IPV4_HEADER = 20;
    public static final int TCP_HEADER = 20;
    /** MSS (4), SACK permitted (2), NOP (1), window scale (3), NOP NOP (2). */
    static final int SYN_OPTIONS = 12;
    /** Window scale announced in SYNs. */
    public static final int WINDOW_SCALE = 7;

    private static final int IP = ETHERNET_HEADER;
    private static final int TCP = ETHERNET_HEADER + IPV4_HEADER;

    private final byte[] buffer = new byte[ETHERNET_HEADER + IPV4_HEADER + TCP_HEADER + SYN_OPTIONS + MAX_PAYLOAD];
    private final byte[] pattern = new byte[MAX_PAYLOAD * 2];
    private int length;

    public TcpFrameBuilder() {
        long x = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < pattern.length; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            pattern[i] = (byte) x;
        }
        // Ethernet: 02:00:00:00:00:01 <-> 02:00:00:00:00:02 (locally administered), IPv4.
        buffer[0] = 2;
        buffer[5] = 2;
        buffer[6] = 2;
        buffer[11] = 1;
        buffer[12] = 0x08;
        buffer[13] = 0x00;
    }

    /** The frame built last, from offset 0 for {@link #length()} bytes. */
    public byte[] buffer() {
        return buffer;
    }

    /** Length of the frame built last. */
    public int length() {
        return length;
    }

    /**
     * Builds one frame.
     *
     * @param srcIp   IPv4 source address as an int (network order value, e.g. 0x0a000001)
     * @param flags   TCP flag bits as in {@code TcpSegment}
     * @param payload payload bytes, 0..{@link #MAX_PAYLOAD}
     * @param ipId    IPv4 identification
     * @return the frame length
     */
    public int build(int srcIp, int srcPort, int dstIp, int dstPort, int seq, int ack, int flags, int window,
                     int payload, int ipId) {
        if (payload < 0 || payload > MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload " + payload + " not in 0.." + MAX_PAYLOAD);
        }
        boolean syn = (flags & 0x02) != 0;
        int tcpLength = TCP_HEADER + (syn ? SYN_OPTIONS : 0);
        int ipLength = IPV4_HEADER + tcpLength + payload;
        byte[] b = buffer;

        b[IP] = 0x45;
        b[IP + 1] = 0;
        put16(b, IP + 2, ipLength);
        put16(b, IP + 4, ipId);
        put16(b, IP + 6, 0x4000); // DF
        b[IP + 8] = 64;
        b[IP + 9] = 6;
        put16(b, IP + 10, 0);
        put32(b, IP + 12, srcIp);
        put32(b, IP + 16, dstIp);
        put16(b, IP + 10, fold(sum(b, IP, IPV4_HEADER, 0)));

        put16(b, TCP, srcPort);
        put16(b, TCP + 2, dstPort);
        put32(b, TCP + 4, seq);
        put32(b, TCP + 8, ack);
        b[TCP + 12] = (byte) ((tcpLength / 4) << 4);
        b[TCP + 13] = (byte) flags;
        put16(b, TCP + 14, window);
        put16(b, TCP + 16, 0);
        put16(b, TCP + 18, 0);
        if (syn) {
            int o = TCP + TCP_HEADER;
            b[o] = 2;
            b[o + 1] = 4;
            put16(b, o + 2, 1460);
            b[o + 4] = 4;
            b[o + 5] = 2;
            b[o + 6] = 1;
            b[o + 7] = 3;
            b[o + 8] = 3;
            b[o + 9] = WINDOW_SCALE;
            b[o + 10] = 1;
            b[o + 11] = 1;
        }
        int payloadOffset = TCP + tcpLength;
        System.arraycopy(pattern, (seq & 0x7fffffff) % MAX_PAYLOAD, b, payloadOffset, payload);

        // TCP checksum over the pseudo-header (RFC 9293 §3.1), header and payload.
        long pseudo = ((srcIp >>> 16) & 0xffff) + (srcIp & 0xffff) + ((dstIp >>> 16) & 0xffff) + (dstIp & 0xffff)
                + 6 + tcpLength + payload;
        put16(b, TCP + 16, fold(sum(b, TCP, tcpLength + payload, pseudo)));
        length = ETHERNET_HEADER + ipLength;
        return length;
    }

    private static long sum(byte[] b, int offset, int n, long start) {
        long s = start;
        int end = offset + (n & ~1);
        for (int i = offset; i < end; i += 2) {
            s += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        }
        if ((n & 1) != 0) {
            s += (b[offset + n - 1] & 0xff) << 8;
        }
        return s;
    }

    private static int fold(long s) {
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) (~s & 0xffff);
    }

    private static void put16(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 8);
        b[o + 1] = (byte) v;
    }

    private static void put32(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }
}
