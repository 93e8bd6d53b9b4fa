package io.tcpscope.cluster;

import io.tcpscope.analyzer.decode.DecodeResult;
import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.engine.AnalysisSummary;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.engine.Pipeline;
import io.tcpscope.analyzer.report.Alerts;
import io.tcpscope.analyzer.report.JsonlReport;
import io.tcpscope.analyzer.report.StuckReport;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.analyzer.verdict.Verdicts;
import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.LinkType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.input.PortableDataStream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * {@code tcpscope cluster}: the same analysis as {@code analyze F1 F2 ...}, as a Spark job.
 *
 * <ol>
 *   <li>Each file is read whole by one task ({@code binaryFiles}: a pcap is never split):
 *       its frame count, first and latest timestamp and decode counts. The driver puts the
 *       files in {@code CaptureSet}'s order and knows the capture's end (latest timestamp,
 *       last frame number).</li>
 *   <li>For files whose time ranges overlap another's, their merge keys are read and
 *       broadcast ({@link FrameNumbers}); then each file is read again into segment rows
 *       ({@link Segments}), each carrying its frame number in the merged capture.</li>
 *   <li>The rows are repartitioned by the direction-free flow key and sorted within each
 *       partition by merged frame number (the merged capture's order restricted to the
 *       partition's flows: timestamp, file index, frame). Each partition is one
 *       {@link Pipeline} fed as a stream: the pipeline's clock is the capture's and only moves
 *       forward, so a flow-first sort would need a pipeline per flow; this sort keeps one
 *       per partition, holding the partition's open connections only. After its last
 *       segment the pipeline sees the capture's last frame number and time, then finishes:
 *       timers and diagnoses end where {@code analyze}'s do.</li>
 *   <li>Ids: {@code analyze} numbers connections in the order it first sees them, that is
 *       by their first frame's merged number; the job ranks records by first frame (a sort
 *       and {@code zipWithIndex}), so its ids are {@code analyze}'s.</li>
 * </ol>
 */
public final class ClusterJob {
    /** Output format of the connection records. */
    public enum Format { JSONL, PARQUET }

    /** What to run. */
    public record Config(List<String> inputs, String output, Format format, long stuckAfterNanos,
                         long idleTimeoutNanos, int maxConnections, int partitions) {
    }

    /** What came out (for messages and tests). */
    public record Result(long frames, long connections, String damage, String summaryLine) {
    }

    private static final String ID_PLACEHOLDER = "\"id\":-1,";

    private ClusterJob() {
    }

    public static Result run(SparkSession spark, Config config) throws IOException {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaPairRDD<String, PortableDataStream> files = sc.binaryFiles(String.join(",", config.inputs()));

        // 1. Each file's counts; the set order; the capture's end.
        List<FileStats> stats = new ArrayList<>(files.map(t -> FileReads.stats(t._1(), FileReads.of(t._1(), t._2()))).collect());
        stats.sort(FileStats.SET_ORDER);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < stats.size(); i++) {
            stats.get(i).index = i;
            index.put(stats.get(i).path, i);
        }
        FrameNumbers numbers = new FrameNumbers(stats);
        List<Integer> needKeys = new ArrayList<>();
        for (FileStats f : stats) {
            if (numbers.needsKeys(f.index)) {
                needKeys.add(f.index);
            }
        }
        if (!needKeys.isEmpty()) {
            Map<String, Long> wanted = new HashMap<>();
            for (int i : needKeys) {
                wanted.put(stats.get(i).path, stats.get(i).frames);
            }
            Broadcast<Map<String, Long>> want = sc.broadcast(wanted);
            for (Tuple2<String, long[]> k : files.filter(t -> want.value().containsKey(t._1()))
                    .mapToPair(t -> new Tuple2<>(t._1(), FileReads.mergeKeys(FileReads.of(t._1(), t._2()), want.value().get(t._1()))))
                    .collect()) {
                numbers.keys(index.get(k._1()), k._2());
            }
        }
        long frames = numbers.total();
        long firstNanos = -1;
        long lastNanos = -1;
        long tcpFrames = 0;
        long[] skipped = new long[DecodeResult.values().length];
        StringBuilder damage = null;
        for (FileStats f : stats) {
            if (f.frames > 0) {
                firstNanos = firstNanos < 0 ? f.firstNanos : firstNanos;
                lastNanos = Math.max(lastNanos, f.maxNanos);
            }
            tcpFrames += f.tcpFrames;
            for (int r = 0; r < skipped.length; r++) {
                skipped[r] += f.skipped[r];
            }
            if (f.damage != null) {
                damage = damage == null ? new StringBuilder() : damage.append("; ");
                damage.append(stats.size() == 1 ? "" : shown(f.path) + ": ").append(f.damage);
            }
        }

