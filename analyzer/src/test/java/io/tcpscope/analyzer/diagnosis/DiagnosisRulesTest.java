package io.tcpscope.analyzer.diagnosis;

import static io.tcpscope.analyzer.diagnosis.Segments.ACK;
import static io.tcpscope.analyzer.diagnosis.Segments.CISN;
import static io.tcpscope.analyzer.diagnosis.Segments.FIN;
import static io.tcpscope.analyzer.diagnosis.Segments.MS;
import static io.tcpscope.analyzer.diagnosis.Segments.RST;
import static io.tcpscope.analyzer.diagnosis.Segments.SECOND;
import static io.tcpscope.analyzer.diagnosis.Segments.SISN;
import static io.tcpscope.analyzer.diagnosis.Segments.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.tcp.ConnectionFlag;
import io.tcpscope.analyzer.tcp.Endpoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each per-connection code: a segment sequence that raises it and a close one that does not. */
class DiagnosisRulesTest {

    private static ConnectionRecord one(List<ConnectionRecord> records) {
        assertEquals(1, records.size(), records::toString);
        return records.get(0);
    }

    // ------------------------------------------------------------------ HALF_OPEN

    @Test
    void aCaptureEnding12usAfterTheSynAckIsNotHalfOpen() {
        Segments s = new Segments();
        s.client(0, CISN, 0, SYN, 0).server(12_000, SISN, CISN + 1, SYN | ACK, 0);
        ConnectionRecord r = one(s.end(24_000));
        assertEquals(List.of(), Segments.codes(r));
    }

    @Test
    void aSynAckResentIsHalfOpen() {
        Segments s = new Segments();
        s.client(0, CISN, 0, SYN, 0).server(MS, SISN, CISN + 1, SYN | ACK, 0)
                .server(1001 * MS, SISN, CISN + 1, SYN | ACK, 0);
        ConnectionRecord r = one(s.end(1100 * MS));
        Diagnosis d = Segments.only(r, DiagnosisCode.HALF_OPEN);
        assertEquals(Endpoint.Role.SERVER, d.endpoint());
        assertTrue(d.message().contains("SYN-ACK sent 2 times"), d.message());
    }

    @Test
    void aSingleSynAckOlderThanTheTimeoutIsHalfOpenUntilItIsASynCookie() {
        Segments s = new Segments();
        s.client(0, CISN, 0, SYN, 0).server(MS, SISN, CISN + 1, SYN | ACK, 0);
        assertEquals(List.of("HALF_OPEN"), Segments.codes(one(s.end(1200 * MS))));
        Segments cookie = new Segments();
        cookie.client(0, CISN, 0, SYN, 0).server(MS, SISN, CISN + 1, SYN | ACK, 0);
        ConnectionRecord r = one(cookie.end(3 * SECOND));
        assertTrue(r.has(ConnectionFlag.SYN_COOKIE));
        assertEquals(List.of(), Segments.codes(r));
    }

    // ------------------------------------------------------------------ UNANSWERED_SYN

    @Test
    void synsWithoutAnswerGiveTheSchedule() {
        Segments s = new Segments();
        s.client(0, CISN, 0, SYN, 0).client(SECOND, CISN, 0, SYN, 0).client(3 * SECOND, CISN, 0, SYN, 0);
        Diagnosis d = Segments.only(one(s.end(4 * SECOND)), DiagnosisCode.UNANSWERED_SYN);
        assertTrue(d.message().contains("sent 3 SYNs"), d.message());
        assertTrue(d.message().contains("(sent at 0, +1.0s, +3.0s)"), d.message());
    }

    @Test
    void aSynJustBeforeTheEndIsNotUnanswered() {
        Segments s = new Segments();
        s.client(0, CISN, 0, SYN, 0);
        assertEquals(List.of(), Segments.codes(one(s.end(200 * MS))));
    }

