package io.tcpscope.capture.ffi;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Hand-built classic pcap files and Ethernet/IPv4/TCP frames for tests and the benchmark. */
public final class PcapTestFiles {
    private PcapTestFiles() {
    }

    /** Magic of a little-endian pcap file with microsecond timestamps. */
    public static final int MAGIC_MICROS = 0xa1b2c3d4;
    /** Magic of a little-endian pcap file with nanosecond timestamps. */
    public static final int MAGIC_NANOS = 0xa1b23c4d;

    /** One record: timestamp, original length and the captured bytes. */
    public record Rec(long seconds, long fraction, int originalLength, byte[] captured) {
        public Rec(long seconds, long fraction, byte[] captured) {
            this(seconds, fraction, captured.length, captured);
        }
    }

    /** Writes a little-endian pcap file, LINKTYPE_ETHERNET, snaplen 262144. */
    public static void write(Path file, int magic, List<Rec> records) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(fileHeader(magic, 262144, 1));
            ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            for (Rec rec : records) {
                header.clear();
                header.putInt((int) rec.seconds()).putInt((int) rec.fraction())
                        .putInt(rec.captured().length).putInt(rec.originalLength());
                out.write(header.array());
                out.write(rec.captured());
            }
        }
    }

    /**
     * Writes {@code count} copies of one TCP frame (ports vary) with increasing timestamps,
     * for allocation checks and the benchmark. Returns the file.
     */
    public static Path writeMany(Path file, int count) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out.write(fileHeader(MAGIC_NANOS, 262144, 1));
            ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < count; i++) {
                byte[] frame = tcpFrame(0x0a000001, 0x0a000002, 40000 + (i & 0x3fff), 80, 0x18, 20 + (i % 40));
                header.clear();
                header.putInt(1_700_000_000 + i / 1000).putInt((i % 1000) * 1000)
                        .putInt(frame.length).putInt(frame.length);
                out.write(header.array());
                out.write(frame);
            }
        }
        return file;
    }

    static byte[] fileHeader(int magic, int snaplen, int linkType) {
        return ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(magic).putShort((short) 2).putShort((short) 4)
                .putInt(0).putInt(0).putInt(snaplen).putInt(linkType).array();
    }

    /** Ethernet II + IPv4 (no options) + TCP (no options) + {@code payloadLength} bytes 'a'.. */
    public static byte[] tcpFrame(int srcIp, int dstIp, int srcPort, int dstPort, int tcpFlags, int payloadLength) {
        return ipFrame(srcIp, dstIp, 6, tcpSegment(srcPort, dstPort, tcpFlags, payloadLength));
    }

    /** Ethernet II + IPv4 + UDP. */
    public static byte[] udpFrame(int srcIp, int dstIp, int srcPort, int dstPort, int payloadLength) {
        ByteBuffer udp = ByteBuffer.allocate(8 + payloadLength);
        udp.putShort((short) srcPort).putShort((short) dstPort).putShort((short) (8 + payloadLength)).putShort((short) 0);
        fill(udp, payloadLength);
        return ipFrame(srcIp, dstIp, 17, udp.array());
    }

    private static byte[] tcpSegment(int srcPort, int dstPort, int flags, int payloadLength) {
        ByteBuffer tcp = ByteBuffer.allocate(20 + payloadLength);
        tcp.putShort((short) srcPort).putShort((short) dstPort).putInt(1000).putInt(2000)
                .put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
        fill(tcp, payloadLength);
        return tcp.array();
    }

    private static byte[] ipFrame(int srcIp, int dstIp, int protocol, byte[] l4) {
        ByteBuffer frame = ByteBuffer.allocate(14 + 20 + l4.length);
        frame.put(new byte[] {2, 0, 0, 0, 0, 2}).put(new byte[] {2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        frame.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4.length)).putShort((short) 1)
                .putShort((short) 0x4000).put((byte) 64).put((byte) protocol).putShort((short) 0)
                .putInt(srcIp).putInt(dstIp);
        frame.put(l4);
        return frame.array();
    }

    private static void fill(ByteBuffer buffer, int n) {
        for (int i = 0; i < n; i++) {
            buffer.put((byte) ('a' + i % 26));
        }
    }
}
