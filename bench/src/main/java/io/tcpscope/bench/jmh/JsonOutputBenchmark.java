package io.tcpscope.bench.jmh;

import io.tcpscope.analyzer.bench.SyntheticCapture;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.engine.Pipeline;
import io.tcpscope.analyzer.flow.FlowTable;
import io.tcpscope.analyzer.report.JsonlReport;
import io.tcpscope.analyzer.tcp.OsProfile;
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
 * One JSON Lines {@code connection} line written to a null stream by {@link JsonlReport#record},
 * per record of a small synthetic capture (200 connections, mixed endings, diagnoses with
 * --stuck-after 1ms), in turn.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JsonOutputBenchmark {
    private final PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
    private JsonlReport report;
    private ConnectionRecord[] records;
    private int next;

    @Setup
    public void analyze() throws IOException, CaptureException {
        report = new JsonlReport(sink, "bench.pcap");
        records = finishedConnections(200).toArray(new ConnectionRecord[0]);
    }

    /** The records of a 200-connection synthetic capture, diagnoses included (stuck after 1 ms). */
    static List<ConnectionRecord> finishedConnections(int count) throws IOException, CaptureException {
        Path file = Files.createTempFile("tcpscope-jmh", ".pcap");
        try {
            SyntheticCapture.write(file, count, 20, SyntheticCapture.DEFAULT_SEED);
            List<ConnectionRecord> finished = new ArrayList<>();
            // Stuck after 1 ms of silence: the 1% stuck half-closes of a capture this short get their diagnosis.
            Pipeline pipeline = new Pipeline(OsProfile.LINUX, Pipeline.Settings.of(FlowTable.DEFAULT_MAX_CONNECTIONS,
                    Pipeline.Settings.DEFAULT_IDLE_TIMEOUT_NANOS, 1_000_000L), finished::add);
            try (PacketSource source = CaptureFiles.open(file)) {
                Frame frame;
                while ((frame = source.next()) != null) {
                    pipeline.onFrame(frame);
                }
            }
            pipeline.finish();
            return finished;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private ConnectionRecord nextRecord() {
        int i = next;
        next = i + 1 == records.length ? 0 : i + 1;
        return records[i];
    }

    @Benchmark
    public void jsonlReport() {
        report.record(nextRecord());
    }
}
