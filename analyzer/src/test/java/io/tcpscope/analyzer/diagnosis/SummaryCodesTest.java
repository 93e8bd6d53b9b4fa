package io.tcpscope.analyzer.diagnosis;

import static io.tcpscope.analyzer.diagnosis.Segments.ACK;
import static io.tcpscope.analyzer.diagnosis.Segments.CISN;
import static io.tcpscope.analyzer.diagnosis.Segments.FIN;
import static io.tcpscope.analyzer.diagnosis.Segments.MS;
import static io.tcpscope.analyzer.diagnosis.Segments.SISN;
import static io.tcpscope.analyzer.diagnosis.Segments.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.OsProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SYN_FLOOD and TIME_WAIT_PILEUP, made from records. */
class SummaryCodesTest {

    /** {@code n} spoofed SYNs 1 ms apart, each answered by one SYN-ACK, plus one normal handshake. */
    private static List<ConnectionRecord> flood(int n, long endNanos) {
        Segments s = new Segments();
        s.handshake(0);
        for (int i = 0; i < n; i++) {
            int src = 0x0A630000 + i;
            long t = (10 + i) * MS;
            s.send(t, src, 1024 + i, true, 7000 + i, 0, SYN, 502, 0);
            s.send(t + 10_000, src, 1024 + i, false, 9000 + i, 7001 + i, SYN | ACK, 502, 0);
        }
        return s.end(endNanos);
    }

    private static List<SynFloods.Flood> floods(List<ConnectionRecord> records) {
        SynFloods f = new SynFloods();
        records.forEach(f::add);
        return f.floods();
    }

    @Test
    void sixtyFourUnfinishedHandshakesToOneListenerAreAFlood() {
        List<SynFloods.Flood> floods = floods(flood(SynFloods.MIN_ATTEMPTS, 3_000 * MS));
        assertEquals(1, floods.size());
        SynFloods.Flood f = floods.get(0);
        assertEquals("10.0.0.2:80", f.listener());
        assertEquals(SynFloods.MIN_ATTEMPTS, f.attempts());
        assertEquals(SynFloods.MIN_ATTEMPTS, f.synCookies(), "one SYN-ACK each, never resent: SYN cookies");
        assertTrue(f.cookiesInUse());
        assertEquals(SynFloods.MIN_ATTEMPTS, f.sources());
        assertTrue(f.message().contains("cookies in use"), f.message());
    }

    @Test
    void sixtyThreeAreNot() {
        assertEquals(List.of(), floods(flood(SynFloods.MIN_ATTEMPTS - 1, 3_000 * MS)));
    }

    @Test
    void halfOpensWithResentSynAcksCountAsHalfOpenWithoutCookies() {
        Segments s = new Segments();
        for (int i = 0; i < 70; i++) {
            int src = 0x0A630000 + i;
            long t = i * MS;
            s.send(t, src, 2000, true, 7000, 0, SYN, 502, 0);
            s.send(t + 10_000, src, 2000, false, 9000, 7001, SYN | ACK, 502, 0);
            s.send(t + 1_010 * MS, src, 2000, false, 9000, 7001, SYN | ACK, 502, 0);
        }
        SynFloods.Flood f = floods(s.end(2_000 * MS)).get(0);
        assertEquals(70, f.halfOpen());
        assertEquals(70, f.synAckRetransmissions());
        assertFalse(f.cookiesInUse());
    }

    // ------------------------------------------------------------------ TIME_WAIT

    /** {@code n} connections from 10.0.0.1, closed by the client first (it holds TIME_WAIT). */
    private static List<ConnectionRecord> timeWaits(int n) {
        Segments s = new Segments();
        for (int i = 0; i < n; i++) {
            int port = 40000 + i;
            long t = i * 10 * MS;
            s.send(t, Segments.CLIENT, port, true, CISN, 0, SYN, 502, 0);
            s.send(t + MS, Segments.CLIENT, port, false, SISN, CISN + 1, SYN | ACK, 502, 0);
            s.send(t + 2 * MS, Segments.CLIENT, port, true, CISN + 1, SISN + 1, ACK, 502, 0);
            s.send(t + 3 * MS, Segments.CLIENT, port, true, CISN + 1, SISN + 1, FIN | ACK, 502, 0);
            s.send(t + 4 * MS, Segments.CLIENT, port, false, SISN + 1, CISN + 2, FIN | ACK, 502, 0);
            s.send(t + 5 * MS, Segments.CLIENT, port, true, CISN + 2, SISN + 2, ACK, 502, 0);
        }
        return s.end(n * 10 * MS + 100 * MS);
    }

    @Test
    void theTimeWaitHolderAndItsDeadline() {
        ConnectionRecord r = timeWaits(1).get(0);
        TimeWaits.Hold h = TimeWaits.of(r, OsProfile.LINUX.timeWaitNanos());
        assertEquals(Endpoint.Role.CLIENT, h.holder());
        assertEquals(h.sinceNanos() + 60_000_000_000L, h.untilNanos());
        assertTrue(h.atEnd());
    }

    @Test
    void timeWaitsTowardOneServiceReachingTheThresholdPileUp() {
        TimeWaits tw = new TimeWaits(OsProfile.LINUX.timeWaitNanos(), 5);
        timeWaits(5).forEach(tw::add);
        assertEquals(5L, tw.perHost().get("10.0.0.1"));
        List<TimeWaits.Pileup> p = tw.pileups();
        assertEquals(1, p.size());
        assertEquals("10.0.0.1", p.get(0).hostIp());
        assertEquals("10.0.0.2:80", p.get(0).peer());
        assertEquals(5, p.get(0).count());
    }

    @Test
    void fewerDoNot() {
        TimeWaits tw = new TimeWaits(OsProfile.LINUX.timeWaitNanos(), 5);
        timeWaits(4).forEach(tw::add);
        assertEquals(4L, tw.perHost().get("10.0.0.1"));
        assertEquals(List.of(), tw.pileups());
    }

    @Test
    void theDefaultThresholdIsHalfTheLinuxEphemeralRange() {
        assertEquals((60999 - 32768 + 1) / 2, new TimeWaits(OsProfile.LINUX.timeWaitNanos()).pileupThreshold());
    }
}
