package io.tcpscope.capture.ffi;

import static io.tcpscope.capture.ffi.PcapTestFiles.MAGIC_MICROS;
import static io.tcpscope.capture.ffi.PcapTestFiles.MAGIC_NANOS;
import static io.tcpscope.capture.ffi.PcapTestFiles.tcpFrame;
import static io.tcpscope.capture.ffi.PcapTestFiles.udpFrame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.LinkType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibpcapSourceOfflineTest {
    private static final int CLIENT = 0x0a000001; // 10.0.0.1
    private static final int SERVER = 0x0a000002; // 10.0.0.2
    private static final long T0 = 1_700_000_000L;

    @TempDir
    Path dir;

    /** Four frames: HTTP SYN, HTTP SYN-ACK cut to 54 of 1000 bytes, HTTPS data, DNS over UDP. */
    private List<PcapTestFiles.Rec> sampleRecords(long fraction0, long fraction1, long fraction2, long fraction3) {
        byte[] synAck = tcpFrame(SERVER, CLIENT, 80, 40001, 0x12, 946);
        return List.of(
                new PcapTestFiles.Rec(T0, fraction0, tcpFrame(CLIENT, SERVER, 40001, 80, 0x02, 0)),
                new PcapTestFiles.Rec(T0, fraction1, synAck.length, Arrays.copyOf(synAck, 54)),
                new PcapTestFiles.Rec(T0 + 1, fraction2, tcpFrame(CLIENT, SERVER, 40002, 443, 0x18, 100)),
                new PcapTestFiles.Rec(T0 + 2, fraction3, udpFrame(CLIENT, SERVER, 5353, 53, 30)));
    }

    private record Copy(long number, long nanos, int captured, int original, int linkType, byte[] bytes) {
    }

    private static List<Copy> readAll(LibpcapSource source) throws CaptureException {
        List<Copy> frames = new ArrayList<>();
        for (Frame f = source.next(); f != null; f = source.next()) {
            frames.add(new Copy(f.number(), f.timestampNanos(), f.capturedLength(), f.originalLength(),
                    f.linkType(), Arrays.copyOfRange(f.buffer(), f.offset(), f.offset() + f.capturedLength())));
        }
        return frames;
    }

    @Test
    void readsNanosecondFileFrameByFrame() throws Exception {
        List<PcapTestFiles.Rec> records = sampleRecords(123_456_789, 999_999_999, 1, 500_000_000);
        Path file = dir.resolve("nanos.pcap");
        PcapTestFiles.write(file, MAGIC_NANOS, records);

        try (LibpcapSource source = LibpcapSource.openOffline(file, null)) {
            assertEquals(LinkType.ETHERNET, source.linkType());
            assertEquals(262144, source.snaplen());
            assertTrue(source.hasNanosecondTimestamps());
            assertFalse(source.isLive());
            assertTrue(source.stats().isEmpty(), "files have no pcap_stats");
            List<Copy> frames = readAll(source);
            assertEquals(4, frames.size());
            for (int i = 0; i < 4; i++) {
                Copy frame = frames.get(i);
                PcapTestFiles.Rec rec = records.get(i);
                assertEquals(i + 1, frame.number());
                assertEquals(rec.seconds() * 1_000_000_000L + rec.fraction(), frame.nanos(), "timestamp of frame " + (i + 1));
                assertEquals(rec.captured().length, frame.captured());
                assertEquals(rec.originalLength(), frame.original());
                assertEquals(LinkType.ETHERNET, frame.linkType());
                assertArrayEquals(rec.captured(), frame.bytes(), "bytes of frame " + (i + 1));
            }
            assertEquals(54, frames.get(1).captured());
            assertEquals(14 + 20 + 20 + 946, frames.get(1).original());
            assertNull(source.next(), "stays at the end");
            assertNull(source.damage());
        }
    }

    @Test
    void scalesMicrosecondFileToNanoseconds() throws Exception {
        Path file = dir.resolve("micros.pcap");
        PcapTestFiles.write(file, MAGIC_MICROS, sampleRecords(123_456, 999_999, 1, 500_000));
        try (LibpcapSource source = LibpcapSource.openOffline(file, null)) {
            List<Copy> frames = readAll(source);
            assertEquals(4, frames.size());
            assertEquals(T0 * 1_000_000_000L + 123_456_000L, frames.get(0).nanos());
            assertEquals(T0 * 1_000_000_000L + 999_999_000L, frames.get(1).nanos());
            assertEquals((T0 + 1) * 1_000_000_000L + 1_000L, frames.get(2).nanos());
        }
    }

    @Test
    void filterKeepsOnlyMatchingFrames() throws Exception {
        Path file = dir.resolve("filter.pcap");
        List<PcapTestFiles.Rec> records = sampleRecords(1, 2, 3, 4);
        PcapTestFiles.write(file, MAGIC_NANOS, records);
        try (LibpcapSource source = LibpcapSource.openOffline(file, "tcp port 80")) {
            List<Copy> frames = readAll(source);
            assertEquals(2, frames.size());
            assertArrayEquals(records.get(0).captured(), frames.get(0).bytes());
            assertArrayEquals(records.get(1).captured(), frames.get(1).bytes());
            assertEquals(T0 * 1_000_000_000L + 2, frames.get(1).nanos());
            // With a filter, libpcap hides the other records: numbers count frames that passed.
            assertEquals(2, frames.get(1).number());
        }
        try (LibpcapSource source = LibpcapSource.openOffline(file, "udp")) {
            List<Copy> frames = readAll(source);
            assertEquals(1, frames.size());
            assertArrayEquals(records.get(3).captured(), frames.get(0).bytes());
        }
    }

    @Test
    void badFilterIsBadFilter() throws Exception {
        Path file = dir.resolve("ok.pcap");
        PcapTestFiles.write(file, MAGIC_NANOS, sampleRecords(1, 2, 3, 4));
        CaptureException e = assertThrows(CaptureException.class, () -> LibpcapSource.openOffline(file, "tcp prot 80"));
        assertEquals(CaptureException.Kind.BAD_FILTER, e.kind());
        assertEquals("bad filter 'tcp prot 80': syntax error", e.getMessage());
        assertEquals(9, e.kind().exitCode());
    }

    @Test
    void textFileIsBadFormatWithLibpcapsMessage() throws Exception {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "this is not a capture file, just some text\n");
        CaptureException e = assertThrows(CaptureException.class, () -> LibpcapSource.openOffline(file, null));
        assertEquals(CaptureException.Kind.BAD_FORMAT, e.kind());
        assertEquals("cannot read " + file + " with libpcap: unknown file format", e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void missingFileIsNotFound() {
        Path file = dir.resolve("nope.pcap");
        CaptureException e = assertThrows(CaptureException.class, () -> LibpcapSource.openOffline(file, null));
        assertEquals(CaptureException.Kind.NOT_FOUND, e.kind());
        assertEquals("no such file: " + file, e.getMessage());
    }

    @Test
    void truncatedRecordEndsWithDamage() throws Exception {
        Path file = dir.resolve("cut.pcap");
        PcapTestFiles.write(file, MAGIC_NANOS, sampleRecords(1, 2, 3, 4));
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length - 10));
        try (LibpcapSource source = LibpcapSource.openOffline(file, null)) {
            List<Copy> frames = readAll(source);
            assertEquals(3, frames.size());
            assertNotNull(source.damage());
            assertTrue(source.damage().startsWith("truncated dump file"), source.damage());
            assertTrue(source.damage().endsWith("(after frame 3)"), source.damage());
        }
    }

    @Test
    void closeIsIdempotentAndEndsReading() throws Exception {
        Path file = dir.resolve("close.pcap");
        PcapTestFiles.write(file, MAGIC_NANOS, sampleRecords(1, 2, 3, 4));
        LibpcapSource source = LibpcapSource.openOffline(file, null);
        assertNotNull(source.next());
        source.close();
        source.close();
        source.breakLoop();
        assertNull(source.next());
    }

    @Test
    void breakLoopEndsAFileToo() throws Exception {
        Path file = dir.resolve("break.pcap");
        PcapTestFiles.write(file, MAGIC_NANOS, sampleRecords(1, 2, 3, 4));
        try (LibpcapSource source = LibpcapSource.openOffline(file, null)) {
            assertNotNull(source.next());
            source.breakLoop();
            assertNull(source.next());
        }
    }

    @Test
    void libraryVersionNamesLibpcap() throws IOException, CaptureException {
        assertTrue(LibpcapSource.libraryVersion().startsWith("libpcap version "), LibpcapSource.libraryVersion());
    }
}
