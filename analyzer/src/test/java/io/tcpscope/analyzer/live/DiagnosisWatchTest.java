package io.tcpscope.analyzer.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.diagnosis.Diagnoser;
import io.tcpscope.analyzer.diagnosis.Diagnosis;
import io.tcpscope.analyzer.diagnosis.DiagnosisCode;
import io.tcpscope.analyzer.engine.AnalysisSummary;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.engine.Pipeline;
import io.tcpscope.analyzer.report.Alerts;
import io.tcpscope.analyzer.report.Report;
import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.PacketSource;
import io.tcpscope.capture.file.CaptureFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Diagnoses are raised once per (connection, code), when they first hold on capture time,
 * evaluated the way live mode does: after packets and on clock ticks without packets. Input:
 * the kernel-truth capture {@code fixtures/stuck-fin-wait-2} (client FIN_WAIT_2, server
 * CLOSE_WAIT from about 0.1 s on, then ~35 s of silence).
 */
class DiagnosisWatchTest {
    private static final long STUCK_AFTER = 2_000_000_000L;
    private static final long TICK = 100_000_000L;

    /** Records what live mode would print. */
    static final class Recorder implements Report {
        final List<String> raised = new ArrayList<>();
        final List<Long> raisedAt = new ArrayList<>();
        int flushes;
        long now;

        @Override
        public void record(ConnectionRecord record) {
        }

        @Override
        public void diagnosisRaised(ConnectionRecord c, Diagnosis d) {
            raised.add(c.id() + ":" + d.code());
            raisedAt.add(now);
        }

        @Override
        public void summary(AnalysisSummary summary, Alerts alerts) {
        }

        @Override
        public void flush() {
            flushes++;
        }
    }

    private static Path capture() {
        return Path.of(System.getProperty("tcpscope.fixtures", "../fixtures"), "stuck-fin-wait-2", "capture.pcap");
    }

    @Test
    void stuckFinWait2IsRaisedOnceWhenTheSilenceCrossesTheThreshold() throws Exception {
        Recorder report = new Recorder();
        Diagnoser diagnoser = new Diagnoser(STUCK_AFTER);
        DiagnosisWatch watch = new DiagnosisWatch(diagnoser, report, STUCK_AFTER);
        Pipeline analyzer = new Pipeline(OsProfile.LINUX, Pipeline.Settings.defaults().withMaxConnections(1024), watch);
        long lastPacket = 0;
        try (PacketSource source = CaptureFiles.open(capture())) {
            Frame f;
            while ((f = source.next()) != null) {
                analyzer.onFrame(f);
                report.now = analyzer.now();
                watch.evaluate(analyzer);
                lastPacket = f.timestampNanos();
            }
        }
        // the capture's packets span ~35 s, so the threshold is crossed between packets or after them;
        // now tick on without packets for 10 more seconds, as libpcap's read timeout does live
        long end = lastPacket + 10_000_000_000L;
        for (long t = lastPacket + TICK; t <= end; t += TICK) {
            analyzer.advanceClock(t);
            report.now = t;
            watch.evaluate(analyzer);
        }
        assertEquals(List.of("0:" + DiagnosisCode.STUCK_FIN_WAIT_2), report.raised, "raised exactly once");
        assertEquals(1, watch.raisedTotal());
        assertEquals(1, watch.connectionsRaised());
        assertTrue(report.flushes >= 1, "a raised diagnosis is flushed at once");

        // the moment it was raised: the first evaluation at which the CLOSE_WAIT side had been silent STUCK_AFTER
        List<Connection> open = new ArrayList<>();
        analyzer.forEachOpen(open::add);
        Connection c = open.get(0);
        long silentSince = Math.max(c.server().lastSendNanos(), c.server().stateSinceNanos());
        long raisedAt = report.raisedAt.get(0);
        assertTrue(raisedAt >= silentSince + STUCK_AFTER, "not before the threshold");
        assertTrue(raisedAt - (silentSince + STUCK_AFTER) <= 35_000_000_000L, "raised while running, not at the end");

        // finishing the connection forgets it; the watch holds nothing afterwards
        analyzer.finish();
        assertEquals(0, watch.connectionsRaised());
        assertEquals(1, report.raised.size());
    }

    /**
     * Every server passes through SYN_RECEIVED (the rule HALF_OPEN holds from its first instant);
     * without the hold time live mode would raise HALF_OPEN on every handshake. This capture's
     * handshake is evaluated after each packet and must raise nothing but the stuck diagnosis.
     */
    @Test
    void aNormalHandshakeRaisesNoHalfOpen() throws Exception {
        Recorder report = new Recorder();
        Diagnoser diagnoser = new Diagnoser(STUCK_AFTER);
        DiagnosisWatch watch = new DiagnosisWatch(diagnoser, report, STUCK_AFTER);
        Pipeline analyzer = new Pipeline(OsProfile.LINUX, Pipeline.Settings.defaults().withMaxConnections(1024), watch);
        boolean sawSynReceived = false;
        try (PacketSource source = CaptureFiles.open(capture())) {
            Frame f;
            while ((f = source.next()) != null) {
                analyzer.onFrame(f);
                boolean[] half = new boolean[1];
                analyzer.forEachOpen(c -> half[0] |= c.server().state() == io.tcpscope.analyzer.tcp.TcpState.SYN_RECEIVED);
                sawSynReceived |= half[0];
                watch.evaluate(analyzer);
            }
        }
        assertTrue(sawSynReceived, "the server was in SYN_RECEIVED at some evaluation");
        assertTrue(report.raised.stream().noneMatch(r -> r.endsWith("HALF_OPEN")), report.raised.toString());
    }

    @Test
    void nothingIsRaisedBeforeTheThreshold() throws Exception {
        Recorder report = new Recorder();
        DiagnosisWatch watch = new DiagnosisWatch(new Diagnoser(3_600_000_000_000L), report, 3_600_000_000_000L);
        Pipeline analyzer = new Pipeline(OsProfile.LINUX, Pipeline.Settings.defaults().withMaxConnections(1024), watch);
        try (PacketSource source = CaptureFiles.open(capture())) {
            Frame f;
            while ((f = source.next()) != null) {
                analyzer.onFrame(f);
                watch.evaluate(analyzer);
            }
        }
        assertEquals(List.of(), report.raised);
        assertEquals(0, report.flushes);
    }
}
