package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Live, when libpcap reports drops: every connection open then is flagged CAPTURE_DROPS, and
 * no verdict that rests on a missing segment is raised on it (a missing FIN from a drop is
 * not a stuck peer). The stuck-fin-wait-2 fixture replayed as live, with pcap_stats
 * reporting no drops, then drops after the connection's first packets.
 */
class CaptureDropsTest {
    /** The fixture as a live source whose counters report {@code dropped} packets once {@code after} frames were read. */
    static final class DroppingFile implements LiveCommand.Source {
        private final AnalyzeLiveSameRecordsTest.TickingFile file;
        private final long after;
        private final long dropped;
        private long frames;

        DroppingFile(PacketSource source, long after, long dropped) {
            this.file = new AnalyzeLiveSameRecordsTest.TickingFile(source);
            this.after = after;
            this.dropped = dropped;
        }

        @Override
        public Frame nextOrTimeout() throws CaptureException {
            Frame f = file.nextOrTimeout();
            if (f != null) {
                frames++;
            }
            return f;
        }

        @Override
        public boolean timedOut() {
            return file.timedOut();
        }

        @Override
        public long tickNanos() {
            return file.tickNanos();
        }

        @Override
        public CaptureStats stats() {
            return new CaptureStats(frames, frames >= after ? dropped : 0, 0);
        }
    }

    record Run(String out, String err) {
    }

    static Run live(Path capture, long dropped) throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(o, true, StandardCharsets.UTF_8);
             PrintStream err = new PrintStream(e, true, StandardCharsets.UTF_8);
             PacketSource file = CaptureFiles.open(capture)) {
            LiveConfig config = new LiveConfig(LiveOptions.defaults("lo"), OutputFormat.JSONL,
                    Pipeline.Settings.DEFAULT_STUCK_AFTER_NANOS, LiveConfig.DEFAULT_IDLE_TIMEOUT_NANOS, 0, 0, null,
                    FlowTable.DEFAULT_MAX_CONNECTIONS);
            new LiveCommand(config, out, err, new StopSignal(), false)
                    .session(new DroppingFile(file, 3, dropped), capture.toString(), null, 0);
        }
        return new Run(o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    private static String connection(Run r) {
        List<String> c = r.out().lines().filter(l -> l.startsWith("{\"type\":\"connection\"")).toList();
        assertEquals(1, c.size(), r.out());
        return c.get(0);
    }

    @Test
    void withoutDropsTheStuckPeerIsRaised() throws Exception {
        Run r = live(CliRun.fixture("stuck-fin-wait-2"), 0);
        assertTrue(r.out().contains("\"STUCK_FIN_WAIT_2\""), r.out());
        assertFalse(connection(r).contains("CAPTURE_DROPS"), r.out());
        assertFalse(r.err().contains("dropped"), r.err());
    }

    @Test
    void aConnectionOpenDuringDropsIsFlaggedAndNotCalledStuck() throws Exception {
        Run r = live(CliRun.fixture("stuck-fin-wait-2"), 7);
        String c = connection(r);
        assertTrue(c.contains("\"CAPTURE_DROPS\""), c);
        assertFalse(r.out().contains("STUCK_FIN_WAIT_2"), r.out());
        assertTrue(r.err().contains("tcpscope: warning: the kernel dropped 7 packets"), r.err());
        assertTrue(c.contains("\"FIN_WAIT_2\""), "the states are still inferred: " + c);
    }

    /** The other verdicts that rest on a missing segment: raised without drops, withheld with them. */
    @ParameterizedTest
    @CsvSource({"ipv6-syn-unanswered, UNANSWERED_SYN", "syn-flood-no-cookies, HALF_OPEN"})
    void absenceVerdictsAreWithheldUnderDrops(String fixture, String code) throws Exception {
        Run clean = live(CliRun.fixture(fixture), 0);
        assertTrue(clean.out().contains("\"" + code + "\""), clean.out());
        Run dropped = live(CliRun.fixture(fixture), 5);
        assertFalse(dropped.out().contains("\"" + code + "\""), dropped.out());
        assertTrue(dropped.out().contains("\"CAPTURE_DROPS\""), dropped.out());
    }
}
