package io.tcpscope.analyzer.tcp;

import io.tcpscope.analyzer.report.CauseText;

import static io.tcpscope.analyzer.decode.TcpSegment.ACK;
import static io.tcpscope.analyzer.decode.TcpSegment.FIN;
import static io.tcpscope.analyzer.decode.TcpSegment.SYN;
import static io.tcpscope.analyzer.tcp.TcpState.CLOSED;
import static io.tcpscope.analyzer.tcp.TcpState.ESTABLISHED;
import static io.tcpscope.analyzer.tcp.TcpState.FIN_WAIT_1;
import static io.tcpscope.analyzer.tcp.TcpState.FIN_WAIT_2;
import static io.tcpscope.analyzer.tcp.TcpState.SYN_SENT;
import static io.tcpscope.analyzer.tcp.TcpState.TIME_WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.engine.Pipeline;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.LinkType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A new SYN on a 4-tuple whose previous connection is over starts a new incarnation (via the {@link Pipeline}). */
class IncarnationTest {
    static final long SECOND = 1_000_000_000L;
    static final long T0 = 1_700_000_000L * SECOND;
    static final int C = 0x0A4D0001;
    static final int S = 0x0A4D0002;

    final List<ConnectionRecord> finished = new ArrayList<>();
    final Pipeline analyzer = new Pipeline(OsProfile.LINUX, Pipeline.Settings.defaults().withMaxConnections(1000), finished::add);
    final Frame frame = new Frame();
    long number;

