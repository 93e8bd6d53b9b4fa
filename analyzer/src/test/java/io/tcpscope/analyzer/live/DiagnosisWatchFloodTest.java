package io.tcpscope.analyzer.live;

import static io.tcpscope.analyzer.diagnosis.Segments.ACK;
import static io.tcpscope.analyzer.diagnosis.Segments.CISN;
import static io.tcpscope.analyzer.diagnosis.Segments.MS;
import static io.tcpscope.analyzer.diagnosis.Segments.SECOND;
import static io.tcpscope.analyzer.diagnosis.Segments.SISN;
import static io.tcpscope.analyzer.diagnosis.Segments.SYN;
import static io.tcpscope.analyzer.diagnosis.Segments.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.diagnosis.Diagnoser;
import io.tcpscope.analyzer.diagnosis.DiagnosisCode;
import io.tcpscope.analyzer.diagnosis.Segments;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.engine.Pipeline;
import io.tcpscope.analyzer.tcp.ConnectionFlag;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.PacketSource;
import io.tcpscope.capture.file.CaptureFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Live verdicts agree with the final ones, and a flood gives one line per listener: evaluated
 * the way live mode does (after packets and on clock ticks), with a 1 s hold (the shortest a
 * user would give), so that the SYN-cookie wait is what keeps HALF_OPEN back.
 */
class DiagnosisWatchFloodTest {
    private static final long HOLD = SECOND;
    private static final long TICK = 100 * MS;

    /** Ticks the watch from {@code from} to {@code to} (T0-relative) without packets. */
    private static void tick(Segments s, DiagnosisWatch w, long from, long to) {
        for (long t = from; t <= to; t += TICK) {
            s.pipeline.advanceClock(T0 + t);
            w.evaluate(s.pipeline);
        }
    }

    @Test
    void aSynCookieIsNeverHalfOpenLive() {
        DiagnosisWatchTest.Recorder report = new DiagnosisWatchTest.Recorder();
        DiagnosisWatch w = new DiagnosisWatch(new Diagnoser(HOLD), report, HOLD);
        Segments s = new Segments(w);
        s.client(0, CISN, 0, SYN, 0);
        w.evaluate(s.pipeline);
        s.server(MS, SISN, CISN + 1, SYN | ACK, 0);
        tick(s, w, 2 * MS, 5 * SECOND);
        List<ConnectionRecord> records = s.end(5 * SECOND);
        assertEquals(List.of(), report.raised);
        assertTrue(records.get(0).has(ConnectionFlag.SYN_COOKIE));
    }

    @Test
    void aResentSynAckIsHalfOpenLiveAndAtTheEnd() {
        DiagnosisWatchTest.Recorder report = new DiagnosisWatchTest.Recorder();
        DiagnosisWatch w = new DiagnosisWatch(new Diagnoser(HOLD), report, HOLD);
        Segments s = new Segments(w);
        s.client(0, CISN, 0, SYN, 0).server(MS, SISN, CISN + 1, SYN | ACK, 0);
        tick(s, w, 2 * MS, 1000 * MS);
        s.server(1001 * MS, SISN, CISN + 1, SYN | ACK, 0);
        tick(s, w, 1002 * MS, 2500 * MS);
        List<ConnectionRecord> records = s.end(2500 * MS);
        assertEquals(List.of("0:HALF_OPEN"), report.raised);
        assertEquals(List.of("HALF_OPEN"), Segments.codes(records.get(0)));
    }

    @Test
    void theSynFloodFixtureGivesOneSynFloodLineAndNoPerConnectionLine() throws Exception {
        DiagnosisWatchTest.Recorder report = new DiagnosisWatchTest.Recorder();
        DiagnosisWatch watch = new DiagnosisWatch(new Diagnoser(HOLD), report, HOLD);
        List<ConnectionRecord> records = new ArrayList<>();
        Pipeline p = new Pipeline(OsProfile.LINUX, Pipeline.Settings.defaults(), r -> {
            watch.record(r);
            records.add(r);
        });
        Path capture = Path.of(System.getProperty("tcpscope.fixtures", "../fixtures"), "syn-flood", "capture.pcap");
        long last = 0;
        try (PacketSource source = CaptureFiles.open(capture)) {
            Frame f;
            while ((f = source.next()) != null) {
                p.onFrame(f);
                watch.evaluate(p);
                last = f.timestampNanos();
            }
        }
        for (long t = last + TICK; t <= last + 20 * SECOND; t += TICK) {
            p.advanceClock(t);
            watch.evaluate(p);
        }
        p.finish();
        assertEquals(1, report.raised.stream().filter(r -> r.endsWith(":" + DiagnosisCode.SYN_FLOOD)).count(),
                report.raised.toString());
        assertEquals(List.of(), report.raised.stream().filter(r -> !r.endsWith(":" + DiagnosisCode.SYN_FLOOD)).toList());
        assertTrue(watch.suppressedTotal() >= 9, "the 9 half-open connections were held back: " + watch.suppressedTotal());
        assertEquals(200, records.stream().filter(r -> r.server().port() == 8080 && !r.client().ip().equals("10.77.0.1"))
                .count());
    }

    @Test
    void linesOfOneCodeAreRateLimited() {
        DiagnosisWatchTest.Recorder report = new DiagnosisWatchTest.Recorder();
        DiagnosisWatch w = new DiagnosisWatch(new Diagnoser(HOLD), report, HOLD);
        Segments s = new Segments(w);
        // 30 clients whose SYNs nobody answers (no listener ever answers: not a flood)
        for (int i = 0; i < 30; i++) {
            s.send(i * MS, 0x0A010000 + i, 40000, true, CISN, 0, SYN, 502, 0);
        }
        tick(s, w, 30 * MS, 3 * SECOND);
        assertEquals(DiagnosisWatch.MAX_LINES_PER_WINDOW, report.raised.size(), report.raised.toString());
        assertEquals(30 - DiagnosisWatch.MAX_LINES_PER_WINDOW, w.suppressedTotal());
        List<ConnectionRecord> records = s.end(3 * SECOND);
        assertEquals(30, records.stream().filter(r -> Segments.codes(r).contains("UNANSWERED_SYN")).count(),
                "the records keep every diagnosis");
        assertTrue(records.stream().noneMatch(r -> r.has(ConnectionFlag.SYN_COOKIE)));
    }

    @Test
    void eventsAreNotRaisedLiveButTheRecordHasThem() {
        DiagnosisWatchTest.Recorder report = new DiagnosisWatchTest.Recorder();
        DiagnosisWatch w = new DiagnosisWatch(new Diagnoser(HOLD), report, HOLD);
        Segments s = new Segments(w);
        s.handshake(0);
        for (int k = 0; k < 4; k++) {
            s.client(10 * MS + k * 600 * MS, CISN + 1, SISN + 1, ACK, 100);
            w.evaluate(s.pipeline);
        }
        s.server(2 * SECOND, SISN + 1, CISN + 101, ACK, 0);
        tick(s, w, 2 * SECOND, 5 * SECOND);
        List<ConnectionRecord> records = s.end(5 * SECOND);
        assertEquals(List.of(), report.raised);
        assertEquals(List.of("RETRANSMISSIONS"), Segments.codes(records.get(0)));
    }
}
