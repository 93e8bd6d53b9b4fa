package io.tcpscope.analyzer.cli;

import io.airlift.compress.zstd.ZstdOutputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * For every fixture, {@code tcpscope analyze --format jsonl} gives the same connections and
 * counts whatever form the capture comes in: cut into ten files by {@code editcap -c} and
 * given in shuffled order, a directory of those files, gzip/zstd/lz4 copies, standard input
 * (a pipe, in this JVM and in a child process). Only the summary's {@code source} and
 * {@code files} differ (they name the input), and are compared apart.
 */
class InputFormsTest {
    @TempDir
    Path dir;

    static Stream<String> fixtures() throws IOException {
        try (Stream<Path> cases = Files.list(CliRun.fixtures())) {
            return cases.filter(c -> Files.isRegularFile(c.resolve("capture.pcap")))
                .map(c -> c.getFileName().toString()).sorted().toList().stream();
        }
    }

    private static String jsonl(int expectedExit, String... args) {
        List<String> all = new ArrayList<>(List.of("analyze", "--format", "jsonl"));
        all.addAll(List.of(args));
        CliRun r = CliRun.of(all.toArray(String[]::new));
        assertEquals(expectedExit, r.exit(), r::toString);
        return r.out();
    }

    /** The output without what names the input: the summary's source and files. */
    static String withoutInputNames(String jsonl) {
        return jsonl.replaceAll("\"source\":\"[^\"]*\",", "").replaceAll(",\"files\":\\[[^\\]]*\\]", "");
    }

    private static void assertSameAnalysis(String expected, String actual, String what) {
        List<String> e = List.of(withoutInputNames(expected).split("\n"));
        List<String> a = List.of(withoutInputNames(actual).split("\n"));
        for (int i = 0; i < Math.min(e.size(), a.size()); i++) {
            if (!e.get(i).equals(a.get(i))) {
                throw new AssertionError(what + ": line " + (i + 1) + " differs:\n  expected " + e.get(i)
                    + "\n  got      " + a.get(i));
            }
        }
        assertEquals(e.size(), a.size(), what + ": line count");
    }