        long unsupported = skipped[DecodeResult.UNSUPPORTED_LINK_TYPE.ordinal()];
        if (frames > 0 && unsupported == frames) {
            throw new InputException(CaptureException.Kind.UNSUPPORTED_LINK_TYPE, "unsupported link type in every"
                    + " frame; tcpscope reads Ethernet, Linux cooked (SLL, SLL2), raw IP and BSD loopback captures");
        }

        // 2. Segment rows, each with its merged frame number.
        Broadcast<FrameNumbers> numbered = sc.broadcast(numbers);
        Broadcast<Map<String, Integer>> indexOf = sc.broadcast(index);
        Map<String, Long> frameCounts = new HashMap<>();
        for (FileStats f : stats) {
            frameCounts.put(f.path, f.frames);
        }
        Broadcast<Map<String, Long>> counts = sc.broadcast(frameCounts);
        JavaRDD<Row> rows = files.flatMap(t -> FileReads.segments(FileReads.of(t._1(), t._2()), indexOf.value().get(t._1()),
                counts.value().get(t._1()), numbered.value()));
        Dataset<Row> segments = spark.createDataFrame(rows, Segments.SCHEMA);
        Column[] key = Arrays.stream(Segments.FLOW_KEY).map(functions::col).toArray(Column[]::new);
        int partitions = config.partitions() > 0 ? config.partitions() : Math.max(1, sc.defaultParallelism());
        Dataset<Row> byFlow = segments.repartition(partitions, key).sortWithinPartitions("frame");

        // 3. One pipeline per partition.
        PartitionRun run = new PartitionRun(config.maxConnections(), config.idleTimeoutNanos(),
                config.stuckAfterNanos(), frames, lastNanos);
        JavaRDD<Out> out = byFlow.javaRDD().mapPartitions(run::apply).persist(StorageLevel.MEMORY_AND_DISK());
        long connections = 0;
        long evictions = 0;
        long records = 0;
        long late = 0;
        for (Out o : out.filter(o -> o.json == null).collect()) {
            connections += o.counts[0];
            evictions += o.counts[1];
            records += o.counts[2];
            late += o.counts[3];
        }

