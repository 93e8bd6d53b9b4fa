package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.testing.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture whose frames are damaged in every way the decoders meet (issue 12), analyzed end
 * to end: the good frames make one connection, each bad frame is skipped and counted under
 * its reason in the summary (JSON Lines {@code skipped}, the text summary line), and a record
 * claiming 4 GB ends the reading with a warning and the frames before it analyzed.
 */
class DamagedCaptureTest {
    @TempDir
    Path tmp;

    private static final long SECOND = 1_000_000_000L;
    private static final byte[] CLIENT = {10, 0, 0, 1};
    private static final byte[] SERVER = {10, 0, 0, 2};

    /** The pcap being built: nanosecond timestamps, Ethernet. */
    private final ByteArrayOutputStream pcap = new ByteArrayOutputStream();
    private int frames;

    private DamagedCaptureTest header() {
        le32(0xa1b23c4d);
        le16(2);
        le16(4);
        le32(0);
        le32(0);
        le32(262144);
        le32(1);
        return this;
    }

    private DamagedCaptureTest record(long nanos, byte[] frame, int captured, long original) {
        le32((int) (nanos / SECOND));
        le32((int) (nanos % SECOND));
        le32(captured);
        le32((int) original);
        pcap.write(frame, 0, Math.min(captured, frame.length));
        frames++;
        return this;
    }

    private DamagedCaptureTest record(long nanos, byte[] frame) {
        return record(nanos, frame, frame.length, frame.length);
    }

    private void le32(int v) {
        pcap.write(v);
        pcap.write(v >>> 8);
        pcap.write(v >>> 16);
        pcap.write(v >>> 24);
    }

