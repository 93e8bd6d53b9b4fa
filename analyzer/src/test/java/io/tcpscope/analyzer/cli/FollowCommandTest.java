package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code analyze --follow} in this JVM: a fixture capture appended in pieces (cut inside
 * records too) while it is followed; once stopped, the output holds the lines of a plain
 * {@code analyze} of the whole file (in the order connections ended: compared as sorted
 * lines), all of them written before the stop. Each piece is written once the command has
 * flushed at the end of the file (it flushes each time it waits there). And the inputs
 * --follow refuses.
 */
class FollowCommandTest {
    /** 60 connections over 15 s: with --msl 500ms each one's record is due before the capture ends. */
    static final Path FIXTURE = CliRun.fixture("random-loss-many");
    static final String[] OPTIONS = {"--msl", "500ms"};
    static final long PATIENCE_SECONDS = 120;

    @TempDir
    Path dir;

    /** Standard output that counts its flushes (the command's "I am at the end of the file"). */
    static final class FlushCounting extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final Semaphore flushed = new Semaphore(0);

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        @Override
        public void flush() {
            flushed.release();
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** Piece lengths from a seed: half a few bytes (cuts inside record headers), half up to 6000. */
    static List<Integer> pieces(int total, long seed) {
        Random random = new Random(seed);
        List<Integer> pieces = new ArrayList<>();
        int written = 0;
        while (written < total) {
            int n = Math.min(total - written, random.nextBoolean() ? 1 + random.nextInt(6000) : 1 + random.nextInt(40));
            pieces.add(n);
            written += n;
        }
        return pieces;
    }

    record Followed(int exit, String out, String err, String outBeforeStop) {
    }

    /** Follows {@code capture}'s bytes appended in pieces to a new file, stops once all are read. */
    Followed follow(byte[] bytes, String name, String... args) throws Exception {
        Path growing = dir.resolve(name);
        Files.write(growing, new byte[0]);
        FlushCounting stdout = new FlushCounting();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        StopSignal stop = new StopSignal();
        List<String> command = new ArrayList<>(List.of("analyze", "--follow"));
        command.addAll(List.of(args));
        command.add(growing.toString());
        int[] exit = {-1};
        Thread run;
        try (PrintStream out = new PrintStream(stdout, false, StandardCharsets.UTF_8);
             PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8)) {
            run = new Thread(() -> exit[0] = Main.run(command.toArray(String[]::new), out, err, stop));
            run.start();
            try (OutputStream append = Files.newOutputStream(growing, StandardOpenOption.APPEND)) {
                int at = 0;
                for (int n : pieces(bytes.length, bytes.length)) {
                    assertTrue(stdout.flushed.tryAcquire(PATIENCE_SECONDS, TimeUnit.SECONDS), "never waited");
                    stdout.flushed.drainPermits();
                    append.write(bytes, at, n);
                    append.flush();
                    at += n;
                }
            }
            assertTrue(stdout.flushed.tryAcquire(PATIENCE_SECONDS, TimeUnit.SECONDS), "never waited");
            String before = stdout.text();
            stop.request();
            run.join(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
            assertFalse(run.isAlive(), "the stop did not end --follow");
            return new Followed(exit[0], stdout.text(), stderr.toString(StandardCharsets.UTF_8), before);
        }
    }

    static List<String> sorted(String text) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        java.util.Collections.sort(lines);
        return lines;
    }

