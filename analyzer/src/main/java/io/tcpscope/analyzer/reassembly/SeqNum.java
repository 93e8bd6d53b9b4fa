package io.tcpscope.analyzer.reassembly;

/**
 * TCP sequence number arithmetic modulo 2^32 (RFC 9293 §3.4). Sequence numbers are raw
 * {@code int}s; comparisons use the signed difference, so they are valid while the two
 * numbers are less than 2^31 apart. Never compare sequence numbers with {@code <}.
 */
public final class SeqNum {
    private SeqNum() {
    }

    /** a < b in sequence space. */
    public static boolean lt(int a, int b) {
        return a - b < 0;
    }

    /** a <= b in sequence space. */
    public static boolean le(int a, int b) {
        return a - b <= 0;
    }

    /** a > b in sequence space. */
    public static boolean gt(int a, int b) {
        return a - b > 0;
    }

    /** a >= b in sequence space. */
    public static boolean ge(int a, int b) {
        return a - b >= 0;
    }

    /** The signed distance b - a. */
    public static int distance(int a, int b) {
        return b - a;
    }

    /** The later of a and b in sequence space. */
    public static int max(int a, int b) {
        return gt(a, b) ? a : b;
    }

    /** The unsigned value, for output. */
    public static long unsigned(int seq) {
        return seq & 0xFFFFFFFFL;
    }
}
