package io.tcpscope.analyzer.decode;

/** Big-endian (network order) reads from a byte array. No bounds checks: callers check first. */
final class Bytes {
    private Bytes() {
    }

    static int uint8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    static int uint16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    static int int32(byte[] b, int i) {
        return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }

    static long uint32(byte[] b, int i) {
        return int32(b, i) & 0xFFFFFFFFL;
    }

    static long int64(byte[] b, int i) {
        return ((long) int32(b, i) << 32) | uint32(b, i + 4);
    }
}