    @Test
    void anAnsweredSynIsNotUnanswered() {
        Segments s = new Segments();
        s.client(0, CISN, 0, SYN, 0).client(SECOND, CISN, 0, SYN, 0).server(SECOND + MS, SISN, CISN + 1, SYN | ACK, 0)
                .client(SECOND + 2 * MS, CISN + 1, SISN + 1, ACK, 0);
        assertFalse(Segments.codes(one(s.end(4 * SECOND))).contains("UNANSWERED_SYN"));
    }

    // ------------------------------------------------------------------ REFUSED, RESET

    @Test
    void aSynAnsweredWithRstIsRefusedNotReset() {
        Segments s = new Segments();
        s.client(0, CISN, 0, SYN, 0).server(MS, 0, CISN + 1, RST | ACK, 0);
        ConnectionRecord r = one(s.end(2 * MS));
        assertEquals(List.of("REFUSED"), Segments.codes(r));
        assertEquals(Endpoint.Role.SERVER, Segments.only(r, DiagnosisCode.REFUSED).endpoint());
    }

    @Test
    void aServerResettingAfterItsReplyIsAnAbortiveClose() {
        Segments s = new Segments();
        s.handshake(0).client(10 * MS, CISN + 1, SISN + 1, ACK, 100).server(11 * MS, SISN + 1, CISN + 101, ACK, 100)
                .client(12 * MS, CISN + 101, SISN + 101, ACK, 0).server(20 * MS, SISN + 101, CISN + 101, RST | ACK, 0);
        Diagnosis d = Segments.only(one(s.end(30 * MS)), DiagnosisCode.RESET);
        assertEquals(Endpoint.Role.SERVER, d.endpoint());
        assertEquals("abortive_close", d.reason());
        assertTrue(d.message().startsWith("server 10.0.0.2:80 sent RST in ESTABLISHED"), d.message());
    }

    @Test
    void aServerResettingInsteadOfAnsweringClosedWithUnreadData() {
        Segments s = new Segments();
        s.handshake(0).client(10 * MS, CISN + 1, SISN + 1, ACK, 1000).server(11 * MS, SISN + 1, CISN + 1001, ACK, 0)
                .server(20 * MS, SISN + 1, CISN + 1001, RST | ACK, 0);
        assertEquals("unread_data", Segments.only(one(s.end(30 * MS)), DiagnosisCode.RESET).reason());
    }

    @Test
    void aRstWithoutAckAnsweringDataIsFromAHostWithoutTheConnection() {
        Segments s = new Segments();
        s.handshake(0).server(10 * MS, SISN + 1, CISN + 1, ACK, 100).client(11 * MS, CISN + 1, 0, RST, 0);
        Diagnosis d = Segments.only(one(s.end(30 * MS)), DiagnosisCode.RESET);
        assertEquals(Endpoint.Role.CLIENT, d.endpoint());
        assertEquals("no_connection", d.reason());
    }

    @Test
    void dataAfterTheReceiverClosedIsAnsweredWithRst() {
        Segments s = new Segments();
        s.handshake(0).client(10 * MS, CISN + 1, SISN + 1, FIN | ACK, 0).server(11 * MS, SISN + 1, CISN + 2, ACK, 0)
                .server(20 * MS, SISN + 1, CISN + 2, ACK, 100).client(21 * MS, CISN + 2, SISN + 101, RST | ACK, 0);
        assertEquals("data_after_close", Segments.only(one(s.end(30 * MS)), DiagnosisCode.RESET).reason());
    }

    @Test
    void anOrderlyCloseRaisesNothing() {
        Segments s = new Segments();
        s.handshake(0).client(10 * MS, CISN + 1, SISN + 1, ACK, 100).server(11 * MS, SISN + 1, CISN + 101, ACK, 100)
                .client(12 * MS, CISN + 101, SISN + 101, FIN | ACK, 0).server(13 * MS, SISN + 101, CISN + 102, FIN | ACK, 0)
                .client(14 * MS, CISN + 102, SISN + 102, ACK, 0);
        assertEquals(List.of(), Segments.codes(one(s.end(20 * MS))));
    }

    // ------------------------------------------------------------------ ZERO_WINDOW_STALL