        // 4. Ids by first frame; id order.
        JavaPairRDD<Out, Long> ranked = out.filter(o -> o.json != null).sortBy(o -> o.firstFrame, true, partitions)
                .zipWithIndex();
        JavaRDD<String> lines = ranked.map(t -> withId(t._1().json, t._2()));
        Dataset<String> text = spark.createDataset(lines.rdd(), Encoders.STRING())
                .persist(StorageLevel.MEMORY_AND_DISK());
        String connectionsDir = new Path(config.output(), "connections").toString();
        if (config.format() == Format.PARQUET) {
            spark.read().option("prefersDecimal", "true").json(text).write().parquet(connectionsDir);
        } else {
            text.write().text(connectionsDir);
        }
        // 5. The summary's alerts and stuck's culprits: the records stream to the driver in id
        //    order, into the same Alerts and Verdicts analyze and stuck feed.
        Alerts alerts = new Alerts();
        Verdicts verdicts = new Verdicts();
        Iterator<ConnectionRecord> inOrder = ranked.map(t -> numbered(t._1().record, t._2())).toLocalIterator();
        while (inOrder.hasNext()) {
            ConnectionRecord r = inOrder.next();
            alerts.record(r);
            verdicts.record(r);
        }
        AnalysisSummary summary = AnalysisSummary.of(frames, tcpFrames, skipped, firstNanos, lastNanos, frames,
                connections, evictions, records, late);
        summary.damage(damage == null ? null : damage.toString());
        String source = stats.size() != 1 ? stats.size() + " files"
                : config.inputs().size() == 1 ? config.inputs().get(0) : shown(stats.get(0).path);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            new JsonlReport(ps, source).summary(summary, alerts);
        }
        String summaryLine = buffer.toString(StandardCharsets.UTF_8).trim();
        Path summaryPath = new Path(config.output(), "summary.json");
        FileSystem fs = summaryPath.getFileSystem(sc.hadoopConfiguration());
        try (OutputStream o = fs.create(summaryPath, true)) {
            o.write((summaryLine + "\n").getBytes(StandardCharsets.UTF_8));
        }
        // stuck's report: its capture end is the last frame (no isb_endtime, no --capture-end, no host snapshots)
        Verdicts.Result stuck = verdicts.build(firstNanos, lastNanos, config.stuckAfterNanos(), null);
        StuckReport.Run stuckRun = new StuckReport.Run(source, firstNanos, lastNanos, lastNanos, "last_frame",
                config.stuckAfterNanos(), connections, List.of(), OptionalLong.empty(), OptionalLong.empty());
        Path culpritsPath = new Path(new Path(config.output(), "culprits"), "part-00000.jsonl");
        try (PrintStream ps = new PrintStream(fs.create(culpritsPath, true), false, StandardCharsets.UTF_8)) {
            StuckReport.print(ps, true, stuckRun, stuck);
        }
        out.unpersist();
        text.unpersist();
        return new Result(frames, connections, summary.damage(), summaryLine);
    }

    /** The input cannot be analyzed at all: one line, and the exit code of its kind. */
    public static final class InputException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final CaptureException.Kind kind;

        InputException(CaptureException.Kind kind, String message) {
            super(message);
            this.kind = kind;
        }

        public CaptureException.Kind kind() {
            return kind;
        }
    }

    /** A path for messages: a local file as a plain path (as analyze names it), else the URI. */
    static String shown(String path) {
        return path.startsWith("file:") ? new Path(path).toUri().getPath() : path;
    }

    static String withId(String json, long id) {
        int at = json.indexOf(ID_PLACEHOLDER);
        return json.substring(0, at) + "\"id\":" + id + "," + json.substring(at + ID_PLACEHOLDER.length());
    }

    /** The record with its id. */
    static ConnectionRecord numbered(ConnectionRecord r, long id) {
        return new ConnectionRecord(id, r.roleGuessed(), r.ipVersion(), r.client(), r.server(), r.firstFrame(),
                r.lastFrame(), r.startNanos(), r.endNanos(), r.flags(), r.diagnoses(), r.end(), r.builtNanos());
    }

    /** One partition's output: a record (JSON with the id left to assign) or, last, its counts. */
    static final class Out implements Serializable {
        private static final long serialVersionUID = 1L;
        final long firstFrame;
        final String json;
        final ConnectionRecord record;
        final long[] counts;

        Out(long firstFrame, String json, ConnectionRecord record, long[] counts) {
            this.firstFrame = firstFrame;
            this.json = json;
            this.record = record;
            this.counts = counts;
        }
    }

    /** The pipeline of one partition, fed its rows as a stream. */
    static final class PartitionRun implements Serializable {
        private static final long serialVersionUID = 1L;
        private final int maxConnections;
        private final long idleTimeoutNanos;
        private final long stuckAfterNanos;
        private final long lastFrame;
        private final long lastNanos;

        PartitionRun(int maxConnections, long idleTimeoutNanos, long stuckAfterNanos, long lastFrame, long lastNanos) {
            this.maxConnections = maxConnections;
            this.idleTimeoutNanos = idleTimeoutNanos;
            this.stuckAfterNanos = stuckAfterNanos;
            this.lastFrame = lastFrame;
            this.lastNanos = lastNanos;
        }

        Iterator<Out> apply(Iterator<Row> in) {
            ArrayDeque<Out> ready = new ArrayDeque<>();
            JsonlReport json = new JsonlReport(new PrintStream(OutputStream.nullOutputStream()), "");
            Pipeline pipeline = new Pipeline(OsProfile.LINUX,
                    Pipeline.Settings.of(maxConnections, idleTimeoutNanos, stuckAfterNanos), r -> {
                        ConnectionRecord unnumbered = new ConnectionRecord(-1, r.roleGuessed(), r.ipVersion(),
                                r.client(), r.server(), r.firstFrame(), r.lastFrame(), r.startNanos(), r.endNanos(),
                                r.flags(), r.diagnoses(), r.end(), r.builtNanos());
                        ready.add(new Out(r.firstFrame(), json.render(unnumbered), unnumbered, null));
                    });
            TcpSegment segment = new TcpSegment();
            return new Iterator<>() {
                private boolean finished;

                @Override
                public boolean hasNext() {
                    while (ready.isEmpty() && !finished) {
                        if (in.hasNext()) {
                            Row r = in.next();
                            Segments.fill(r, segment);
                            pipeline.onDecoded(segment, Segments.frame(r), Segments.nanos(r));
                        } else {
                            finish();
                        }
                    }
                    return !ready.isEmpty();
                }

                private void finish() {
                    finished = true;
                    if (pipeline.summary().tcpFrames() > 0) {
                        // The capture's last frame and time: timers and diagnoses end there, as in analyze.
                        Frame end = new Frame();
                        end.set(lastFrame, lastNanos, 0, 0, LinkType.RAW, 0, new byte[0], 0);
                        pipeline.onFrame(end);
                        pipeline.finish();
                    }
                    AnalysisSummary s = pipeline.summary();
                    ready.add(new Out(-1, null, null,
                            new long[] {s.connections(), s.evictions(), s.records(), s.lateSegments()}));
                }

                @Override
                public Out next() {
                    if (!hasNext()) {
                        throw new java.util.NoSuchElementException();
                    }
                    return ready.poll();
                }
            };
        }
    }
}