    static long connectionLines(String jsonl) {
        return jsonl.lines().filter(l -> l.startsWith("{\"type\":\"connection\"")).count();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jsonl", "csv"})
    void aPcapAppendedInPiecesGivesAnalyzesLinesAsConnectionsEnd(String format) throws Exception {
        Followed f = follow(Files.readAllBytes(FIXTURE), "growing.pcap", "--format", format, OPTIONS[0], OPTIONS[1]);
        Path whole = dir.resolve("growing.pcap");
        CliRun plain = CliRun.of("analyze", "--format", format, OPTIONS[0], OPTIONS[1], whole.toString());
        assertEquals(0, plain.exit(), plain.toString());
        assertEquals(ExitCode.INTERRUPTED, f.exit(), f.err());
        assertEquals("tcpscope: stopped following " + whole + " after 647 frames; the records and summary so far were"
                + " written\n", f.err());
        assertEquals(sorted(plain.out()), sorted(f.out()));
        if (format.equals("jsonl")) {
            assertEquals(60, connectionLines(plain.out()));
            assertEquals(60, connectionLines(f.outBeforeStop()), "every record was written before the stop");
            assertFalse(f.outBeforeStop().contains("\"type\":\"summary\""));
            assertTrue(f.out().contains("\"interrupted\":false"), "nothing was left unread at the stop");
        }
    }

    @Test
    void aPcapngWithItsStatisticsAppendedInPieces() throws Exception {
        Path pcapng = StuckCaptureEndTest.asPcapngWithIsb(FIXTURE, dir.resolve("whole.pcapng"), 1_795_000_000_000_000_000L, 0);
        byte[] bytes = Files.readAllBytes(pcapng);
        Followed f = follow(bytes, "growing.pcapng", "--format", "jsonl", OPTIONS[0], OPTIONS[1]);
        CliRun plain = CliRun.of("analyze", "--format", "jsonl", OPTIONS[0], OPTIONS[1], dir.resolve("growing.pcapng").toString());
        assertEquals(ExitCode.INTERRUPTED, f.exit(), f.err());
        assertEquals(sorted(plain.out()), sorted(f.out()));
        assertEquals(60, connectionLines(f.out()));
    }

    @Test
    void aStopWhileTheHeaderIsMissingGivesAnEmptySummary() throws Exception {
        Path empty = dir.resolve("empty.pcap");
        Files.write(empty, new byte[0]); // tcpdump has not written its header yet
        FlushCounting stdout = new FlushCounting();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        StopSignal stop = new StopSignal();
        int[] exit = {-1};
        try (PrintStream out = new PrintStream(stdout, false, StandardCharsets.UTF_8);
             PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8)) {
            Thread run = new Thread(() -> exit[0] = Main.run(new String[] {"analyze", "--follow", "--format", "jsonl",
                    empty.toString()}, out, err, stop));
            run.start();
            Thread.sleep(300); // not a threshold: the stop may come before or during the wait
            stop.request();
            run.join(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
            assertFalse(run.isAlive());
        }
        assertEquals(ExitCode.INTERRUPTED, exit[0]);
        assertTrue(stdout.text().contains("\"type\":\"summary\""), stdout.text());
        assertTrue(stdout.text().contains("\"frames\":0"), stdout.text());
    }

    @Test
    void aFileTruncatedWhileFollowedIsDamage() throws Exception {
        byte[] bytes = Files.readAllBytes(FIXTURE);
        Path growing = dir.resolve("cut.pcap");
        Files.write(growing, java.util.Arrays.copyOf(bytes, 40_000));
        FlushCounting stdout = new FlushCounting();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int[] exit = {-1};
        try (PrintStream out = new PrintStream(stdout, false, StandardCharsets.UTF_8);
             PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8)) {
            Thread run = new Thread(() -> exit[0] = Main.run(new String[] {"analyze", "--follow", "--format", "jsonl",
                    growing.toString()}, out, err, new StopSignal()));
            run.start();
            assertTrue(stdout.flushed.tryAcquire(PATIENCE_SECONDS, TimeUnit.SECONDS));
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(growing, StandardOpenOption.WRITE)) {
                ch.truncate(24);
            }
            run.join(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
            assertFalse(run.isAlive(), "the truncation did not end --follow");
        }
        String err = stderr.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCode.DAMAGED, exit[0], err);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.matches("tcpscope: warning: " + java.util.regex.Pattern.quote(growing.toString())
                + ": the file was truncated while followed \\(its size went from \\d+ to 24 bytes: cut, or written again"
                + " from the start\\); analyzed the \\d+ frames before it\n"), err);
        assertTrue(stdout.text().contains("\"damage\":\"the file was truncated while followed"), stdout.text());
    }

    @Test
    void whatFollowRefuses() throws Exception {
        Path gz = dir.resolve("trace.pcap.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(FIXTURE));
        }
        CliRun r = CliRun.of("analyze", "--follow", gz.toString());
        assertEquals(4, r.exit(), r.toString());
        assertEquals("tcpscope: " + gz + ": gzip-compressed: --follow reads plain pcap and pcapng files as they grow"
                + " (a compressed stream can be piped instead: tcpscope analyze - )\n", r.err());

        r = CliRun.of("analyze", "--follow", "-");
        assertEquals(ExitCode.USAGE, r.exit(), r.toString());
        assertTrue(r.err().startsWith("tcpscope: --follow is for a file: standard input is read as it arrives already"), r.err());
        r = CliRun.of("analyze", "--follow", FIXTURE.toString(), FIXTURE.toString());
        assertEquals(ExitCode.USAGE, r.exit(), r.toString());
        assertTrue(r.err().startsWith("tcpscope: --follow reads one capture file as it grows, not 2"), r.err());
        r = CliRun.of("analyze", "--follow", dir.toString());
        assertEquals(ExitCode.USAGE, r.exit(), r.toString());
        assertTrue(r.err().contains("not a directory"), r.err());
        r = CliRun.of("analyze", "--follow", "--threads", "2", FIXTURE.toString());
        assertEquals(ExitCode.USAGE, r.exit(), r.toString());
        assertTrue(r.err().startsWith("tcpscope: --follow reads on one thread"), r.err());
        r = CliRun.of("analyze", "--follow", dir.resolve("missing.pcap").toString());
        assertEquals(3, r.exit(), r.toString());
    }
}
