package io.tcpscope.analyzer.decode;

/**
 * Flyweight view of the 4-byte address family header of BSD loopback captures:
 * LINKTYPE_NULL (family in the capturing host's byte order, so either order is accepted)
 * and LINKTYPE_LOOP (family in network byte order).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Address family (AF_INET, AF_INET6, ...)            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>AF_INET is 2 everywhere; AF_INET6 is 24 (NetBSD, OpenBSD, BSD/OS), 28 (FreeBSD,
 * DragonFly) or 30 (macOS).
 */
public final class LoopbackView {
    public static final int FAMILY_OFFSET = 0;
    public static final int HEADER_LENGTH = 4;

    public static final int AF_INET = 2;
    public static final int AF_INET6_BSD = 24;
    public static final int AF_INET6_FREEBSD = 28;
    public static final int AF_INET6_DARWIN = 30;

    private byte[] buffer;
    private int offset;
    private int length;

    public LoopbackView wrap(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    public boolean complete() {
        return length >= HEADER_LENGTH;
    }

    /** The family read in network byte order (LINKTYPE_LOOP). */
    public int familyBigEndian() {
        return Bytes.int32(buffer, offset + FAMILY_OFFSET);
    }

    /** The family read in little-endian byte order (LINKTYPE_NULL from x86/ARM hosts). */
    public int familyLittleEndian() {
        return Integer.reverseBytes(familyBigEndian());
    }

    /**
     * IP version the family announces: 4, 6, or 0 when it is neither.
     *
     * @param eitherOrder true for LINKTYPE_NULL (accept both byte orders), false for LINKTYPE_LOOP
     */
    public int ipVersion(boolean eitherOrder) {
        int v = ipVersionOf(familyBigEndian());
        if (v == 0 && eitherOrder) {
            v = ipVersionOf(familyLittleEndian());
        }
        return v;
    }

    /** 4 for AF_INET, 6 for any AF_INET6 value, else 0. */
    public static int ipVersionOf(int family) {
        switch (family) {
            case AF_INET:
                return 4;
            case AF_INET6_BSD:
            case AF_INET6_FREEBSD:
            case AF_INET6_DARWIN:
                return 6;
            default:
                return 0;
        }
    }
}
