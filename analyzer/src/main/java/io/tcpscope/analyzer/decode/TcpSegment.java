package io.tcpscope.analyzer.decode;

/**
 * The fields of one decoded TCP segment, copied out of the frame by {@link PacketDecoder}.
 *
 * <p>One instance is reused for every packet (no allocation per packet). Values are valid
 * until the next {@code decode} call. Addresses are held as two longs each: IPv4 as
 * {@code hi = 0, lo = address as unsigned 32 bits}; IPv6 as the high and low 64 bits.
 * Sequence and acknowledgement numbers are the raw 32-bit values (compare them with
 * {@code SeqNum}, never with {@code <}).
 */
public final class TcpSegment {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    /** Maximum SACK blocks a TCP header can carry (40 option bytes). */
    public static final int MAX_SACK_BLOCKS = 4;

    public int ipVersion;
    /**
     * The VLAN ids the frame was tagged with, as part of the connection key (as Zeek keys
     * connections): {@code outer << 12 | inner}, 12 bits each, 0 for no tag (VLAN id 0, an
     * 802.1p priority tag, is no VLAN either). Tags beyond the second are not part of it.
     */
    public int vlan;
    /** IPv4 Identification, or -1 (IPv6 has none outside fragments). */
    public int ipId;
    /** IP header bytes before the TCP header (IPv6: with its extension headers). */
    public int ipHeaderLength;
    public long srcHi;
    public long srcLo;
    public long dstHi;
    public long dstLo;
    public int srcPort;
    public int dstPort;
    public int seq;
    public int ack;
    /** TCP flag bits, see the constants above. */
    public int flags;
    /** Raw 16-bit window field, not scaled. */
    public int window;
    /** TCP payload length as the IP header declares it (not limited by snaplen). */
    public int payloadLength;
    /** Payload bytes actually present in the frame. */
    public int capturedPayloadLength;
    /** Offset of the TCP header in the frame's buffer. */
    public int tcpHeaderOffset;
    /** TCP header length in bytes (data offset * 4). */
    public int tcpHeaderLength;

    /** MSS option value, or -1 when absent. */
    public int mss;
    /** Window scale shift count, or -1 when absent. */
    public int windowScale;
    public boolean sackPermitted;
    public boolean hasTimestamps;
    /** TSval as unsigned 32 bits. */
    public long tsVal;
    /** TSecr as unsigned 32 bits. */
    public long tsEcr;
    /** Number of SACK blocks present (0..4). */
    public int sackBlockCount;
    /** SACK blocks as raw 32-bit left/right edge pairs: [l0, r0, l1, r1, ...]. */
    public final int[] sackBlocks = new int[2 * MAX_SACK_BLOCKS];
    /** True when the options area was cut by snaplen or was malformed; options seen so far are kept. */
    public boolean optionsTruncated;

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** Resets every field to its "absent" value. */
    public void clear() {
        ipVersion = 0;
        vlan = 0;
        ipId = -1;
        ipHeaderLength = 0;
        srcHi = srcLo = dstHi = dstLo = 0;
        srcPort = dstPort = 0;
        seq = ack = 0;
        flags = 0;
        window = 0;
        payloadLength = capturedPayloadLength = 0;
        tcpHeaderOffset = tcpHeaderLength = 0;
        mss = -1;
        windowScale = -1;
        sackPermitted = false;
        hasTimestamps = false;
        tsVal = tsEcr = 0;
        sackBlockCount = 0;
        optionsTruncated = false;
    }
}
