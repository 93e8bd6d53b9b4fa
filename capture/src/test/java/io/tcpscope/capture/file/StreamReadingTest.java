package io.tcpscope.capture.file;

import io.tcpscope.capture.CaptureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Reading a stream (no seeking, no size, short reads) gives exactly what reading the file
 * gives: the same frames, the same damage, the same errors, for every capture of the corpus
 * (pcapng with blocks that are skipped, broken headers, cut files).
 */
class StreamReadingTest {
    static Stream<String> corpus() throws Exception {
        try (Stream<Path> files = Files.list(CorpusTest.corpus("ATTRIBUTION.md").getParent())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pcap") || n.endsWith(".pcapng"))
                .sorted().toList().stream();
        }
    }

    /** A stream that returns at most 7 bytes per read, as a slow pipe might. */
    static InputStream trickle(byte[] bytes) {
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 7));
            }
        };
    }

    private static String outcome(CheckedOpen open) {
        try {
            Tools.Read read = Tools.readAll(open.open());
            return read.frames() + " damage=" + read.damage();
        } catch (CaptureException e) {
            // the message starts with the description, which differs: compare the kind and the rest
            String message = e.getMessage();
            return e.kind() + ":" + message.substring(message.indexOf(": ") + 2);
        }
    }

    interface CheckedOpen {
        io.tcpscope.capture.PacketSource open() throws CaptureException;
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void streamReadsLikeTheFile(String name) throws Exception {
        Path file = CorpusTest.corpus(name);
        byte[] bytes = Files.readAllBytes(file);
        String expected = outcome(() -> CaptureFiles.open(file));
        assertEquals(expected, outcome(() -> CaptureFiles.openStream(new ByteArrayInputStream(bytes), "-")), name);
        assertEquals(expected, outcome(() -> CaptureFiles.openStream(trickle(bytes), "-")), name + " trickled");
        // every cut of the first 300 bytes and a few later ones: damage and errors as for the cut file
        Path cutFile = Files.createTempFile("cut", ".pcap");
        try {
            for (int length : new int[] {0, 3, 4, 23, 24, 27, 28, 40, 100, 299, bytes.length / 2, bytes.length - 1}) {
                if (length < 0 || length > bytes.length) {
                    continue;
                }
                byte[] cut = Arrays.copyOf(bytes, length);
                Files.write(cutFile, cut);
                assertEquals(outcome(() -> CaptureFiles.open(cutFile)),
                    outcome(() -> CaptureFiles.openStream(trickle(cut), "-")), name + " cut at " + length);
            }
        } finally {
            Files.delete(cutFile);
        }
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void gzipStreamReadsLikeTheFile(String name) throws Exception {
        Path file = CorpusTest.corpus(name);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(Files.readAllBytes(file));
        }
        String expected = outcome(() -> CaptureFiles.open(file));
        String actual = outcome(() -> CaptureFiles.openStream(trickle(out.toByteArray()), "-"));
        assertEquals(expected, actual.replace(" (gzip-compressed)", ""), name);
    }

    @Test
    void streamChannelSeeksForwardOnly() throws Exception {
        byte[] bytes = new byte[100_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        try (StreamChannel channel = new StreamChannel(trickle(bytes))) {
            channel.position(50_000);
            assertEquals(50_000, channel.position());
            assertEquals(50_000, channel.size());
            ByteBuffer one = ByteBuffer.allocate(1);
            assertEquals(1, channel.read(one));
            assertEquals((byte) 50_000, one.get(0));
            assertThrows(IOException.class, () -> channel.position(10));
            channel.position(200_000);
            assertEquals(bytes.length, channel.size(), "past the end: size is the stream's length");
            assertEquals(-1, channel.read(ByteBuffer.allocate(10)));
            assertEquals(null, channel.failure());
        }
    }
}
