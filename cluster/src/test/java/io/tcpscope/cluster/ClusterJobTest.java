package io.tcpscope.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.cli.Main;
import io.tcpscope.analyzer.cli.StopSignal;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.engine.Pipeline;
import io.tcpscope.analyzer.flow.FlowTable;
import io.tcpscope.analyzer.report.Alerts;
import io.tcpscope.analyzer.report.JsonlReport;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.PacketSource;
import io.tcpscope.capture.file.CaptureFiles;
import io.tcpscope.capture.file.CaptureSet;
import io.tcpscope.capture.file.PcapWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job in {@code local[2]} against {@code analyze} of the same files (the same pipeline over
 * {@code CaptureFiles.open(List)}, merged as analyze merges them): the same JSON lines, ids
 * included, and the same summary.
 */
class ClusterJobTest {
    private static final Path FIXTURES = Path.of(System.getProperty("tcpscope.fixtures", "../fixtures"));
    private static final long STUCK_AFTER = Pipeline.Settings.DEFAULT_STUCK_AFTER_NANOS;
    private static final long IDLE = Pipeline.Settings.DEFAULT_IDLE_TIMEOUT_NANOS;
    private static SparkSession spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("ClusterJobTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** What analyze writes for these files: connection lines in id order, then the summary line. */
    private static List<String> analyze(List<Path> files) throws Exception {
        List<ConnectionRecord> records = new ArrayList<>();
        Pipeline pipeline = new Pipeline(OsProfile.LINUX,
                Pipeline.Settings.of(FlowTable.DEFAULT_MAX_CONNECTIONS, IDLE, STUCK_AFTER), records::add);
        String damage;
        try (CaptureSet set = CaptureFiles.open(files)) {
            Frame f;
            while ((f = set.next()) != null) {
                pipeline.onFrame(f);
            }
            damage = set.damage();
        }
        pipeline.finish();
        pipeline.summary().damage(damage);
        records.sort(Comparator.comparingLong(ConnectionRecord::id));
        Alerts alerts = new Alerts();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            JsonlReport report = new JsonlReport(out, "source");
            for (ConnectionRecord r : records) {
                alerts.record(r);
                report.record(r);
            }
            report.summary(pipeline.summary(), alerts);
        }
        return buffer.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList());
    }

    private List<String> cluster(List<String> inputs, ClusterJob.Format format) throws IOException {
        String output = tmp.resolve("out-" + System.nanoTime()).toString();
        ClusterJob.Result result = ClusterJob.run(spark, new ClusterJob.Config(inputs, output, format, STUCK_AFTER, IDLE,
                FlowTable.DEFAULT_MAX_CONNECTIONS, 3));
        List<String> lines = new ArrayList<>();
        if (format == ClusterJob.Format.JSONL) {
            try (Stream<Path> parts = Files.list(Path.of(output, "connections"))) {
                for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted()
                        .collect(Collectors.toList())) {
                    lines.addAll(Files.readAllLines(part));
                }
            }
        }
        lines.add(result.summaryLine());
        assertEquals(result.summaryLine(), Files.readString(Path.of(output, "summary.json")).trim());
        return lines;
    }

    /** Equal line by line (the summary's source aside: analyze names the set its own way). */
    private static void assertSame(List<String> expected, List<String> actual) {
        assertTrue(expected.size() > 1, "nothing to compare");
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            String e = expected.get(i).replaceFirst("\"source\":\"[^\"]*\"", "\"source\":\"\"");
            String a = actual.get(i).replaceFirst("\"source\":\"[^\"]*\"", "\"source\":\"\"");
            assertEquals(e, a, "line " + i);
        }
        assertEquals(expected.size(), actual.size(), "lines");
    }

    private static List<String> strings(List<Path> paths) {
        return paths.stream().map(Path::toString).collect(Collectors.toList());
    }

    /** Cuts a capture into files of {@code perFile} frames (editcap -c), or deals its frames round-robin into {@code deal} files. */
    private List<Path> cut(Path capture, String prefix, int perFile, int deal) throws Exception {
        List<Path> parts = new ArrayList<>();
        List<PcapWriter> writers = new ArrayList<>();
        try (PacketSource in = CaptureFiles.open(capture)) {
            Frame f;
            long n = 0;
            while ((f = in.next()) != null) {
                int part = deal > 0 ? (int) (n % deal) : (int) (n / perFile);
                while (writers.size() <= part) {
                    Path p = tmp.resolve(String.format("%s-%03d.pcap", prefix, writers.size()));
                    parts.add(p);
                    writers.add(new PcapWriter(p, f.linkType(), 262144));
                }
                writers.get(part).write(f);
                n++;
            }
        } finally {
            for (PcapWriter w : writers) {
                w.close();
            }
        }
        return parts;
    }

    @Test
    void aFixtureCutIntoManyFilesOneGzippedOneDamaged() throws Exception {
        List<Path> parts = cut(FIXTURES.resolve("random-loss-many/capture.pcap"), "cut", 40, 0);
        assertTrue(parts.size() > 10, "parts " + parts.size());
        Path plain = parts.get(3);
        Path gz = tmp.resolve(plain.getFileName() + ".gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(plain, o);
        }
        Files.delete(plain);
        parts.set(3, gz);
        // one file cut inside a record: damage in that file only, named in the summary
        byte[] whole = Files.readAllBytes(parts.get(5));
        Files.write(parts.get(5), java.util.Arrays.copyOf(whole, whole.length - 7));
        List<String> expected = analyze(parts);
        assertTrue(expected.get(expected.size() - 1).contains("\"damage\":\"" + parts.get(5) + ": "),
                expected.get(expected.size() - 1));
        assertSame(expected, cluster(List.of(tmp.toString()), ClusterJob.Format.JSONL));
    }

    @Test
    void manyConnectionsCutIntoFilesAndDealtIntoOverlappingFiles() throws Exception {
        for (String fixture : List.of("many-connections", "many-mixed-ipv6")) {
            List<Path> cut = cut(FIXTURES.resolve(fixture + "/capture.pcap"), fixture + "-c", 500, 0);
            assertSame(analyze(cut), cluster(strings(cut), ClusterJob.Format.JSONL));
            // round robin: every file spans the whole capture, so frame numbers need the merge keys
            List<Path> dealt = cut(FIXTURES.resolve(fixture + "/capture.pcap"), fixture + "-d", 0, 3);
            assertSame(analyze(dealt), cluster(List.of(tmp.resolve(fixture + "-d-*.pcap").toString()),
                    ClusterJob.Format.JSONL));
        }
    }

    @Test
    void everyFixtureAsOneSetOfFiles() throws Exception {
        List<Path> captures;
        try (Stream<Path> dirs = Files.list(FIXTURES)) {
            captures = dirs.map(d -> d.resolve("capture.pcap")).filter(Files::isRegularFile).sorted()
                    .map(Path::toAbsolutePath).collect(Collectors.toList());
        }
        assertTrue(captures.size() > 50, "fixtures: " + captures.size());
        assertSame(analyze(captures), cluster(strings(captures), ClusterJob.Format.JSONL));
    }

    /** What {@code tcpscope stuck --format jsonl} writes for these files (no host snapshots). */
    private static List<String> stuck(List<String> files) {
        List<String> args = new ArrayList<>(List.of("stuck", "--format", "jsonl"));
        args.addAll(files);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
             PrintStream err = new PrintStream(errors, true, StandardCharsets.UTF_8)) {
            int code = Main.run(args.toArray(String[]::new), out, err, new StopSignal());
            assertTrue(code == 0 || code == 1, "stuck exit " + code + ": " + errors);
        }
        return buffer.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList());
    }

    @Test
    void culpritsAreStucksOfTheSameFiles() throws Exception {
        List<String> captures;
        try (Stream<Path> dirs = Files.list(FIXTURES)) {
            captures = dirs.filter(d -> d.getFileName().toString().contains("stuck-")).map(d -> d.resolve("capture.pcap"))
                    .filter(Files::isRegularFile).sorted().map(p -> p.toAbsolutePath().toString())
                    .collect(Collectors.toList());
        }
        assertTrue(captures.size() >= 5, "fixtures: " + captures);
        List<List<String>> sets = new ArrayList<>();
        for (String c : captures) {
            sets.add(List.of(c));
        }
        sets.add(captures);
        for (List<String> set : sets) {
            List<String> expected = stuck(set);
            if (set.size() > 1) {
                assertTrue(expected.stream().anyMatch(l -> l.startsWith("{\"type\":\"culprit\"")), "no culprit");
            }
            String output = tmp.resolve("stuck-" + System.nanoTime()).toString();
            ClusterJob.run(spark, new ClusterJob.Config(set, output, ClusterJob.Format.JSONL, STUCK_AFTER, IDLE,
                    FlowTable.DEFAULT_MAX_CONNECTIONS, 3));
            List<String> actual = Files.readAllLines(Path.of(output, "culprits", "part-00000.jsonl"));
            assertSame(expected, actual);
        }
    }

    @Test
    void parquetHoldsTheSameConnections() throws Exception {
        List<Path> cut = cut(FIXTURES.resolve("many-connections/capture.pcap"), "pq", 700, 0);
        List<String> expected = analyze(cut);
        String output = tmp.resolve("parquet").toString();
        ClusterJob.run(spark, new ClusterJob.Config(strings(cut), output, ClusterJob.Format.PARQUET, STUCK_AFTER, IDLE,
                FlowTable.DEFAULT_MAX_CONNECTIONS, 2));
        Dataset<Row> parquet = spark.read().parquet(output + "/connections");
        assertEquals(expected.size() - 1, parquet.count());
        Dataset<Row> json = spark.read().option("prefersDecimal", "true")
                .json(spark.createDataset(expected.subList(0, expected.size() - 1), org.apache.spark.sql.Encoders.STRING()));
        assertEquals(List.of(json.schema().fieldNames()), List.of(parquet.schema().fieldNames()));
        assertEquals(0, json.exceptAll(parquet.select(json.columns()[0],
                java.util.Arrays.copyOfRange(json.columns(), 1, json.columns().length))).count());
    }
}
