package io.tcpscope.bench.jmh;

import io.tcpscope.analyzer.diagnosis.Diagnoser;
import io.tcpscope.analyzer.diagnosis.Diagnosis;
import io.tcpscope.analyzer.engine.Analyzer;
import io.tcpscope.analyzer.flow.FlowTable;
import io.tcpscope.analyzer.report.JsonWriter;
import io.tcpscope.analyzer.report.JsonlReport;
import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.ConnectionFlag;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.analyzer.tcp.Transition;
import io.tcpscope.bench.SyntheticCapture;
import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.PacketSource;
import io.tcpscope.capture.file.CaptureFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One JSON Lines {@code connection} record written to a null stream, per finished connection
 * of a small synthetic capture (200 connections, mixed endings, diagnoses with --stuck-after 1ms), in turn:
 * <ul>
 *   <li>{@link #jsonlReport}: {@link JsonlReport#connection} as it is (builds the line with
 *       {@link JsonWriter}, then {@code out.println(j.text())}: a String and its encoding);</li>
 *   <li>{@link #byteWriter}: the same line with {@link JsonWriter}'s byte API
 *       ({@code epochSeconds}, {@code durationSeconds}, {@code address}, {@code lowerCase},
 *       {@code writeLine}): what JsonlReport
 *       costs once it writes bytes. {@code JmhSmokeTest} checks the two lines are identical.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JsonOutputBenchmark {
    private final PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
    private final JsonWriter json = new JsonWriter();
    private JsonlReport report;
    private Record[] records;
    private int next;

    /** A finished connection and its diagnoses. */
    record Record(Connection connection, List<Diagnosis> diagnoses) {
    }

    @Setup
    public void analyze() throws IOException, CaptureException {
        report = new JsonlReport(sink, "bench.pcap");
        records = finishedConnections(200).toArray(new Record[0]);
    }

    /** The connections of a 200-connection synthetic capture, each with its diagnoses computed once. */
    static List<Record> finishedConnections(int count) throws IOException, CaptureException {
        Path file = Files.createTempFile("tcpscope-jmh", ".pcap");
        try {
            SyntheticCapture.write(file, count, 20, SyntheticCapture.DEFAULT_SEED);
            List<Connection> finished = new ArrayList<>();
            Analyzer analyzer = new Analyzer(OsProfile.LINUX, FlowTable.DEFAULT_MAX_CONNECTIONS, finished::add);
            try (PacketSource source = CaptureFiles.open(file)) {
                Frame frame;
                while ((frame = source.next()) != null) {
                    analyzer.onFrame(frame);
                }
            }
            analyzer.finish();
            // Stuck after 1 ms of silence: the 1% stuck half-closes of a capture this short get their diagnosis.
            Diagnoser diagnoser = new Diagnoser(1_000_000L);
            List<Record> records = new ArrayList<>();
            for (Connection c : finished) {
                records.add(new Record(c, diagnoser.diagnose(c, analyzer.now())));
            }
            return records;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private Record nextRecord() {
        int i = next;
        next = i + 1 == records.length ? 0 : i + 1;
        return records[i];
    }

    @Benchmark
    public void jsonlReport() {
        Record r = nextRecord();
        report.connection(r.connection(), r.diagnoses());
    }

    @Benchmark
    public void byteWriter() {
        Record r = nextRecord();
        connectionLine(json, r.connection(), r.diagnoses());
        json.writeLine(sink);
    }

    /** {@link JsonlReport}'s connection line, written with the byte API (no number strings). */
    static JsonWriter connectionLine(JsonWriter j, Connection c, List<Diagnosis> diagnoses) {
        j.begin().open();
        j.field("type", "connection").field("id", c.id());
        endpoint(j, "client", c.client());
        endpoint(j, "server", c.server());
        j.field("role_inferred", c.roleGuessed());
        j.field("ip_version", c.client().ipVersion());
        j.epochSeconds("start_ts", c.startNanos());
        j.epochSeconds("end_ts", c.endNanos());
        j.durationSeconds("duration_s", c.endNanos() - c.startNanos());
        j.field("first_frame", c.firstFrame()).field("last_frame", c.lastFrame());
        j.open("states");
        timeline(j, "client", c.client());
        timeline(j, "server", c.server());
        j.close();
        j.open("final").field("client", c.client().stateOrClosed().name())
                .field("server", c.server().stateOrClosed().name()).close();
        j.array("flags");
        for (ConnectionFlag f : c.flags()) {
            j.value(f.name());
        }
        j.endArray();
        j.array("diagnoses");
        for (Diagnosis d : diagnoses) {
            j.open().field("code", d.code().name()).field("endpoint", d.endpoint().key())
                    .epochSeconds("since_ts", d.sinceNanos()).durationSeconds("duration_s", d.durationNanos())
                    .field("message", d.message()).close();
        }
        j.endArray();
        Endpoint a = c.client();
        Endpoint b = c.server();
        perSide(j, "packets", a.packets(), b.packets());
        perSide(j, "bytes", a.payloadBytes(), b.payloadBytes());
        perSide(j, "retransmissions", a.retransmissions(), b.retransmissions());
        perSide(j, "syn_retransmissions", a.synRetransmissions(), b.synRetransmissions());
        perSide(j, "out_of_order", a.outOfOrderSegments(), b.outOfOrderSegments());
        perSide(j, "duplicates", a.duplicates(), b.duplicates());
        perSide(j, "overlaps", a.overlapSegments(), b.overlapSegments());
        perSide(j, "missed_bytes", a.missedBytes(), b.missedBytes());
        perSide(j, "keepalives", a.keepalives(), b.keepalives());
        perSide(j, "zero_window_probes", a.zeroWindowProbes(), b.zeroWindowProbes());
        return j.close();
    }

    private static void endpoint(JsonWriter j, String name, Endpoint e) {
        j.open(name).address("ip", e.ipVersion(), e.addressHi(), e.addressLo()).field("port", e.port()).close();
    }

    private static void timeline(JsonWriter j, String name, Endpoint e) {
        j.array(name);
        for (Transition t : e.timeline()) {
            j.open().epochSeconds("ts", t.timestampNanos()).field("state", t.state().name()).field("frame", t.frame())
                    .field("cause", t.cause()).lowerCase("basis", t.basis().name()).close();
        }
        j.endArray();
    }

    private static void perSide(JsonWriter j, String name, long client, long server) {
        j.open(name).field("client", client).field("server", server).close();
    }
}