    private void le16(int v) {
        pcap.write(v);
        pcap.write(v >>> 8);
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] b(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static byte[] ethernet(int etherType, byte[] payload) {
        return cat(b(2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, etherType >>> 8, etherType), payload);
    }

    /** An IPv4 header of 20 bytes; version/IHL, total length, fragment field and protocol as given. */
    static byte[] ipv4(int versionIhl, int totalLength, int fragment, int protocol, byte[] src, byte[] dst) {
        return cat(b(versionIhl, 0, totalLength >>> 8, totalLength, 0, 1, fragment >>> 8, fragment, 64, protocol, 0, 0),
            src, dst);
    }

    /** A TCP header without options; the data offset (in 32-bit words) as given. */
    static byte[] tcp(int srcPort, int dstPort, int seq, int ack, int dataOffset, int flags) {
        return b(srcPort >>> 8, srcPort, dstPort >>> 8, dstPort, seq >>> 24, seq >>> 16, seq >>> 8, seq,
            ack >>> 24, ack >>> 16, ack >>> 8, ack, dataOffset << 4, flags, 0xFF, 0xFF, 0, 0, 0, 0);
    }

    static byte[] goodTcp(boolean fromClient, int seq, int ack, int flags) {
        byte[] header = fromClient ? tcp(40000, 80, seq, ack, 5, flags) : tcp(80, 40000, seq, ack, 5, flags);
        return ethernet(0x0800, cat(ipv4(0x45, 40, 0x4000, 6, fromClient ? CLIENT : SERVER, fromClient ? SERVER : CLIENT),
            header));
    }

    private static final int SYN = 0x02;
    private static final int ACK = 0x10;

    /** The good frames of a handshake, with the bad ones between them; the clock goes backwards once. */
    private Path damagedCapture() throws IOException {
        long t = 1_700_000_000L * SECOND;
        byte[] tcpSyn = tcp(40000, 80, 1000, 0, 5, SYN);
        header();
        record(t, goodTcp(true, 1000, 0, SYN));
        // IPv4 IHL 4 (< 5): malformed
        record(t + 1, ethernet(0x0800, cat(ipv4(0x44, 40, 0, 6, CLIENT, SERVER), tcpSyn)));
        // TCP data offset 4 (< 5): malformed
        record(t + 2, ethernet(0x0800, cat(ipv4(0x45, 40, 0, 6, CLIENT, SERVER), tcp(40000, 80, 1000, 0, 4, SYN))));
        // TCP data offset 15 (60 bytes) beyond the 40 bytes the IP header declares: malformed
        record(t + 3, ethernet(0x0800, cat(ipv4(0x45, 40, 0, 6, CLIENT, SERVER), tcp(40000, 80, 1000, 0, 15, SYN),
            new byte[40])));
        // IP total length 12, smaller than the IP header: malformed
        record(t + 4, ethernet(0x0800, cat(ipv4(0x45, 12, 0, 6, CLIENT, SERVER), tcpSyn)));
        // IPv6 jumbogram claiming a 4 GB payload: malformed
        record(t + 5, ethernet(0x86DD, cat(b(0x60, 0, 0, 0, 0, 0, 0, 64), new byte[15], b(1), new byte[15], b(2),
            b(6, 0, 0xC2, 4, 0xFF, 0xFF, 0xFF, 0xFF), tcpSyn)));
        // a zero-length record: truncated
        record(t + 6, new byte[0]);
        // cut inside the IP header by a 24-byte snaplen: truncated
        record(t + 7, goodTcp(true, 1000, 0, SYN), 24, 54);
        // ARP: not IP
        record(t + 8, ethernet(0x0806, new byte[28]));
        // UDP: not TCP
        record(t + 9, ethernet(0x0800, cat(ipv4(0x45, 28, 0, 17, CLIENT, SERVER), new byte[8])));
        // a non-first fragment of a TCP packet
        record(t + 10, ethernet(0x0800, cat(ipv4(0x45, 40, 0x0010, 6, CLIENT, SERVER), new byte[20])));
        // the SYN-ACK stamped one second before the SYN: the clock went backwards
        record(t - SECOND, goodTcp(false, 5000, 1001, SYN | ACK));
        // the ACK, in a record whose original length claims 4 GB
        record(t + SECOND, goodTcp(true, 1001, 5001, ACK), 54, 0xFFFF_FFFFL);
        Path path = tmp.resolve("damaged.pcap");
        Files.write(path, pcap.toByteArray());
        return path;
    }

    @Test
    void everySkippedFrameIsCountedUnderItsReason() throws IOException {
        Path path = damagedCapture();
        CliRun r = CliRun.of("analyze", "--format", "jsonl", path.toString());
        assertEquals(0, r.exit(), r::toString);
        // the capture's one backwards step is said once, on stderr (ClockGuard), nothing else
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().contains("timestamps go backwards at 1 frame"), r::toString);
        List<String> lines = r.outLines();
        assertEquals(2, lines.size(), r::toString);

        Map<String, Object> connection = Json.object(Json.parse(lines.get(0)));
        Map<String, Object> last = Json.object(connection.get("final"));
        assertEquals("ESTABLISHED", last.get("client"), r::toString);
        assertEquals("ESTABLISHED", last.get("server"), r::toString);
        assertTrue(((Number) connection.get("duration_s")).doubleValue() >= 0, r::toString);

        Map<String, Object> summary = Json.object(Json.parse(lines.get(1)));
        assertEquals((long) frames, ((Number) summary.get("frames")).longValue());
        assertEquals(3L, ((Number) summary.get("tcp_frames")).longValue());
        Map<String, Object> skipped = Json.object(summary.get("skipped"));
        assertEquals(5L, ((Number) skipped.get("malformed")).longValue(), summary::toString);
        assertEquals(2L, ((Number) skipped.get("truncated")).longValue(), summary::toString);
        assertEquals(1L, ((Number) skipped.get("not_ip")).longValue(), summary::toString);
        assertEquals(1L, ((Number) skipped.get("not_tcp")).longValue(), summary::toString);
        assertEquals(1L, ((Number) skipped.get("ip_fragment")).longValue(), summary::toString);
        assertEquals(0L, ((Number) skipped.get("unsupported_link_type")).longValue(), summary::toString);
        assertEquals(1L, ((Number) summary.get("connections")).longValue());
        assertTrue(((Number) summary.get("start_ts")).doubleValue() <= ((Number) summary.get("end_ts")).doubleValue(),
            summary::toString);

        CliRun text = CliRun.of("analyze", path.toString());
        assertEquals(0, text.exit(), text::toString);
        assertTrue(text.out().contains(path + ": 13 frames, 3 TCP, 10 skipped (1 not_ip, 1 not_tcp, 1 ip_fragment, "
            + "2 truncated, 5 malformed); 1 connections"), text::toString);
    }

    @Test
    void aRecordClaiming4GbEndsTheCaptureWithAWarning() throws IOException {
        long t = 1_700_000_000L * SECOND;
        header();
        record(t, goodTcp(true, 1000, 0, SYN));
        record(t + 1, goodTcp(false, 5000, 1001, SYN | ACK));
        le32(1_700_000_001);
        le32(0);
        le32(-1); // captured length 4294967295
        le32(-1);
        pcap.writeBytes(new byte[100]);
        Path path = tmp.resolve("4g.pcap");
        Files.write(path, pcap.toByteArray());

        CliRun r = CliRun.of("analyze", "--format", "jsonl", path.toString());
        assertEquals(ExitCode.DAMAGED, r.exit(), r::toString);
        assertEquals(List.of("tcpscope: warning: " + path + ": corrupt record: frame 3 at byte offset 164 has captured "
            + "length 4294967295, more than the 262144-byte limit; analyzed the 2 frames before it"), r.errLines());
        assertFalse(r.leaksStackTrace());
        List<String> lines = r.outLines();
        Map<String, Object> summary = Json.object(Json.parse(lines.get(lines.size() - 1)));
        assertEquals(2L, ((Number) summary.get("frames")).longValue());
        assertTrue(((String) summary.get("damage")).contains("captured length 4294967295"), summary::toString);
    }
}
