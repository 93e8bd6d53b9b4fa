package io.tcpscope.analyzer.decode;

/**
 * Text forms of the addresses {@link TcpSegment} holds as two longs: dotted quad for IPv4
 * ({@code hi = 0}, {@code lo} = unsigned 32 bits) and RFC 5952 canonical text for IPv6
 * (lowercase hex, no leading zeros, the longest run of two or more zero groups written as
 * {@code ::} (the first one on ties), IPv4-mapped addresses as {@code ::ffff:a.b.c.d}).
 *
 * <p>{@link #append} writes into a caller's {@link StringBuilder} without allocating
 * anything else; {@link #format} and {@link #parse} allocate and are meant for reports and tests.
 */
public final class Addresses {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Addresses() {
    }

    /** A parsed address: {@code ipVersion} 4 or 6 and the two longs as in {@link TcpSegment}. */
    public static final class Address {
        public final int ipVersion;
        public final long hi;
        public final long lo;

        public Address(int ipVersion, long hi, long lo) {
            this.ipVersion = ipVersion;
            this.hi = hi;
            this.lo = lo;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Address)) {
                return false;
            }
            Address a = (Address) o;
            return ipVersion == a.ipVersion && hi == a.hi && lo == a.lo;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(hi) * 31 + Long.hashCode(lo) * 7 + ipVersion;
        }

        @Override
        public String toString() {
            return format(ipVersion, hi, lo);
        }
    }

    /** The text form of an address; {@code ipVersion} 4 or 6 (anything else is formatted as IPv6). */
    public static String format(int ipVersion, long hi, long lo) {
        return append(new StringBuilder(ipVersion == 4 ? 15 : 39), ipVersion, hi, lo).toString();
    }

    /** Appends the text form of an address to {@code sb} and returns {@code sb}. */
    public static StringBuilder append(StringBuilder sb, int ipVersion, long hi, long lo) {
        if (ipVersion == 4) {
            return appendIpv4(sb, (int) lo);
        }
        if (hi == 0 && (lo >>> 32) == 0xFFFFL) {
            sb.append("::ffff:");
            return appendIpv4(sb, (int) lo);
        }
        // Longest run of zero groups (length >= 2), first on ties.
        int bestStart = -1;
        int bestLength = 1;
        int runStart = -1;
        for (int g = 0; g < 8; g++) {
            if (group(hi, lo, g) == 0) {
                if (runStart < 0) {
                    runStart = g;
                }
                int runLength = g - runStart + 1;
                if (runLength > bestLength) {
                    bestStart = runStart;
                    bestLength = runLength;
                }
            } else {
                runStart = -1;
            }
        }
        for (int g = 0; g < 8; g++) {
            if (g == bestStart) {
                sb.append("::");
                g += bestLength - 1;
                continue;
            }
            if (g > 0 && g != bestStart + bestLength) {
                sb.append(':');
            }
            appendHex(sb, group(hi, lo, g));
        }
        return sb;
    }

    private static int group(long hi, long lo, int g) {
        long word = g < 4 ? hi : lo;
        return (int) (word >>> (48 - 16 * (g & 3))) & 0xFFFF;
    }

    private static void appendHex(StringBuilder sb, int v) {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            int d = (v >>> shift) & 0xF;
            if (d != 0 || started || shift == 0) {
                sb.append(HEX[d]);
                started = true;
            }
        }
    }

    private static StringBuilder appendIpv4(StringBuilder sb, int a) {
        return sb.append((a >>> 24) & 0xFF).append('.').append((a >>> 16) & 0xFF).append('.')
                .append((a >>> 8) & 0xFF).append('.').append(a & 0xFF);
    }

    /**
     * Parses a dotted quad or any RFC 4291 IPv6 text form (with {@code ::}, leading zeros,
     * upper case, or a trailing dotted quad).
     *
     * @throws IllegalArgumentException when {@code text} is neither
     */
    public static Address parse(String text) {
        if (text.indexOf(':') < 0) {
            long v = parseIpv4(text, 0, text.length());
            if (v < 0) {
                throw new IllegalArgumentException("not an IP address: " + text);
            }
            return new Address(4, 0, v);
        }
        int[] groups = new int[8];
        int n = parseIpv6Part(text, 0, text.indexOf("::") < 0 ? text.length() : text.indexOf("::"), groups, 0, true);
        int gap = text.indexOf("::");
        if (gap >= 0) {
            if (text.indexOf("::", gap + 1) >= 0) {
                throw new IllegalArgumentException("two '::' in " + text);
            }
            int[] tail = new int[8];
            int m = parseIpv6Part(text, gap + 2, text.length(), tail, 0, false);
            if (n < 0 || m < 0 || n + m > 7) {
                throw new IllegalArgumentException("not an IPv6 address: " + text);
            }
            System.arraycopy(tail, 0, groups, 8 - m, m);
        } else if (n != 8) {
            throw new IllegalArgumentException("not an IPv6 address: " + text);
        }
        long hi = 0;
        long lo = 0;
        for (int g = 0; g < 4; g++) {
            hi = (hi << 16) | groups[g];
            lo = (lo << 16) | groups[g + 4];
        }
        return new Address(6, hi, lo);
    }

    /** Parses colon-separated groups of text[from, to) into groups[start..]; returns the count or -1. */
    private static int parseIpv6Part(String text, int from, int to, int[] groups, int start, boolean head) {
        if (from == to) {
            return 0;
        }
        int n = start;
        int i = from;
        while (i <= to) {
            int colon = text.indexOf(':', i);
            int stop = colon < 0 || colon > to ? to : colon;
            if (stop == i) {
                return -1;
            }
            if (stop == to && text.indexOf('.', i) >= 0 && text.indexOf('.', i) < to) {
                long v4 = parseIpv4(text, i, to);
                if (v4 < 0 || n > 6) {
                    return -1;
                }
                groups[n++] = (int) (v4 >>> 16);
                groups[n++] = (int) (v4 & 0xFFFF);
                return n;
            }
            if (stop - i > 4 || n > 7) {
                return -1;
            }
            int v = 0;
            for (int k = i; k < stop; k++) {
                int d = Character.digit(text.charAt(k), 16);
                if (d < 0) {
                    return -1;
                }
                v = (v << 4) | d;
            }
            groups[n++] = v;
            if (stop == to) {
                return n;
            }
            i = stop + 1;
            if (i == to && head) {
                return -1;
            }
        }
        return -1;
    }

    private static long parseIpv4(String text, int from, int to) {
        long v = 0;
        int parts = 0;
        int i = from;
        while (parts < 4) {
            int start = i;
            int octet = 0;
            while (i < to && i - start < 3 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                octet = octet * 10 + (text.charAt(i) - '0');
                i++;
            }
            if (i == start || octet > 255) {
                return -1;
            }
            v = (v << 8) | octet;
            parts++;
            if (parts < 4) {
                if (i >= to || text.charAt(i) != '.') {
                    return -1;
                }
                i++;
            }
        }
        return i == to ? v : -1;
    }
}