    static boolean has(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + ": " + new String(output, StandardCharsets.UTF_8));
        }
    }

    private static Path compressed(Path capture, Path out, String how) throws IOException {
        try (OutputStream file = Files.newOutputStream(out);
             OutputStream c = switch (how) {
                 case "gzip" -> new GZIPOutputStream(file);
                 case "zstd" -> new ZstdOutputStream(file);
                 case "lz4" -> new FramedLZ4CompressorOutputStream(file);
                 default -> throw new AssertionError(how);
             }) {
            Files.copy(capture, c);
        }
        return out;
    }

    /** Runs analyze on standard input fed through a pipe by another thread. */
    private static String fromStandardInput(byte[] bytes) throws Exception {
        InputStream saved = System.in;
        PipedInputStream in = new PipedInputStream(1 << 16);
        PipedOutputStream feed = new PipedOutputStream(in);
        Thread writer = new Thread(() -> {
            try (feed) {
                // small, uneven writes: the reader must cope with what a pipe gives it
                Random random = new Random(bytes.length);
                for (int i = 0; i < bytes.length; ) {
                    int n = Math.min(bytes.length - i, 1 + random.nextInt(9000));
                    feed.write(bytes, i, n);
                    i += n;
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        try {
            System.setIn(in);
            return jsonl(0, "-");
        } finally {
            System.setIn(saved);
            writer.join();
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void everyInputFormGivesTheSameJsonl(String fixture) throws Exception {
        Path whole = CliRun.fixture(fixture);
        String expected = jsonl(0, whole.toString());
        assertTrue(expected.contains("\"type\":\"summary\""));

        assumeTrue(has("editcap"), "editcap is not installed: the ten-file form is skipped");
        Path parts = Files.createDirectories(dir.resolve("parts"));
        long frames = Long.parseLong(expected.replaceAll("(?s).*\"type\":\"summary\".*?\"frames\":(\\d+).*", "$1"));
        run("editcap", "-c", Long.toString(Math.max(1, (frames + 9) / 10)), whole.toString(),
            parts.resolve("part.pcap").toString());
        List<String> shuffled = new ArrayList<>();
        try (Stream<Path> s = Files.list(parts)) {
            s.sorted().forEach(p -> shuffled.add(p.toString()));
        }
        Collections.shuffle(shuffled, new Random(fixture.hashCode()));
        String split = jsonl(0, shuffled.toArray(String[]::new));
        // A capture whose timestamps step backwards (tcpdump stamping on several CPUs) is
        // reordered by any timestamp merge of its parts: there the reference is mergecap's
        // merge of the same parts, the tool users trust for it.
        String splitExpected = expected;
        if (!monotonic(whole) && has("mergecap")) {
            Path merged = dir.resolve(fixture + ".mergecap.pcap");
            List<String> command = new ArrayList<>(List.of("mergecap", "-F", "nsecpcap", "-w", merged.toString()));
            command.addAll(shuffled);
            run(command.toArray(String[]::new));
            splitExpected = jsonl(0, merged.toString());
        }
        if (!split.equals(splitExpected)) {
            assertSameAnalysis(splitExpected, split, fixture + " in " + shuffled.size() + " shuffled files");
        }
        assertTrue(split.contains("\"files\":[{\"index\":0,"), "the summary names the files");
        if (fixture.equals("close-by-client") || fixture.equals("zero-window")) {
            assertSameAnalysis(expected, jsonl(0, parts.toString()), fixture + " as a directory");
            // -r as tcpdump users type it, mixed with arguments
            List<String> withR = new ArrayList<>(List.of("-r", shuffled.get(0)));
            withR.addAll(shuffled.subList(1, shuffled.size()));
            assertSameAnalysis(expected, jsonl(0, withR.toArray(String[]::new)), fixture + " with -r");
        }

        for (String how : List.of("gzip", "zstd", "lz4")) {
            Path c = compressed(whole, dir.resolve(fixture + "." + how + ".capture"), how);
            assertSameAnalysis(expected, jsonl(0, c.toString()), fixture + " " + how);
        }
        assertSameAnalysis(expected, fromStandardInput(Files.readAllBytes(whole)), fixture + " on standard input");
        Path gz = compressed(whole, dir.resolve("stdin.gz"), "gzip");
        assertSameAnalysis(expected, fromStandardInput(Files.readAllBytes(gz)), fixture + " gzip on standard input");
    }

    /** Whether the capture's timestamps never go backwards. */
    private static boolean monotonic(Path capture) throws Exception {
        try (io.tcpscope.capture.PacketSource source = io.tcpscope.capture.file.CaptureFiles.open(capture)) {
            long last = Long.MIN_VALUE;
            io.tcpscope.capture.Frame f;
            while ((f = source.next()) != null) {
                if (f.timestampNanos() < last) {
                    return false;
                }
                last = f.timestampNanos();
            }
        }
        return true;
    }

    /** A real OS pipe into a real process: {@code cat capture | zstd | java ... analyze -}. */
    @ParameterizedTest
    @ValueSource(strings = {"cat", "zstd", "tcpdump"})
    void pipedIntoAChildProcess(String form) throws Exception {
        assumeTrue(has("sh") && has(form), "sh or " + form + " missing: skipped");
        Path whole = CliRun.fixture("zero-window");
        String expected = jsonl(0, whole.toString());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String producer = switch (form) {
            case "cat" -> "cat '" + whole + "'";
            case "zstd" -> "zstd -q -c '" + whole + "'";
            // tcpdump writing a pcap stream to stdout, packet-buffered, as in tcpdump -U -w - | tcpscope analyze -
            default -> "tcpdump --time-stamp-precision=nano -r '" + whole + "' -U -w - 2>/dev/null";
        };
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", producer + " | '" + java + "' -cp \"$TCPSCOPE_CP\" "
            + Main.class.getName() + " analyze --format jsonl -");
        pb.environment().put("TCPSCOPE_CP", System.getProperty("java.class.path"));
        Process p = pb.redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        assertSameAnalysis(expected, out, "zero-window piped (" + form + ")");
    }

    @Test
    void damagedFileOfASetIsReportedAndTheOthersAreRead() throws Exception {
        assumeTrue(has("editcap"), "editcap is not installed: skipped");
        Path whole = CliRun.fixture("zero-window");
        Path parts = Files.createDirectories(dir.resolve("parts"));
        run("editcap", "-c", "40", whole.toString(), parts.resolve("part.pcap").toString());
        List<Path> files;
        try (Stream<Path> s = Files.list(parts)) {
            files = s.sorted().toList();
        }
        Path second = files.get(1);
        byte[] bytes = Files.readAllBytes(second);
        Files.write(second, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        CliRun r = CliRun.of("analyze", "--format", "jsonl", parts.toString());
        assertEquals(ExitCode.DAMAGED, r.exit(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.errLines().get(0).startsWith("tcpscope: warning: " + second + ": truncated block: "), r::toString);
        String summary = r.outLines().get(r.outLines().size() - 1);
        assertTrue(summary.contains("{\"index\":1,\"path\":\"" + second + "\",\"frames\":39,\"damage\":\"truncated block"),
            summary);
        assertTrue(summary.contains("\"frames\":210,"), summary);
    }

    @Test
    void usageErrors() {
        Path whole = CliRun.fixture("zero-window");
        CliRun twice = CliRun.of("analyze", "-", "-");
        assertEquals(ExitCode.USAGE, twice.exit());
        assertEquals("tcpscope: analyze: standard input (-) can be read only once", twice.errLines().get(0));
        // A BPF filter is applied frame by frame over the Java reader: several files too.
        CliRun filtered = CliRun.of("analyze", "-f", "tcp", whole.toString(), whole.toString());
        assertEquals(ExitCode.OK, filtered.exit(), filtered::toString);
    }
}
