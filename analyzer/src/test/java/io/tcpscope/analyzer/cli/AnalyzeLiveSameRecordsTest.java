package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.engine.Pipeline;
import io.tcpscope.analyzer.flow.FlowTable;
import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.PacketSource;
import io.tcpscope.capture.file.CaptureFiles;
import io.tcpscope.capture.live.CaptureStats;
import io.tcpscope.capture.live.LiveOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code analyze} and {@code live} run one pipeline with the same semantics: every fixture's
 * packets go through analyze's path (AnalyzeCommand, records in id order) and through live's
 * session (LiveCommand's loop, with libpcap-style clock ticks every 100 ms between packets,
 * diagnoses raised while open, records written as connections end). Sorted by id, the
 * connection records are the same lines, and so is the summary.
 */
class AnalyzeLiveSameRecordsTest {
    private static final long TICK = 100_000_000L;
    private static final Pattern ID = Pattern.compile("^\\{\"type\":\"connection\",\"id\":(\\d+),");

    /** A capture file replayed as live would see it: a tick whenever 100 ms pass without a packet. */
    static final class TickingFile implements LiveCommand.Source {
        private final PacketSource file;
        private Frame pending;
        private long clock = Long.MIN_VALUE;
        private boolean timedOut;
        private long ticks;

        TickingFile(PacketSource file) {
            this.file = file;
        }

        @Override
        public Frame nextOrTimeout() throws CaptureException {
            if (pending == null) {
                pending = file.next();
            }
            if (pending == null) {
                timedOut = false;
                return null; // the end: as a stop
            }
            if (clock != Long.MIN_VALUE && pending.timestampNanos() - clock > TICK) {
                clock += TICK;
                timedOut = true;
                ticks++;
                return null;
            }
            Frame f = pending;
            pending = null;
            clock = f.timestampNanos();
            return f;
        }

        @Override
        public boolean timedOut() {
            return timedOut;
        }

        @Override
        public long tickNanos() {
            return clock;
        }

        @Override
        public CaptureStats stats() {
            return null;
        }
    }

    static List<String> analyze(Path capture) throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(o, true, StandardCharsets.UTF_8);
             PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
            AnalyzeConfig config = new AnalyzeConfig(capture, null, OutputFormat.JSONL, Pipeline.Settings.DEFAULT_STUCK_AFTER_NANOS,
                    -1, FlowTable.DEFAULT_MAX_CONNECTIONS);
            new AnalyzeCommand(config, out, err, new StopSignal()).run();
        }
        return List.of(o.toString(StandardCharsets.UTF_8).split("\n"));
    }

    static List<String> live(Path capture, long[] ticks) throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(o, true, StandardCharsets.UTF_8);
             PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
             PacketSource file = CaptureFiles.open(capture)) {
            LiveConfig config = new LiveConfig(LiveOptions.defaults("lo"), OutputFormat.JSONL,
                    Pipeline.Settings.DEFAULT_STUCK_AFTER_NANOS, LiveConfig.DEFAULT_IDLE_TIMEOUT_NANOS, 0, 0, null,
                    FlowTable.DEFAULT_MAX_CONNECTIONS);
            TickingFile source = new TickingFile(file);
            new LiveCommand(config, out, err, new StopSignal(), false).session(source, capture.toString(), null, 0);
            ticks[0] += source.ticks;
        }
        return List.of(o.toString(StandardCharsets.UTF_8).split("\n"));
    }

    private static long id(String line) {
        Matcher m = ID.matcher(line);
        assertTrue(m.find(), line);
        return Long.parseLong(m.group(1));
    }

    @Test
    void everyFixtureGivesTheSameRecordsInBothModes() throws Exception {
        List<Path> cases;
        try (Stream<Path> s = Files.list(CliRun.fixtures())) {
            cases = s.filter(p -> Files.exists(p.resolve("capture.pcap"))).sorted().toList();
        }
        assertTrue(cases.size() >= 20, "fixtures: " + cases.size());
        long[] ticks = new long[1];
        int records = 0;
        int raised = 0;
        for (Path c : cases) {
            Path capture = c.resolve("capture.pcap");
            List<String> a = analyze(capture);
            List<String> l = live(capture, ticks);
            List<String> aConnections = new ArrayList<>();
            List<String> lConnections = new ArrayList<>();
            String aSummary = null;
            String lSummary = null;
            for (String line : a) {
                if (line.startsWith("{\"type\":\"connection\"")) {
                    aConnections.add(line);
                } else if (line.startsWith("{\"type\":\"summary\"")) {
                    aSummary = line;
                }
            }
            for (String line : l) {
                if (line.startsWith("{\"type\":\"connection\"")) {
                    lConnections.add(line);
                } else if (line.startsWith("{\"type\":\"summary\"")) {
                    lSummary = line;
                } else if (line.startsWith("{\"type\":\"diagnosis\"")) {
                    raised++;
                }
            }
            lConnections.sort((x, y) -> Long.compare(id(x), id(y)));
            assertEquals(aConnections, lConnections, c.getFileName() + ": the same records");
            assertEquals(aSummary, lSummary, c.getFileName() + ": the same summary");
            records += aConnections.size();
        }
        assertTrue(records > 500, "records compared: " + records);
        assertTrue(ticks[0] > 1000, "the live replay ticked between packets: " + ticks[0]);
        assertTrue(raised > 0, "live raised diagnoses while connections were open");
    }
}
