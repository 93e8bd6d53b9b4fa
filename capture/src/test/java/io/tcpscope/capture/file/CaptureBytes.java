package io.tcpscope.capture.file;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds synthetic pcap and pcapng files in memory for tests, and remembers where each
 * packet record ends (to know how many complete frames a cut-short prefix holds).
 */
final class CaptureBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private boolean bigEndian;
    /** File offset just past each packet record or block. */
    final List<Integer> packetEnds = new ArrayList<>();
    /** File offset just past every record or block (including headers). */
    final List<Integer> boundaries = new ArrayList<>();

    private CaptureBytes() {
    }

    // ---- classic pcap

    static CaptureBytes pcap(boolean bigEndian, int magic, int linkTypeField) {
        return pcap(bigEndian, magic, 2, 4, linkTypeField);
    }

    static CaptureBytes pcap(boolean bigEndian, int magic, int major, int minor, int linkTypeField) {
        CaptureBytes b = new CaptureBytes();
        b.bigEndian = bigEndian;
        b.int32(magic).int16(major).int16(minor).int32(0).int32(0).int32(65535).int32(linkTypeField);
        b.boundaries.add(b.out.size());
        return b;
    }

    CaptureBytes record(long seconds, long fraction, byte[] data, int originalLength) {
        int32((int) seconds).int32((int) fraction).int32(data.length).int32(originalLength);
        out.writeBytes(data);
        packetEnds.add(out.size());
        boundaries.add(out.size());
        return this;
    }

    /** A record header claiming {@code capturedLength} bytes, without the bytes. */
    CaptureBytes recordHeader(long seconds, long fraction, int capturedLength, int originalLength) {
        return int32((int) seconds).int32((int) fraction).int32(capturedLength).int32(originalLength);
    }

    // ---- pcapng

    static CaptureBytes pcapng() {
        return new CaptureBytes();
    }

    CaptureBytes section(boolean bigEndian) {
        return section(bigEndian, 1, 0);
    }

    CaptureBytes section(boolean bigEndian, int major, int minor) {
        this.bigEndian = bigEndian;
        byte[] body = new Body(bigEndian).int32(0x1A2B3C4D).int16(major).int16(minor).int64(-1L)
            .option(4, "tcpscope test".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).endOfOptions().bytes();
        return block(PcapngReader.SECTION_HEADER_BLOCK, body);
    }

    /** An IDB; tsresol and tsoffset are written as options when not null. */
    CaptureBytes interfaceDescription(int linkType, int snaplen, Integer tsresol, Long tsoffset) {
        Body body = new Body(bigEndian).int16(linkType).int16(0).int32(snaplen);
        body.option(2, "eth0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        if (tsresol != null) {
            body.option(9, new byte[] {(byte) (int) tsresol});
        }
        if (tsoffset != null) {
            body.option(14, new Body(bigEndian).int64(tsoffset).bytes());
        }
        return block(PcapngReader.INTERFACE_DESCRIPTION_BLOCK, body.endOfOptions().bytes());
    }

    CaptureBytes enhancedPacket(int interfaceId, long units, byte[] data, int originalLength) {
        Body body = new Body(bigEndian).int32(interfaceId).int32((int) (units >>> 32)).int32((int) units)
            .int32(data.length).int32(originalLength).padded(data);
        body.option(1, "comment".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).endOfOptions();
        block(PcapngReader.ENHANCED_PACKET_BLOCK, body.bytes());
        packetEnds.add(out.size());
        return this;
    }

    CaptureBytes obsoletePacket(int interfaceId, long units, byte[] data, int originalLength) {
        Body body = new Body(bigEndian).int16(interfaceId).int16(0).int32((int) (units >>> 32)).int32((int) units)
            .int32(data.length).int32(originalLength).padded(data);
        block(PcapngReader.OBSOLETE_PACKET_BLOCK, body.bytes());
        packetEnds.add(out.size());
        return this;
    }

    /** An SPB storing {@code data} (already cut to the snaplen by the writer). */
    CaptureBytes simplePacket(byte[] data, int originalLength) {
        block(PcapngReader.SIMPLE_PACKET_BLOCK, new Body(bigEndian).int32(originalLength).padded(data).bytes());
        packetEnds.add(out.size());
        return this;
    }

    /** Any block with a correct framing. */
    CaptureBytes block(int type, byte[] body) {
        int length = 12 + body.length;
        int32(type).int32(length);
        out.writeBytes(body);
        int32(length);
        boundaries.add(out.size());
        return this;
    }

    CaptureBytes raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    int size() {
        return out.size();
    }

    private CaptureBytes int32(int value) {
        writeInt(out, value, bigEndian);
        return this;
    }

    private CaptureBytes int16(int value) {
        writeShort(out, value, bigEndian);
        return this;
    }

    static void writeInt(ByteArrayOutputStream out, int value, boolean bigEndian) {
        if (bigEndian) {
            out.write(value >>> 24);
            out.write(value >>> 16);
            out.write(value >>> 8);
            out.write(value);
        } else {
            out.write(value);
            out.write(value >>> 8);
            out.write(value >>> 16);
            out.write(value >>> 24);
        }
    }

    static void writeShort(ByteArrayOutputStream out, int value, boolean bigEndian) {
        if (bigEndian) {
            out.write(value >>> 8);
            out.write(value);
        } else {
            out.write(value);
            out.write(value >>> 8);
        }
    }

    /** A block body or option value being built. */
    static final class Body {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final boolean bigEndian;

        Body(boolean bigEndian) {
            this.bigEndian = bigEndian;
        }

        Body int32(int value) {
            writeInt(out, value, bigEndian);
            return this;
        }

        Body int16(int value) {
            writeShort(out, value, bigEndian);
            return this;
        }

        Body int64(long value) {
            if (bigEndian) {
                int32((int) (value >>> 32)).int32((int) value);
            } else {
                int32((int) value).int32((int) (value >>> 32));
            }
            return this;
        }

        Body padded(byte[] data) {
            out.writeBytes(data);
            while (out.size() % 4 != 0) {
                out.write(0);
            }
            return this;
        }

        Body option(int code, byte[] value) {
            int16(code).int16(value.length);
            return padded(value);
        }

        Body endOfOptions() {
            return int16(0).int16(0);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** {@code length} bytes counting up from {@code first}. */
    static byte[] data(int length, int first) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (first + i);
        }
        return data;
    }
}