    private static List<ConnectionRecord> zeroWindow(long stall) {
        Segments s = new Segments();
        s.handshake(0).client(10 * MS, CISN + 1, SISN + 1, ACK, 1000).serverWindow(11 * MS, SISN + 1, CISN + 1001, 0)
                .serverWindow(11 * MS + stall, SISN + 1, CISN + 1001, 502);
        return s.end(11 * MS + stall + 100 * MS);
    }

    @Test
    void aZeroWindowFor2sIsAStallOfTheReceiver() {
        Diagnosis d = Segments.only(one(zeroWindow(2 * SECOND)), DiagnosisCode.ZERO_WINDOW_STALL);
        assertEquals(Endpoint.Role.SERVER, d.endpoint());
        assertEquals(2 * SECOND, d.durationNanos());
    }

    @Test
    void aZeroWindowForHalfASecondIsNot() {
        assertEquals(List.of(), Segments.codes(one(zeroWindow(500 * MS))));
    }

    // ------------------------------------------------------------------ RETRANSMISSIONS

    @Test
    void oneSegmentResentTwiceGivesTheBackoff() {
        Segments s = new Segments();
        s.handshake(0).client(10 * MS, CISN + 1, SISN + 1, ACK, 100).client(210 * MS, CISN + 1, SISN + 1, ACK, 100)
                .client(610 * MS, CISN + 1, SISN + 1, ACK, 100).server(611 * MS, SISN + 1, CISN + 101, ACK, 0);
        Diagnosis d = Segments.only(one(s.end(SECOND)), DiagnosisCode.RETRANSMISSIONS);
        assertEquals(Endpoint.Role.CLIENT, d.endpoint());
        assertTrue(d.message().contains("resent 2 segments"), d.message());
        assertTrue(d.message().contains("resent 2 times, 400ms between two resends"), d.message());
    }

    @Test
    void oneResendIsNotRaised() {
        Segments s = new Segments();
        s.handshake(0).client(10 * MS, CISN + 1, SISN + 1, ACK, 100).client(210 * MS, CISN + 1, SISN + 1, ACK, 100)
                .server(211 * MS, SISN + 1, CISN + 101, ACK, 0);
        ConnectionRecord r = one(s.end(SECOND));
        assertEquals(1, r.client().retransmissions());
        assertEquals(List.of(), Segments.codes(r));
    }

    // ------------------------------------------------------------------ CAPTURE_LOSS

    @Test
    void bytesAckedButNeverCapturedAreCaptureLoss() {
        Segments s = new Segments();
        s.handshake(0).client(10 * MS, CISN + 101, SISN + 1, ACK, 100).server(11 * MS, SISN + 1, CISN + 201, ACK, 0);
        Diagnosis d = Segments.only(one(s.end(SECOND)), DiagnosisCode.CAPTURE_LOSS);
        assertTrue(d.message().startsWith("100 bytes sent by client 10.0.0.1:40000"), d.message());
    }

    @Test
    void bytesAllCapturedAreNoLoss() {
        Segments s = new Segments();
        s.handshake(0).client(10 * MS, CISN + 1, SISN + 1, ACK, 100).server(11 * MS, SISN + 1, CISN + 101, ACK, 0);
        assertEquals(List.of(), Segments.codes(one(s.end(SECOND))));
    }

    // ------------------------------------------------------------------ STUCK_FIN_WAIT_2 (unchanged)

    @Test
    void stuckFinWait2KeepsItsMessage() {
        Segments s = new Segments();
        s.handshake(0).client(10 * MS, CISN + 1, SISN + 1, FIN | ACK, 0).server(11 * MS, SISN + 1, CISN + 2, ACK, 0);
        Diagnosis d = Segments.only(one(s.end(41 * SECOND)), DiagnosisCode.STUCK_FIN_WAIT_2);
        assertEquals("client 10.0.0.1:40000 stuck in FIN_WAIT_2 for 40.9s: server 10.0.0.2:80 is in CLOSE_WAIT and has"
                + " sent nothing for 40.9s; its application never closed the socket", d.message());
    }
}