    /** An Ethernet + IPv4 + TCP frame (no options, no payload). */
    static byte[] tcpFrame(int src, int dst, int sport, int dport, int seq, int ack, int flags) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 20);
        b.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) 40).putShort((short) 1).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 6).putShort((short) 0).putInt(src).putInt(dst);
        b.putShort((short) sport).putShort((short) dport).putInt(seq).putInt(ack)
                .put((byte) 0x50).put((byte) flags).putShort((short) 502).putShort((short) 0).putShort((short) 0);
        return b.array();
    }

    long feed(long nanos, boolean fromClient, int seq, int ack, int flags) {
        byte[] bytes = fromClient ? tcpFrame(C, S, 40001, 8080, seq, ack, flags) : tcpFrame(S, C, 8080, 40001, seq, ack, flags);
        frame.set(++number, nanos, bytes.length, bytes.length, LinkType.ETHERNET, 0, bytes, 0);
        analyzer.onFrame(frame);
        return number;
    }

    /** Handshake and close by the client from ISNs near the wrap; the client ends in TIME_WAIT at T0 + 5 ms. */
    void firstConnectionToTimeWait() {
        int c = 0xFFFFFFFE;
        int s = 0xFFFFFFF0;
        long t = T0;
        feed(t += 1_000_000, true, c, 0, SYN);
        feed(t += 1_000_000, false, s, c + 1, SYN | ACK);
        feed(t += 1_000_000, true, c + 1, s + 1, ACK);
        feed(t += 1_000_000, true, c + 1, s + 1, FIN | ACK);
        feed(t += 1_000_000, false, s + 1, c + 2, FIN | ACK);
        feed(t += 1_000_000, true, c + 2, s + 2, ACK);
    }

    static List<TcpState> states(ConnectionRecord.Side e) {
        return e.timeline().stream().map(Transition::state).collect(Collectors.toList());
    }

    @Test
    void synOnATimeWaitTupleStartsANewConnection() {
        firstConnectionToTimeWait();
        assertEquals(List.of(), finished);
        long newSyn = feed(T0 + 5 * SECOND, true, 0x12345678, 0, SYN);
        assertEquals(1, finished.size(), "the old incarnation is finished when the new SYN arrives");
        ConnectionRecord old = finished.get(0);
        assertEquals(0, old.id());
        assertEquals(List.of(SYN_SENT, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT, CLOSED), states(old.client()));
        assertEquals(CLOSED, old.server().state());
        Transition end = old.client().timeline().get(5);
        assertEquals(newSyn, end.frame());
        assertEquals(T0 + 5 * SECOND, end.timestampNanos());
        assertEquals(Transition.Basis.EVIDENCE, end.basis());
        assertEquals("new SYN on this 4-tuple ended TIME_WAIT (frame " + newSyn + ")", text(end));

        analyzer.finish();
        assertEquals(2, finished.size());
        ConnectionRecord fresh = finished.get(1);
        assertEquals(1, fresh.id());
        assertEquals(newSyn, fresh.firstFrame());
        assertEquals(List.of(SYN_SENT), states(fresh.client()));
        assertEquals(0x12345678, fresh.client().isn());
        assertTrue(fresh.has(ConnectionFlag.PORT_REUSE));
        assertFalse(finished.get(0).has(ConnectionFlag.PORT_REUSE));
        assertEquals(2, analyzer.summary().connections());
    }

    @Test
    void synAfterTwoMslEndsTimeWaitByTheTimer() {
        firstConnectionToTimeWait();
        // TIME_WAIT from the server's FIN (+5 ms), which the client's ACK at +6 ms proves arrived.
        long timeWaitSince = T0 + 5_000_000;
        long newSyn = feed(T0 + 70 * SECOND, true, 0x12345678, 0, SYN);
        ConnectionRecord old = finished.get(0);
        Transition end = old.client().timeline().get(old.client().timeline().size() - 1);
        assertEquals(CLOSED, end.state());
        assertEquals(Transition.Basis.TIMER, end.basis());
        assertEquals(timeWaitSince + 60 * SECOND, end.timestampNanos());
        // Over at its 2MSL deadline, before the new SYN was looked at: the timer is stamped
        // with the connection's own last frame. The record was built when both sides were done:
        // the server's CLOSED rests on the final ACK assumed delivered, so it counts after 2MSL
        // of silence (the server would have resent its FIN by then).
        assertEquals(newSyn - 1, end.frame());
        assertEquals(old.lastFrame(), end.frame());
        assertEquals(old.endNanos() + 60 * SECOND, old.builtNanos());
        assertEquals(ConnectionRecord.End.OVER, old.end());
        assertTrue(text(end).startsWith("timer: TIME_WAIT expired"), text(end));
        analyzer.finish();
        assertEquals(2, finished.size());
        assertEquals(List.of(SYN_SENT), states(finished.get(1).client()));
        assertTrue(finished.get(1).has(ConnectionFlag.PORT_REUSE), "the 4-tuple was used before");
    }

    @Test
    void retransmittedSynOfTheSameIncarnationIsNotANewConnection() {
        feed(T0, true, 0x1000, 0, SYN);
        feed(T0 + SECOND, true, 0x1000, 0, SYN);
        analyzer.finish();
        assertEquals(1, finished.size());
        assertEquals(1, analyzer.summary().connections());
        assertEquals(2, finished.get(0).client().synCount());
    }

    @Test
    void synWithANewIsnOnALiveConnectionIsANewAttempt() {
        // A new connection picks a new ISN (RFC 9293 §3.4.1); the same socket resends its SYN
        // with the same one. So a SYN with another ISN is another attempt: the earlier socket
        // is gone (NEW_ATTEMPT), and the new SYN opens a record of its own.
        feed(T0, true, 0x1000, 0, SYN);
        feed(T0 + 1, false, 0x9000, 0x1001, SYN | ACK);
        feed(T0 + 2, true, 0x1001, 0x9001, ACK);
        feed(T0 + 3, true, 0x5555, 0, SYN);
        analyzer.finish();
        assertEquals(2, finished.size());
        assertEquals(List.of(SYN_SENT, ESTABLISHED, CLOSED), states(finished.get(0).client()));
        assertEquals(ConnectionRecord.End.NEW_INCARNATION, finished.get(0).end());
        assertEquals(List.of(SYN_SENT), states(finished.get(1).client()));
    }

    /** A transition's cause as reports print it. */
    static String text(Transition t) {
        return CauseText.of(t.cause());
    }
}
