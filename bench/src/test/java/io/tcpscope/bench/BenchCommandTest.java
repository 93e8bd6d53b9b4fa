package io.tcpscope.bench;

import io.tcpscope.analyzer.bench.SyntheticCapture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.cli.StopSignal;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tcpscope bench} prints its table. Structure only: no timing is asserted. */
class BenchCommandTest {
    @TempDir
    static Path dir;
    static Path capture;

    @BeforeAll
    static void writeCapture() throws Exception {
        capture = dir.resolve("small.pcap");
        SyntheticCapture.write(capture, 50, 10, SyntheticCapture.DEFAULT_SEED);
    }

    private static final class Result {
        int code;
        String out;
        String err;
    }

    private static Result bench(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] argv = new String[args.length + 1];
        argv[0] = "bench";
        System.arraycopy(args, 0, argv, 1, args.length);
        Result r = new Result();
        r.code = BenchMain.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new StopSignal());
        r.out = out.toString(StandardCharsets.UTF_8);
        r.err = err.toString(StandardCharsets.UTF_8);
        return r;
    }

    @Test
    void printsTheTableWithoutExternalTools() {
        Result r = bench(capture.toString(), "--no-external", "--repeat", "1");
        assertEquals(0, r.code, r.err);
        List<String> lines = Arrays.stream(r.out.split("\n")).collect(Collectors.toList());
        assertTrue(lines.get(0).startsWith("tcpscope bench " + capture + ": 500 frames, "), lines.get(0));
        assertTrue(lines.get(0).matches(".* 50 connections; \\d+ warm-up \\+ 1 timed runs per tool"), lines.get(0));
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("tool ")).findFirst().orElseThrow());
        for (String column : new String[] {"median ms", "best ms", "frames/s", "MB/s", "vs tcpscope (JVM)", "vs tcpscope (new)", "peak memory"}) {
            assertTrue(lines.get(header).contains(column), column);
        }
        Pattern number = Pattern.compile("\\s+\\d+\\.\\d{3}\\s+\\d+\\.\\d{3}\\s+\\d+\\s+\\d+\\.\\d\\s+.*");
        String engine = lines.get(header + 1);
        String analyze = lines.get(header + 2);
        assertTrue(engine.startsWith("tcpscope engine only (this JVM)"), engine);
        assertTrue(number.matcher(engine.substring("tcpscope engine only (this JVM)".length())).matches(), engine);
        assertTrue(engine.matches(".* \\d+\\.\\dx (slower|faster) .*"), engine);
        assertTrue(analyze.startsWith("tcpscope analyze (this JVM)"), analyze);
        assertTrue(analyze.contains("reference"), analyze);
        assertTrue(lines.get(header + 3).isEmpty(), "two rows only without external tools");
        assertTrue(r.out.contains("allocated per frame (median run, this thread): engine only "), r.out);
        assertTrue(r.out.contains("heap retained after GC holding every connection: "), r.out);
        assertTrue(r.out.contains("heap per open connection (capture read to its end, connections not ended; after GC,"
                + " flow table included): "), r.out);
        assertTrue(r.out.contains("note: external tools skipped (--no-external)"), r.out);
        assertFalse(r.out.contains("tcpdump -n -r"), r.out);
        assertFalse(r.out.contains("tshark -n -r"), r.out);
    }

    @Test
    void memoryReportsTheHeapPerOpenConnection() throws Exception {
        Path open = dir.resolve("open.pcap");
        SyntheticCapture.write(open, new SyntheticCapture.Plan(SyntheticCapture.Shape.OPEN, 300, 10, 1,
                SyntheticCapture.DEFAULT_SEED));
        Result r = bench(open.toString(), "--memory");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.startsWith("tcpscope bench --memory " + open + ": 3000 frames, "), r.out);
        java.util.regex.Matcher m = Pattern.compile("heap per open connection \\(capture read to its end, connections"
                + " not ended; after GC, flow table included\\): (\\d+) bytes \\(300 open connections, [0-9.]+ MB\\)")
                .matcher(r.out);
        assertTrue(m.find(), r.out);
        assertTrue(Long.parseLong(m.group(1)) > 0, r.out);
        assertFalse(r.out.contains("median ms"), "no timing with --memory");
        assertEquals(2, bench("--generate", dir.resolve("x.pcap").toString(), "--memory").code);
    }

    @Test
    void usageErrors() {
        assertEquals(2, bench().code);
        assertEquals(2, bench(capture.toString(), "--connections", "5").code);
        assertEquals(2, bench(capture.toString(), "--repeat", "0").code);
        Result r = bench(capture.toString(), capture.toString());
        assertEquals(2, r.code);
        assertTrue(r.err.contains("bench: expected one CAPTURE file, got 2 arguments"), r.err);
    }

    @Test
    void aMissingFileIsACaptureError() {
        Result r = bench(dir.resolve("nope.pcap").toString(), "--no-external", "--repeat", "1");
        assertEquals(3, r.code, r.err);
        assertTrue(r.err.contains("nope.pcap: No such file or directory"), r.err);
    }

    @Test
    void helpListsTheBenchOptions() {
        Result r = bench("--help");
        assertEquals(0, r.code);
        for (String option : new String[] {"--repeat", "--no-external", "--generate", "--connections",
                "--packets-per-connection", "--memory"}) {
            assertTrue(r.out.contains(option), option);
        }
        assertFalse(r.out.contains("--interface"), r.out);
    }
}
