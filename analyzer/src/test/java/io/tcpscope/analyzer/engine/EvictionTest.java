package io.tcpscope.analyzer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.bench.SyntheticCapture;
import io.tcpscope.analyzer.report.JsonlReport;
import io.tcpscope.analyzer.tcp.ConnectionFlag;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.PacketSource;
import io.tcpscope.capture.file.CaptureFiles;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --max-connections N}: a connection that fits is never split (ended connections make
 * room first, unflagged), and with far more connections open at once than fit, each one still
 * gives exactly one record, the evicted ones flagged EVICTED, their later segments counted
 * (tombstones) instead of coming back as MIDSTREAM rows.
 */
class EvictionTest {
    @TempDir
    Path dir;

    record Run(List<ConnectionRecord> records, AnalysisSummary summary) {
        long flagged(ConnectionFlag f) {
            return records.stream().filter(r -> r.has(f)).count();
        }

        Set<String> tuples() {
            Set<String> out = new HashSet<>();
            for (ConnectionRecord r : records) {
                out.add(r.client().endpoint() + " " + r.server().endpoint());
            }
            return out;
        }

        /** The JSON lines, without end_reason, record_ts and idle_s (an ended connection that made room left earlier). */
        List<String> rendered() {
            JsonlReport json = new JsonlReport(new PrintStream(OutputStream.nullOutputStream()), "test");
            List<ConnectionRecord> sorted = new ArrayList<>(records);
            sorted.sort((a, b) -> Long.compare(a.id(), b.id()));
            List<String> out = new ArrayList<>();
            for (ConnectionRecord r : sorted) {
                out.add(json.render(r).replaceFirst("\"end_reason\":\"[a-z_]+\",\"record_ts\":[0-9.]+,\"idle_s\":[0-9.]+,", ""));
            }
            return out;
        }
    }

    static Run run(Path capture, int maxConnections) throws Exception {
        List<ConnectionRecord> records = new ArrayList<>();
        Pipeline p = new Pipeline(OsProfile.LINUX, Pipeline.Settings.defaults().withMaxConnections(maxConnections), records::add);
        try (PacketSource source = CaptureFiles.open(capture)) {
            Frame f;
            while ((f = source.next()) != null) {
                p.onFrame(f);
                assertTrue(p.openConnections() <= maxConnections);
            }
        }
        p.finish();
        assertEquals(p.summary().connections(), records.size(), "one record per connection");
        assertEquals(p.summary().records(), records.size());
        return new Run(records, p.summary());
    }

    private static Path manyConnections() {
        return Path.of(System.getProperty("tcpscope.fixtures", "../fixtures"), "many-connections", "capture.pcap");
    }

    @Test
    void manyConnectionsWithRoomForFiftyGivesEachConnectionOnce() throws Exception {
        Run all = run(manyConnections(), 1 << 20);
        assertEquals(240, all.records().size());
        assertEquals(0, all.summary().evictions());

        Run fifty = run(manyConnections(), 50);
        // All 240 are open at once in this capture: 190 must go, once each, and none comes back.
        assertEquals(240, fifty.records().size(), "was 660 fragments before tombstones and ended-first eviction");
        assertEquals(all.tuples(), fifty.tuples());
        assertEquals(240, fifty.tuples().size());
        assertEquals(0, fifty.flagged(ConnectionFlag.MIDSTREAM));
        assertEquals(190, fifty.summary().evictions());
        assertEquals(190, fifty.flagged(ConnectionFlag.EVICTED));
        assertTrue(fifty.summary().lateSegments() > 0, "segments after an eviction are counted");
        for (ConnectionRecord r : fifty.records()) {
            assertEquals(r.has(ConnectionFlag.EVICTED), r.end() == ConnectionRecord.End.EVICTED, "connection " + r.id());
        }
    }

    @Test
    void aGeneratedCaptureThatFitsIsNotSplitAndTenTimesTooManyGiveEachOnce() throws Exception {
        Path file = dir.resolve("gen.pcap");
        int connections = 5000;
        SyntheticCapture.write(file, connections, 10, SyntheticCapture.DEFAULT_SEED);
        Run all = run(file, 1 << 20);
        assertEquals(connections, all.records().size());
        assertEquals(0, all.flagged(ConnectionFlag.MIDSTREAM));

        // At most CONCURRENCY connections are in progress at once, plus the 1% left half-closed for
        // good; the connections that ended (TIME_WAIT) make room: nothing is cut, every record equal.
        int fits = SyntheticCapture.CONCURRENCY + connections / 100 + 50;
        Run fitting = run(file, fits);
        assertEquals(0, fitting.summary().evictions());
        assertEquals(0, fitting.flagged(ConnectionFlag.EVICTED));
        assertEquals(all.rendered(), fitting.rendered());
        assertTrue(fitting.records().stream().anyMatch(r -> r.end() == ConnectionRecord.End.OVER),
                "ended connections made room");

        Run tenth = run(file, SyntheticCapture.CONCURRENCY / 10);
        assertEquals(connections, tenth.records().size());
        assertEquals(connections, tenth.tuples().size(), "each connection once");
        assertEquals(0, tenth.flagged(ConnectionFlag.MIDSTREAM));
        assertTrue(tenth.summary().evictions() > connections / 2, "most are evicted: " + tenth.summary().evictions());
        assertEquals(tenth.summary().evictions(), tenth.flagged(ConnectionFlag.EVICTED));
        assertFalse(tenth.records().stream().anyMatch(r -> r.has(ConnectionFlag.PORT_REUSE)));
    }

    /**
     * An ACK flood ({@link io.tcpscope.analyzer.cli.HostileCapture}: one-way mid-stream segments
     * from 30,000 spoofed sources) through a table of 1,000: the idle established connection and
     * the stuck FIN_WAIT_2/CLOSE_WAIT pair stay, one record each, not evicted; the flood's
     * pickups, on probation, push out each other (by plain LRU they pushed out both).
     */
    @Test
    void anAckFloodEvictsItsOwnPickupsNotTheEstablishedOrStuckConnections() throws Exception {
        Path file = dir.resolve("ackflood.pcap");
        io.tcpscope.analyzer.cli.HostileCapture.write(file, 30_000, 0, 7L);
        Run run = run(file, 1000);
        assertEquals(30_002, run.records().size());
        assertTrue(run.summary().evictions() >= 29_000, run.summary().evictions() + " evictions");
        for (String client : List.of("198.51.100.7:51000", "198.51.100.8:52000")) {
            List<ConnectionRecord> mine = run.records().stream().filter(r -> r.client().endpoint().equals(client)).toList();
            assertEquals(1, mine.size(), client);
            assertFalse(mine.get(0).has(ConnectionFlag.EVICTED), client);
            assertFalse(mine.get(0).has(ConnectionFlag.MIDSTREAM), client);
        }
        assertEquals(0, run.summary().lateSegments(), "no segment of a user's connection came after its eviction");
    }
}
