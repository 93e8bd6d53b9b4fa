package io.tcpscope.capture.file;

import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.LinkType;
import io.tcpscope.capture.PacketSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PcapWriterTest {
    @TempDir
    Path dir;

    private static final long T0 = 1_700_000_000_123_456_789L;

    @Test
    void roundTripNanoseconds() throws Exception {
        Path path = dir.resolve("ns.pcap");
        try (PcapWriter writer = new PcapWriter(path, LinkType.LINUX_SLL2, 65535)) {
            for (int i = 0; i < 1000; i++) {
                writer.write(T0 + i * 1_001L, 20 + i % 1400, 20 + i % 1400 + 4, CaptureBytes.data(1500, i), 3);
            }
            assertEquals(1000, writer.framesWritten());
        }
        ReadResult result = ReadResult.read(path);
        assertNull(result.damage);
        assertEquals(1000, result.count());
        for (int i = 0; i < 1000; i++) {
            ReadResult.Copy frame = result.frames.get(i);
            assertEquals(T0 + i * 1_001L, frame.timestampNanos());
            assertEquals(20 + i % 1400, frame.capturedLength());
            assertEquals(20 + i % 1400 + 4, frame.originalLength());
            assertEquals(LinkType.LINUX_SLL2, frame.linkType());
            assertArrayEquals(java.util.Arrays.copyOfRange(CaptureBytes.data(1500, i), 3, 3 + 20 + i % 1400),
                frame.data());
        }
        byte[] header = java.util.Arrays.copyOf(Files.readAllBytes(path), 4);
        assertArrayEquals(new byte[] {0x4d, 0x3c, (byte) 0xb2, (byte) 0xa1}, header, "little-endian ns magic");
    }

    @Test
    void roundTripMicrosecondsDropsTheNanoseconds() throws Exception {
        Path path = dir.resolve("us.pcap");
        try (PcapWriter writer = new PcapWriter(path, LinkType.ETHERNET, 65535, PcapWriter.Precision.MICROSECONDS)) {
            writer.write(T0, 4, 4, new byte[] {1, 2, 3, 4}, 0);
            writer.write(-1_500L, 4, 4, new byte[] {1, 2, 3, 4}, 0); // before 1970: floor, then wraps
        }
        ReadResult result = ReadResult.read(path);
        assertEquals(T0 / 1_000 * 1_000, result.frame(1).timestampNanos());
        assertEquals(0xFFFF_FFFFL * 1_000_000_000L + 999_998_000L, result.frame(2).timestampNanos());
    }

    @Test
    void framesLongerThanTheSnaplenAreCut() throws Exception {
        Path path = dir.resolve("snap.pcap");
        try (PcapWriter writer = new PcapWriter(path, LinkType.ETHERNET, 100)) {
            writer.write(T0, 1514, 1514, new byte[1514], 0);
        }
        ReadResult result = ReadResult.read(path);
        assertEquals(100, result.frame(1).capturedLength());
        assertEquals(1514, result.frame(1).originalLength());
    }

    @Test
    void copiesFramesFromAReader() throws Exception {
        Path copy = dir.resolve("copy.pcap");
        try (PacketSource source = CaptureFiles.open(CorpusTest.corpus("gopacket-le-test004.pcapng"));
             PcapWriter writer = new PcapWriter(copy, LinkType.ETHERNET, 262144)) {
            Frame frame;
            while ((frame = source.next()) != null) {
                writer.write(frame);
            }
        }
        ReadResult original = ReadResult.read(CorpusTest.corpus("gopacket-le-test004.pcapng"));
        ReadResult copied = ReadResult.read(copy);
        assertEquals(original.count(), copied.count());
        for (int i = 0; i < original.count(); i++) {
            assertEquals(original.frames.get(i).timestampNanos(), copied.frames.get(i).timestampNanos());
            assertArrayEquals(original.frames.get(i).data(), copied.frames.get(i).data());
        }
    }

    @Test
    void flushMakesFramesVisibleAndCloseIsIdempotent() throws Exception {
        Path path = dir.resolve("live.pcap");
        PcapWriter writer = new PcapWriter(path, LinkType.RAW, 65535);
        writer.write(T0, 20, 20, new byte[20], 0);
        writer.flush();
        assertEquals(1, ReadResult.read(path).count());
        writer.close();
        writer.close();
        writer.flush();
        assertThrows(IllegalStateException.class, () -> writer.write(T0, 1, 1, new byte[1], 0));
    }

    @Test
    void manyFramesCrossTheBufferBoundary() throws Exception {
        Path path = dir.resolve("many.pcap");
        int count = 3 * PcapWriter.BUFFER_CAPACITY / 1000;
        try (PcapWriter writer = new PcapWriter(path, LinkType.ETHERNET, 65535)) {
            for (int i = 0; i < count; i++) {
                writer.write(T0 + i, 984, 984, CaptureBytes.data(984, i), 0);
            }
        }
        ReadResult result = ReadResult.read(path, 4096);
        assertNull(result.damage);
        assertEquals(count, result.count());
        assertArrayEquals(CaptureBytes.data(984, count - 1), result.frame(count).data());
    }

    @Test
    void unwritablePathIsACaptureException() {
        CaptureException e = assertThrows(CaptureException.class,
            () -> new PcapWriter(dir.resolve("no/such/dir.pcap"), LinkType.ETHERNET, 65535));
        assertEquals(dir.resolve("no/such/dir.pcap") + ": No such file or directory", e.getMessage());
    }

    @Test
    void tcpdumpReadsWhatWeWrite() throws Exception {
        File tcpdump = null;
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(directory, "tcpdump");
            if (candidate.canExecute()) {
                tcpdump = candidate;
                break;
            }
        }
        assumeTrue(tcpdump != null, "tcpdump is not on PATH");
        Path path = dir.resolve("for-tcpdump.pcap");
        // an Ethernet + IPv4 + TCP SYN, 10.0.0.1:40000 -> 10.0.0.2:80
        byte[] syn = hex("00000000000200000000000108004500002800014000400600000a0000010a000002"
            + "9c400050000003e80000000050027210000000000000");
        try (PcapWriter writer = new PcapWriter(path, LinkType.ETHERNET, 262144)) {
            writer.write(1_700_000_000_123_456_789L, syn.length, syn.length, syn, 0);
            writer.write(1_700_000_001_000_000_001L, syn.length, syn.length, syn, 0);
        }
        Process process = new ProcessBuilder(tcpdump.getPath(), "-nn", "-tt", "--nano", "-r", path.toString())
            .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("1700000000.123456789 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S]"), output);
        assertTrue(output.contains("1700000001.000000001 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S]"), output);
    }

    private static byte[] hex(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }
}
