package io.tcpscope.analyzer.decode;

import java.io.ByteArrayOutputStream;

/** Builds frames byte by byte for the decoder tests. */
final class Frames {
    private Frames() {
    }

    static byte[] hex(String s) {
        String t = s.replaceAll("\\s+", "");
        byte[] b = new byte[t.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(t.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] u16(int v) {
        return bytes(v >>> 8, v);
    }

    static byte[] u32(long v) {
        return bytes((int) (v >>> 24), (int) (v >>> 16), (int) (v >>> 8), (int) v);
    }

    static byte[] payload(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    // ---- TCP ----

    /** A TCP header; options are zero-padded (EOL) to a multiple of 4. */
    static byte[] tcp(int srcPort, int dstPort, long seq, long ack, int flags, int window, byte[] options) {
        int optLen = (options.length + 3) & ~3;
        int hl = 20 + optLen;
        byte[] opts = new byte[optLen];
        System.arraycopy(options, 0, opts, 0, options.length);
        return concat(u16(srcPort), u16(dstPort), u32(seq), u32(ack), bytes((hl / 4) << 4, flags), u16(window),
                u16(0xBEEF), u16(0), opts);
    }

    static byte[] tcp(int flags, byte[] options) {
        return tcp(40000, 443, 0x11223344L, 0xAABBCCDDL, flags, 512, options);
    }

    // ---- IPv4 ----

    static final byte[] SRC4 = bytes(192, 0, 2, 1);
    static final byte[] DST4 = bytes(198, 51, 100, 7);

    /** IPv4 header with the given options (multiple of 4), flags/fragment field and total length (-1: computed). */
    static byte[] ipv4Header(int protocol, byte[] options, int flagsFragment, int totalLength, int upperLength) {
        int hl = 20 + options.length;
        int tl = totalLength >= 0 ? totalLength : hl + upperLength;
        return concat(bytes(0x40 | (hl / 4), 0), u16(tl), u16(0x1234), u16(flagsFragment), bytes(64, protocol),
                u16(0), SRC4, DST4, options);
    }

    static byte[] ipv4(int protocol, byte[] upper) {
        return concat(ipv4Header(protocol, new byte[0], 0x4000, -1, upper.length), upper);
    }

    static byte[] ipv4Tcp(byte[] tcpHeader, byte[] payload) {
        return ipv4(6, concat(tcpHeader, payload));
    }

    // ---- IPv6 ----

    static final byte[] SRC6 = hex("20010db8000000000000000000000001");
    static final byte[] DST6 = hex("20010db8000000010000000000000002");

    static byte[] ipv6Header(int nextHeader, int payloadLength) {
        return concat(u32(0x60012345L), u16(payloadLength), bytes(nextHeader, 64), SRC6, DST6);
    }

    /** IPv6 with {@code extensions} (already chained) in front of {@code upper}. */
    static byte[] ipv6(int firstNextHeader, byte[] extensions, byte[] upper) {
        return concat(ipv6Header(firstNextHeader, extensions.length + upper.length), extensions, upper);
    }

    /** A hop-by-hop / routing / destination options header of (len + 1) * 8 bytes, PadN-filled. */
    static byte[] optionsHeader(int nextHeader, int hdrExtLen) {
        byte[] h = new byte[(hdrExtLen + 1) * 8];
        h[0] = (byte) nextHeader;
        h[1] = (byte) hdrExtLen;
        h[2] = 1; // PadN
        h[3] = (byte) (h.length - 4);
        return h;
    }

    static byte[] routingHeader(int nextHeader) {
        // Type 4 (segment routing) header with one 16-byte segment: (2 + 1) * 8 = 24 bytes.
        byte[] h = new byte[24];
        h[0] = (byte) nextHeader;
        h[1] = 2;
        h[2] = 4;
        h[3] = 0;
        System.arraycopy(DST6, 0, h, 8, 16);
        return h;
    }

    static byte[] fragmentHeader(int nextHeader, int offsetUnits, boolean more) {
        return concat(bytes(nextHeader, 0), u16((offsetUnits << 3) | (more ? 1 : 0)), u32(0xCAFE));
    }

    /** An AH header with {@code words} 32-bit words of ICV after the 12 fixed bytes. */
    static byte[] ahHeader(int nextHeader, int icvWords) {
        byte[] h = new byte[12 + 4 * icvWords];
        h[0] = (byte) nextHeader;
        h[1] = (byte) (h.length / 4 - 2);
        return h;
    }

    static byte[] jumboHopByHop(int nextHeader, long jumbo) {
        return concat(bytes(nextHeader, 0, 0xC2, 4), u32(jumbo));
    }

    // ---- link layers ----


    static byte[] ethernet(int etherType, byte[] payload) {
        return concat(hex("020000000002020000000001"), u16(etherType), payload);
    }

    /** A PPPoE session header (version/type 0x11, code 0, session 0x3b1a) and a 2-byte PPP protocol. */
    static byte[] pppoeSession(int pppProtocol, byte[] payload) {
        return concat(bytes(0x11, 0), u16(0x3b1a), u16(payload.length + 2), u16(pppProtocol), payload);
    }

    /** An IEEE 802.3 frame (length field) with LLC AA-AA-03, OUI 00-00-00 and EtherType 0x0800. */
    static byte[] llcSnap(byte[] ipv4) {
        return ethernet(8 + ipv4.length, concat(hex("AAAA03000000"), u16(0x0800), ipv4));
    }

    static byte[] vlanTag(int tpid, int vid) {
        return concat(u16(tpid), u16(vid));
    }

    static byte[] sll(int protocol, byte[] payload) {
        return concat(u16(0), u16(1), u16(6), hex("0200000000010000"), u16(protocol), payload);
    }

    static byte[] sll2(int protocol, byte[] payload) {
        return concat(u16(protocol), u16(0), u32(3), u16(1), bytes(4, 6), hex("0200000000010000"), payload);
    }

    static byte[] nullLittleEndian(int family, byte[] payload) {
        return concat(bytes(family, family >>> 8, family >>> 16, family >>> 24), payload);
    }

    static byte[] nullBigEndian(int family, byte[] payload) {
        return concat(u32(family), payload);
    }
}
