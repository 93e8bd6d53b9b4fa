package io.tcpscope.analyzer.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.decode.DecodeResult;
import io.tcpscope.analyzer.decode.PacketDecoder;
import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.diagnosis.SynFloods;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.engine.Pipeline;
import io.tcpscope.analyzer.report.Alerts;
import io.tcpscope.analyzer.tcp.ConnectionFlag;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.analyzer.tcp.TcpState;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.PacketSource;
import io.tcpscope.capture.file.CaptureFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flood generator on a small N: what it writes, and that the analyzer sees what it says. */
class FloodCaptureTest {
    @TempDir
    Path dir;

    static final int SOURCES = 30_000;
    /** A 15 s flood: one legitimate connection at 5 s and one at 15 s, request sockets of three 7 s windows. */
    static final int RATE = 2_000;

    private static boolean real(int ip) {
        return ip == FloodCapture.LONG_LIVED_IP || (ip & 0xffffff00) == FloodCapture.LEGIT_NET;
    }

    @Test
    void theCaptureIsWhatTheClassCommentSays() throws Exception {
        Path file = dir.resolve("flood.pcap");
        FloodCapture.Result r = FloodCapture.write(file, new FloodCapture.Plan(SOURCES, RATE, 7));
        Set<Integer> sources = new HashSet<>();
        long syns = 0;
        long synAcks = 0;
        long previous = Long.MIN_VALUE;
        long frames = 0;
        PacketDecoder decoder = new PacketDecoder();
        TcpSegment s = new TcpSegment();
        try (PacketSource in = CaptureFiles.open(file)) {
            Frame f;
            while ((f = in.next()) != null) {
                frames++;
                assertTrue(f.timestampNanos() >= previous, "time goes forward at frame " + frames);
                previous = f.timestampNanos();
                assertEquals(DecodeResult.TCP, decoder.decode(f.buffer(), f.offset(), f.capturedLength(), f.linkType(), s));
                boolean syn = s.has(TcpSegment.SYN);
                boolean ack = s.has(TcpSegment.ACK);
                if (syn && !ack && !real((int) s.srcLo)) {
                    syns++;
                    sources.add((int) s.srcLo);
                    assertEquals(FloodCapture.LISTENER_PORT, s.dstPort);
                } else if (syn && ack && !real((int) s.dstLo)) {
                    synAcks++;
                }
            }
        }
        assertEquals(r.frames(), frames);
        assertEquals(SOURCES, syns);
        assertEquals(SOURCES, sources.size(), "one SYN per distinct source");
        assertEquals(r.answered() + 2 * r.requestSockets(), synAcks);
        assertEquals(2, r.legit());
        assertEquals(3 * FloodCapture.SYN_BACKLOG, r.requestSockets());
        assertTrue(Math.abs(r.answered() - SOURCES / 2) < SOURCES / 20, "about half answered: " + r.answered());
        assertEquals(SOURCES + synAcks + 9 + 8 * r.legit(), frames, "long-lived 6 + 3 packets, legitimate 8 each");
        Path again = dir.resolve("again.pcap");
        FloodCapture.write(again, new FloodCapture.Plan(SOURCES, RATE, 7));
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(again), "deterministic by seed");
    }

    @Test
    void theLongLivedConnectionSurvivesTheFloodInASmallTable() throws Exception {
        Path file = dir.resolve("flood.pcap");
        FloodCapture.Result r = FloodCapture.write(file, new FloodCapture.Plan(SOURCES, RATE, 7));
        List<ConnectionRecord> records = new ArrayList<>();
        Alerts alerts = new Alerts();
        int limit = 1000;
        Pipeline p = new Pipeline(OsProfile.LINUX, Pipeline.Settings.defaults().withMaxConnections(limit), rec -> {
            records.add(rec);
            alerts.record(rec);
        });
        try (PacketSource in = CaptureFiles.open(file)) {
            Frame f;
            while ((f = in.next()) != null) {
                p.onFrame(f);
            }
        }
        p.finish();
        List<ConnectionRecord> longLived = records.stream()
                .filter(c -> c.client().port() == FloodCapture.LONG_LIVED_PORT).toList();
        assertEquals(1, longLived.size(), "one connection, never split");
        ConnectionRecord l = longLived.get(0);
        assertFalse(l.has(ConnectionFlag.EVICTED), "established connections are not pushed out by spoofed SYNs");
        assertEquals(TcpState.ESTABLISHED, l.client().state());
        assertEquals(TcpState.ESTABLISHED, l.server().state());
        assertEquals(9, l.client().packets() + l.server().packets());
        List<ConnectionRecord> legit = records.stream().filter(c -> c.client().ip().startsWith("203.0.113.")).toList();
        assertEquals(r.legit(), legit.size());
        legit.forEach(c -> assertFalse(c.has(ConnectionFlag.EVICTED), c::toString));
        assertTrue(p.summary().evictions() > SOURCES - 2 * limit, "the half-opens made room: " + p.summary().evictions());
        List<SynFloods.Flood> floods = alerts.floods();
        assertEquals(1, floods.size());
        assertEquals("192.0.2.10:80", floods.get(0).listener());
        assertEquals(SOURCES, floods.get(0).attempts());
        assertEquals(SOURCES, floods.get(0).sources(), "exact below " + SynFloods.MAX_SOURCES);
        assertFalse(floods.get(0).sourcesEstimated());
        SynFloods.Flood f = floods.get(0);
        assertEquals(f.attempts(), f.halfOpen() + f.gaveUp() + f.synCookies() + f.unanswered() + f.undecided());
        // 1000 connections at 2000 SYN/s: evicted half a second after the SYN, before a resend was due
        assertTrue(f.undecided() > r.answered() * 9 / 10, f.message());
        assertTrue(f.message().contains(f.undecided() + " answered and reported before a resent SYN-ACK could tell a"
                + " half-open from a cookie, "), f.message());
    }
}
