package io.tcpscope.analyzer.tcp;

import io.tcpscope.analyzer.report.CauseText;

import static io.tcpscope.analyzer.decode.TcpSegment.ACK;
import static io.tcpscope.analyzer.decode.TcpSegment.FIN;
import static io.tcpscope.analyzer.decode.TcpSegment.PSH;
import static io.tcpscope.analyzer.decode.TcpSegment.RST;
import static io.tcpscope.analyzer.decode.TcpSegment.SYN;
import static io.tcpscope.analyzer.tcp.TcpState.CLOSED;
import static io.tcpscope.analyzer.tcp.TcpState.CLOSE_WAIT;
import static io.tcpscope.analyzer.tcp.TcpState.CLOSING;
import static io.tcpscope.analyzer.tcp.TcpState.ESTABLISHED;
import static io.tcpscope.analyzer.tcp.TcpState.FIN_WAIT_1;
import static io.tcpscope.analyzer.tcp.TcpState.FIN_WAIT_2;
import static io.tcpscope.analyzer.tcp.TcpState.LAST_ACK;
import static io.tcpscope.analyzer.tcp.TcpState.LISTEN;
import static io.tcpscope.analyzer.tcp.TcpState.SYN_RECEIVED;
import static io.tcpscope.analyzer.tcp.TcpState.SYN_SENT;
import static io.tcpscope.analyzer.tcp.TcpState.TIME_WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.tcp.Transition.Basis;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Both endpoints' state machines driven segment by segment, grouped per state (smoltcp
 * style): each group starts from a builder that chains from the previous state
 * ({@link #established()} starts from {@link #synReceived()}, which starts from
 * {@link #synSent()}). ISNs sit just below 2^32 so that every stream wraps around.
 * The capture point is near the client unless a test says otherwise.
 */
class ConnectionTrackerTest {
    static final long MS = 1_000_000L;
    static final long SECOND = 1_000_000_000L;
    static final long T0 = 1_700_000_000L * SECOND;
    static final int CLIENT_ISN = 0xFFFFFFFA;   // wraps after 5 data bytes
    static final int SERVER_ISN = 0xFFFFFE00;   // wraps after 511 data bytes
    static final int WINDOW = 502;

    final ConnectionTracker tracker = new ConnectionTracker(OsProfile.LINUX);
    Connection c = new Connection(0, false, 4, 0, 0x0A4D0001L, 40001, 0, 0x0A4D0002L, 8080, 1, T0);
    Side client = new Side(c.client());
    Side server = new Side(c.server());
    long frame;
    long now = T0;

    /** One endpoint as the test drives it: next sequence number to send. */
    final class Side {
        final Endpoint e;
        int nxt;
        int window = WINDOW;

        Side(Endpoint e) {
            this.e = e;
        }

        Side peer() {
            return this == client ? server : client;
        }

        /** Sends a segment with explicit numbers; returns its frame number. Time advances 1 ms. */
        long send(int flags, int seq, int ack, int len) {
            TcpSegment s = new TcpSegment();
            s.clear();
            s.ipVersion = 4;
            Endpoint peer = peer().e;
            s.srcLo = e.addressLo();
            s.srcPort = e.port();
            s.dstLo = peer.addressLo();
            s.dstPort = peer.port();
            s.flags = flags;
            s.seq = seq;
            s.ack = (flags & ACK) != 0 ? ack : 0;
            s.window = window;
            s.payloadLength = len;
            s.capturedPayloadLength = len;
            s.tcpHeaderLength = 20;
            now += MS;
            tracker.process(c, e, s, ++frame, now);
            return frame;
        }

        /** Sends at {@link #nxt}, acknowledging everything the peer sent so far, and advances {@link #nxt}. */
        long push(int flags, int len) {
            long f = send(flags, nxt, peer().nxt, len);
            nxt += len + ((flags & SYN) != 0 ? 1 : 0) + ((flags & FIN) != 0 ? 1 : 0);
            return f;
        }

        long syn() {
            nxt = this == client ? CLIENT_ISN : SERVER_ISN;
            return push(SYN, 0);
        }

        long synAck() {
            nxt = this == client ? CLIENT_ISN : SERVER_ISN;
            return push(SYN | ACK, 0);
        }

        long ack() {
            return push(ACK, 0);
        }

        long data(int len) {
            return push(PSH | ACK, len);
        }

        long fin() {
            return push(FIN | ACK, 0);
        }

        long rst() {
            return send(RST | ACK, nxt, peer().nxt, 0);
        }
    }

    // ---------------------------------------------------------------- builders

    ConnectionTrackerTest synSent() {
        client.syn();
        return this;
    }

    ConnectionTrackerTest synReceived() {
        synSent();
        server.synAck();
        return this;
    }

    ConnectionTrackerTest established() {
        synReceived();
        client.ack();
        return this;
    }

    /** Established with some data both ways (crossing both ISN wraps). */
    ConnectionTrackerTest talking() {
        established();
        client.data(100);
        server.data(1000);
        client.ack();
        return this;
    }

    /** The client closed first; its FIN not yet acknowledged. */
    ConnectionTrackerTest clientFinWait1() {
        talking();
        client.fin();
        return this;
    }

    /** The server ACKed the client's FIN: client FIN_WAIT_2, server CLOSE_WAIT. */
    ConnectionTrackerTest clientFinWait2() {
        clientFinWait1();
        server.ack();
        return this;
    }

    /** The server closed too and the client ACKed it: client TIME_WAIT, server CLOSED. */
    ConnectionTrackerTest clientTimeWait() {
        clientFinWait2();
        server.fin();
        client.ack();
        return this;
    }

    /** A connection picked up mid-stream (roles guessed), sequence numbers across the signed and unsigned wraps. */
    ConnectionTrackerTest midstream() {
        c = new Connection(7, true, 4, 0, 0x0A4D0001L, 40001, 0, 0x0A4D0002L, 8080, 1, T0);
        client = new Side(c.client());
        server = new Side(c.server());
        tracker.startMidstream(c, 1, T0);
        client.nxt = 0x7FFFFFA0;
        server.nxt = 0xFFFFFF80;
        return this;
    }

    // ---------------------------------------------------------------- assertions

    static List<TcpState> states(Side s) {
        return s.e.timeline().stream().map(Transition::state).collect(Collectors.toList());
    }

    /** The transition into {@code state} (the last one, if entered twice). */
    static Transition entered(Side s, TcpState state) {
        List<Transition> t = s.e.timeline();
        for (int i = t.size() - 1; i >= 0; i--) {
            if (t.get(i).state() == state) {
                return t.get(i);
            }
        }
        throw new AssertionError(s.e.role() + " never entered " + state + ": " + t);
    }

    static void assertEntered(Side s, TcpState state, long frame, Basis basis, String causeStart) {
        Transition t = entered(s, state);
        assertEquals(frame, t.frame(), () -> s.e.role() + " " + state + " frame: " + t);
        assertEquals(basis, t.basis(), () -> s.e.role() + " " + state + " basis: " + t);
        assertTrue(text(t).startsWith(causeStart), () -> s.e.role() + " " + state + " cause: " + text(t));
    }

    Set<ConnectionFlag> flags() {
        return c.flags();
    }

    void finish(long endNanos) {
        tracker.finish(c, endNanos, frame);
    }

    // ================================================================ opening

    @Nested
    class Opening {
        @Test
        void threeWayHandshake() {
            long syn = client.syn();
            assertEquals(List.of(SYN_SENT), states(client));
            assertEquals(List.of(), states(server));
            long synAck = server.synAck();
            // The client has not shown it got the SYN-ACK yet (the tap is near it).
            assertEquals(List.of(SYN_SENT), states(client));
            assertEquals(List.of(LISTEN, SYN_RECEIVED), states(server));
            long ack = client.ack();
            assertEquals(List.of(SYN_SENT, ESTABLISHED), states(client));
            assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED), states(server));
            assertEntered(client, SYN_SENT, syn, Basis.SEEN, "sent SYN");
            assertEntered(server, LISTEN, syn, Basis.EVIDENCE, "listening");
            assertEntered(server, SYN_RECEIVED, synAck, Basis.SEEN, "sent SYN-ACK");
            assertEntered(client, ESTABLISHED, ack, Basis.EVIDENCE, "received SYN-ACK");
            assertEntered(server, ESTABLISHED, ack, Basis.ASSUMED, "received ACK of our SYN");
            assertEquals(T0 + MS, entered(server, LISTEN).timestampNanos(), "listening since the SYN's time");
            assertEquals(Set.of(), flags());
            assertEquals(CLIENT_ISN, client.e.isn());
            assertEquals(SERVER_ISN, server.e.isn());
        }

        @Test
        void simultaneousOpenSynsCross() {
            long cSyn = client.syn();
            long sSyn = server.syn();               // bare SYN from the "server": SYNs crossed
            assertEquals(List.of(SYN_SENT), states(server));
            long cSynAck = client.synAck();
            assertEquals(List.of(SYN_SENT, SYN_RECEIVED), states(client));
            long sSynAck = server.synAck();
            assertEquals(List.of(SYN_SENT, SYN_RECEIVED, ESTABLISHED), states(client));
            assertEquals(List.of(SYN_SENT, SYN_RECEIVED, ESTABLISHED), states(server));
            assertEntered(client, SYN_SENT, cSyn, Basis.SEEN, "sent SYN");
            assertEntered(server, SYN_SENT, sSyn, Basis.SEEN, "sent SYN");
            assertEntered(client, SYN_RECEIVED, cSynAck, Basis.SEEN, "sent SYN-ACK: received peer's SYN (simultaneous open)");
            assertEntered(server, SYN_RECEIVED, sSynAck, Basis.SEEN, "sent SYN-ACK");
            assertEntered(server, ESTABLISHED, sSynAck, Basis.ASSUMED, "received ACK of our SYN");
            assertEntered(client, ESTABLISHED, sSynAck, Basis.ASSUMED, "received ACK of our SYN");
            assertTrue(flags().contains(ConnectionFlag.SIMULTANEOUS_OPEN), flags().toString());
        }

        @Test
        void refusedSynAnsweredWithRstAck() {
            long syn = client.syn();
            long rst = server.send(RST | ACK, 0, CLIENT_ISN + 1, 0);
            assertEquals(List.of(SYN_SENT, CLOSED), states(client));
            assertEquals(List.of(CLOSED), states(server));
            assertEntered(client, SYN_SENT, syn, Basis.SEEN, "sent SYN");
            assertEntered(client, CLOSED, rst, Basis.ASSUMED, "received RST: connection refused");
            assertEntered(server, CLOSED, rst, Basis.SEEN, "sent RST to SYN: no listener");
            assertEquals(EnumSet.of(ConnectionFlag.RESET, ConnectionFlag.REFUSED), EnumSet.copyOf(flags()));
        }

        @Test
        void rstThatDoesNotAckTheSynIsIgnoredInSynSent() {
            client.syn();
            server.send(RST | ACK, 0, CLIENT_ISN + 7, 0);  // RFC 9293 §3.10.7.3: unacceptable ACK
            assertEquals(List.of(SYN_SENT), states(client));
            assertTrue(flags().contains(ConnectionFlag.RST_IGNORED));
            assertFalse(flags().contains(ConnectionFlag.REFUSED));
        }

        @Test
        void unansweredSynRetransmittedStaysSynSent() {
            long first = client.syn();
            now += SECOND;
            client.syn();
            now += 2 * SECOND;
            client.syn();
            assertEquals(List.of(SYN_SENT), states(client));
            assertEquals(3, client.e.synCount());
            assertEquals(2, client.e.synRetransmissions());
            assertEntered(client, SYN_SENT, first, Basis.SEEN, "sent SYN");
            assertEquals(EnumSet.of(ConnectionFlag.SYN_RETRANSMITTED), EnumSet.copyOf(flags()));
            finish(now);
            assertEquals(List.of(SYN_SENT), states(client));
            assertEquals(List.of(CLOSED), states(server));
            assertEquals("no segment from it shows a connection", text(entered(server, CLOSED)));
        }

        @Test
        void synSentGivesUpAfter127SecondsOfCaptureTime() {
            client.syn();
            long firstSyn = now;
            finish(firstSyn + 127 * SECOND);
            assertEquals(List.of(SYN_SENT, CLOSED), states(client));
            Transition t = entered(client, CLOSED);
            assertEquals(Basis.TIMER, t.basis());
            assertEquals(firstSyn + 127 * SECOND, t.timestampNanos());
            assertTrue(text(t).startsWith("timer: SYN retries exhausted"), text(t));
        }

        @Test
        void synSentNotGivenUpBefore127Seconds() {
            client.syn();
            finish(now + 127 * SECOND - 1);
            assertEquals(List.of(SYN_SENT), states(client));
        }

        @Test
        void synCookieSynAckNeverRetransmitted() {
            client.syn();
            long synAck = server.synAck();
            long synAckAt = now;
            finish(synAckAt + 1500 * MS);
            assertEquals(List.of(CLOSED), states(server));
            assertEquals(List.of(SYN_SENT), states(client));
            assertEntered(server, CLOSED, synAck, Basis.EVIDENCE, "SYN-ACK never retransmitted: answered with a SYN cookie");
            assertTrue(flags().contains(ConnectionFlag.SYN_COOKIE));
        }

        @Test
        void noSynCookieBeforeOneAndAHalfSeconds() {
            client.syn();
            server.synAck();
            finish(now + 1500 * MS - 1);
            assertEquals(List.of(LISTEN, SYN_RECEIVED), states(server));
            assertFalse(flags().contains(ConnectionFlag.SYN_COOKIE));
        }

        @Test
        void retransmittedSynAckIsNoSynCookie() {
            client.syn();
            server.synAck();
            now += SECOND;
            server.synAck();
            // The next resend would be due by +2 s: the capture ends before that.
            finish(now + 2 * SECOND);
            assertEquals(List.of(LISTEN, SYN_RECEIVED), states(server));
            assertEquals(2, server.e.synCount());
            assertFalse(flags().contains(ConnectionFlag.SYN_COOKIE));
        }

        @Test
        void synAckResendsThatStopMeanTheRequestWasDropped() {
            client.syn();
            server.synAck();
            now += SECOND;
            server.synAck();
            long lastResend = server.e.lastSynNanos();
            finish(now + 10 * SECOND);
            assertEquals(List.of(LISTEN, SYN_RECEIVED, CLOSED), states(server));
            Transition gaveUp = server.e.timeline().get(2);
            assertEquals(Basis.TIMER, gaveUp.basis());
            // Closed when the next resend (twice the last interval later) did not come.
            assertEquals(lastResend + 2 * (lastResend - server.e.previousSynNanos()), gaveUp.timestampNanos());
            assertTrue(text(gaveUp).startsWith("timer: gave up, SYN-ACK resends stopped"), text(gaveUp));
        }

        @Test
        void synResendsStillExpectedAreNoGiveUp() {
            client.syn();
            now += SECOND;
            client.syn();
            now += 2 * SECOND;
            client.syn();
            finish(now + 4 * SECOND + 300 * MS);
            assertEquals(List.of(SYN_SENT), states(client), "4.3 s of silence after a 2 s interval is within 2.2 intervals");
        }

        @Test
        void synResendsThatStopMeanTheClientGaveUp() {
            client.syn();
            now += SECOND;
            client.syn();
            now += 2 * SECOND;
            client.syn();
            finish(now + 5 * SECOND);
            assertEquals(List.of(SYN_SENT, CLOSED), states(client));
        }
    }

    // ================================================================ established

    @Nested
    class Established {
        @Test
        void dataAcrossTheWrapChangesNoState() {
            talking();
            assertEquals(List.of(SYN_SENT, ESTABLISHED), states(client));
            assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED), states(server));
            assertEquals(CLIENT_ISN + 101, client.nxt);
            assertTrue(Integer.compareUnsigned(client.nxt, CLIENT_ISN) < 0, "client stream wrapped");
            assertTrue(Integer.compareUnsigned(server.nxt, SERVER_ISN) < 0, "server stream wrapped");
            assertEquals(Set.of(), flags());
            assertEquals(0, client.e.missedBytes() + server.e.missedBytes());
            assertEquals(0, client.e.retransmissions() + server.e.retransmissions());
        }

        @Test
        void rstFromClient() {
            talking();
            long rst = client.rst();
            assertEquals(List.of(SYN_SENT, ESTABLISHED, CLOSED), states(client));
            assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED, CLOSED), states(server));
            assertEntered(client, CLOSED, rst, Basis.SEEN, "sent RST");
            assertEntered(server, CLOSED, rst, Basis.ASSUMED, "received RST");
            assertEquals(EnumSet.of(ConnectionFlag.RESET), EnumSet.copyOf(flags()));
        }

        @Test
        void rstFromServer() {
            talking();
            long rst = server.rst();
            assertEquals(List.of(SYN_SENT, ESTABLISHED, CLOSED), states(client));
            assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED, CLOSED), states(server));
            assertEntered(server, CLOSED, rst, Basis.SEEN, "sent RST");
            assertEntered(client, CLOSED, rst, Basis.ASSUMED, "received RST");
        }

        @Test
        void rstOutsideTheWindowIsIgnored() {
            talking();
            // RFC 5961 §3: far beyond what the client expects next.
            long rst = server.send(RST | ACK, server.nxt + 1_000_000, client.nxt, 0);
            assertEquals(List.of(SYN_SENT, ESTABLISHED), states(client));
            assertEquals(ESTABLISHED, client.e.state());
            assertEntered(server, CLOSED, rst, Basis.SEEN, "sent RST");
            assertTrue(flags().contains(ConnectionFlag.RST_IGNORED), flags().toString());
        }

        @Test
        void rstBelowTheWindowIsIgnored() {
            talking();
            client.send(RST, client.nxt - 5000, 0, 0);
            assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED), states(server));
            assertTrue(flags().contains(ConnectionFlag.RST_IGNORED), flags().toString());
        }

        @Test
        void rstInTheWindowButNotAtRcvNxtIsIgnored() {
            talking();
            // RFC 5961 §3.2 as Linux applies it (tcp_validate_incoming): inside the window but
            // not exactly RCV.NXT draws a challenge ACK and changes nothing.
            long rst = server.send(RST, server.nxt + WINDOW - 1, 0, 0);
            assertEquals(List.of(SYN_SENT, ESTABLISHED), states(client));
            assertEntered(server, CLOSED, rst, Basis.SEEN, "sent RST");
            assertTrue(flags().contains(ConnectionFlag.RST_IGNORED), flags().toString());
        }

        @Test
        void rstAtRcvNxtAcrossTheWrapIsAccepted() {
            talking();
            assertTrue(Integer.compareUnsigned(server.nxt, SERVER_ISN) < 0, "server stream wrapped");
            long rst = server.send(RST, server.nxt, 0, 0);
            assertEquals(List.of(SYN_SENT, ESTABLISHED, CLOSED), states(client));
            assertEntered(client, CLOSED, rst, Basis.ASSUMED, "received RST");
            assertFalse(flags().contains(ConnectionFlag.RST_IGNORED));
        }

        @Test
        void keepaliveIsNotDataNorRetransmission() {
            talking();
            // Linux keepalive: seq = SND.UNA - 1, no data.
            client.send(ACK, client.nxt - 1, server.nxt, 0);
            server.ack();
            // A keepalive with one garbage byte, as some stacks send.
            client.send(ACK, client.nxt - 1, server.nxt, 1);
            assertEquals(List.of(SYN_SENT, ESTABLISHED), states(client));
            assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED), states(server));
            assertEquals(2, client.e.keepalives());
            assertEquals(0, client.e.zeroWindowProbes());
            assertEquals(0, client.e.retransmissions());
            assertEquals(EnumSet.of(ConnectionFlag.KEEPALIVE), EnumSet.copyOf(flags()));
        }

        @Test
        void zeroWindowProbe() {
            talking();
            server.window = 0;
            server.ack();                            // the server's window closes
            client.send(ACK, client.nxt - 1, server.nxt, 0);  // probe
            client.send(ACK, client.nxt - 1, server.nxt, 0);  // and again
            assertEquals(2, client.e.zeroWindowProbes());
            assertEquals(0, client.e.keepalives());
            assertTrue(server.e.zeroWindowSinceNanos() > 0);
            server.window = WINDOW;
            server.ack();                            // reopens
            assertEquals(-1, server.e.zeroWindowSinceNanos());
            assertEquals(List.of(SYN_SENT, ESTABLISHED), states(client));
            assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED), states(server));
            assertEquals(EnumSet.of(ConnectionFlag.ZERO_WINDOW, ConnectionFlag.ZERO_WINDOW_PROBE), EnumSet.copyOf(flags()));
            assertEquals(0, client.e.retransmissions());
        }

        @Test
        void dataRetransmissionIsFlagged() {
            talking();
            int seq = client.nxt;
            client.data(50);
            client.send(PSH | ACK, seq, server.nxt, 50);
            assertEquals(1, client.e.retransmissions());
            assertTrue(flags().contains(ConnectionFlag.RETRANSMISSIONS));
            assertEquals(ESTABLISHED, client.e.state());
        }

        @Test
        void bytesAckedButNeverCapturedAreCaptureLoss() {
            talking();
            client.nxt += 300;                       // 300 bytes the capture missed
            server.ack();
            assertEquals(300, client.e.missedBytes());
            assertTrue(flags().contains(ConnectionFlag.CAPTURE_LOSS));
            assertEquals(ESTABLISHED, client.e.state());
            assertEquals(ESTABLISHED, server.e.state());
        }

        @Test
        void midstreamPickupAssumesBothEstablished() {
            midstream();
            long first = client.data(200);
            assertEquals(List.of(ESTABLISHED), states(client));
            assertEquals(List.of(ESTABLISHED), states(server));
            assertEntered(client, ESTABLISHED, 1, Basis.ASSUMED, "assumed: mid-stream (no handshake captured)");
            assertEntered(server, ESTABLISHED, 1, Basis.ASSUMED, "assumed: mid-stream (no handshake captured)");
            server.ack();
            long fin = client.fin();
            long finAck = server.ack();
            long serverFin = server.fin();
            long lastAck = client.ack();
            assertEquals(List.of(ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT), states(client));
            assertEquals(List.of(ESTABLISHED, CLOSE_WAIT, LAST_ACK, CLOSED), states(server));
            assertEntered(client, FIN_WAIT_1, fin, Basis.SEEN, "sent FIN");
            assertEntered(server, CLOSE_WAIT, finAck, Basis.EVIDENCE, "received FIN");
            assertEntered(server, LAST_ACK, serverFin, Basis.SEEN, "sent FIN");
            assertEntered(client, TIME_WAIT, lastAck, Basis.EVIDENCE, "received FIN");
            assertEquals(1, first);
            assertEquals(EnumSet.of(ConnectionFlag.MIDSTREAM, ConnectionFlag.ROLE_GUESSED), EnumSet.copyOf(flags()));
            assertEquals(0, client.e.missedBytes() + server.e.missedBytes());
        }
    }

    // ================================================================ closing

    @Nested
    class Closing {
        @Test
        void closeByClient() {
            talking();
            long fin = client.fin();
            assertEquals(List.of(SYN_SENT, ESTABLISHED, FIN_WAIT_1), states(client));
            assertEquals(ESTABLISHED, server.e.state(), "the server has not shown it got the FIN");
            long finAck = server.ack();
            assertEquals(FIN_WAIT_2, client.e.state());
            assertEquals(CLOSE_WAIT, server.e.state());
            long serverFin = server.fin();
            long lastAck = client.ack();
            assertEquals(List.of(SYN_SENT, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT), states(client));
            assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT, LAST_ACK, CLOSED), states(server));
            assertEntered(client, FIN_WAIT_1, fin, Basis.SEEN, "sent FIN");
            assertEntered(client, FIN_WAIT_2, finAck, Basis.ASSUMED, "peer ACKed our FIN");
            assertEntered(server, CLOSE_WAIT, finAck, Basis.EVIDENCE, "received FIN (ACKed it in frame " + finAck + ")");
            assertEntered(server, LAST_ACK, serverFin, Basis.SEEN, "sent FIN");
            assertEntered(client, TIME_WAIT, lastAck, Basis.EVIDENCE, "received FIN (ACKed it in frame " + lastAck + ")");
            assertEntered(server, CLOSED, lastAck, Basis.ASSUMED, "peer ACKed our FIN");
            assertEquals(Set.of(), flags());
        }

        @Test
        void closeByServer() {
            talking();
            long fin = server.fin();
            long finAck = client.ack();
            long clientFin = client.fin();
            long lastAck = server.ack();
            assertEquals(List.of(SYN_SENT, ESTABLISHED, CLOSE_WAIT, LAST_ACK, CLOSED), states(client));
            assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT), states(server));
            assertEntered(server, FIN_WAIT_1, fin, Basis.SEEN, "sent FIN");
            assertEntered(client, CLOSE_WAIT, finAck, Basis.EVIDENCE, "received FIN");
            assertEntered(server, FIN_WAIT_2, finAck, Basis.ASSUMED, "peer ACKed our FIN");
            assertEntered(client, LAST_ACK, clientFin, Basis.SEEN, "sent FIN");
            assertEntered(server, TIME_WAIT, lastAck, Basis.EVIDENCE, "received FIN");
            assertEntered(client, CLOSED, lastAck, Basis.ASSUMED, "peer ACKed our FIN");
        }

        @Test
        void finAndAckOfThePeersFinInOneSegment() {
            clientFinWait1();
            long finAck = server.fin();               // FIN|ACK acknowledging the client's FIN
            assertEquals(List.of(SYN_SENT, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2), states(client));
            assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT, LAST_ACK), states(server));
            long lastAck = client.ack();
            assertEquals(List.of(SYN_SENT, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT), states(client));
            assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT, LAST_ACK, CLOSED), states(server));
            assertEntered(server, CLOSE_WAIT, finAck, Basis.EVIDENCE, "received FIN");
            assertEntered(server, LAST_ACK, finAck, Basis.SEEN, "sent FIN");
            assertEntered(client, FIN_WAIT_2, finAck, Basis.ASSUMED, "peer ACKed our FIN");
            assertEntered(client, TIME_WAIT, lastAck, Basis.EVIDENCE, "received FIN");
            assertFalse(flags().contains(ConnectionFlag.SIMULTANEOUS_CLOSE));
        }

        @Test
        void simultaneousCloseFinsCross() {
            talking();
            int clientFinSeq = client.nxt;
            long clientFin = client.fin();
            // The server's FIN does not acknowledge the client's: it left before the client's FIN arrived.
            long serverFin = server.send(FIN | ACK, server.nxt, clientFinSeq, 0);
            server.nxt += 1;
            assertEquals(FIN_WAIT_1, client.e.state());
            assertEquals(FIN_WAIT_1, server.e.state());
            long clientAck = client.ack();            // covers the server's FIN
            long serverAck = server.ack();            // covers the client's FIN
            assertEquals(List.of(SYN_SENT, ESTABLISHED, FIN_WAIT_1, CLOSING, TIME_WAIT), states(client));
            assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, CLOSING, TIME_WAIT), states(server));
            assertEntered(client, FIN_WAIT_1, clientFin, Basis.SEEN, "sent FIN");
            assertEntered(server, FIN_WAIT_1, serverFin, Basis.SEEN, "sent FIN");
            assertEntered(client, CLOSING, clientAck, Basis.EVIDENCE, "received FIN before the ACK of ours (simultaneous close)");
            assertEntered(server, CLOSING, clientAck, Basis.ASSUMED, "received FIN before the ACK of ours (simultaneous close)");
            assertEntered(server, TIME_WAIT, clientAck, Basis.ASSUMED, "peer ACKed our FIN");
            assertEntered(client, TIME_WAIT, serverAck, Basis.ASSUMED, "peer ACKed our FIN");
            assertTrue(flags().contains(ConnectionFlag.SIMULTANEOUS_CLOSE), flags().toString());
        }

        @Test
        void halfCloseDataFlowsAfterTheFin() {
            clientFinWait2();
            long d1 = server.data(3000);
            client.ack();
            server.data(700);
            client.ack();
            assertEquals(List.of(SYN_SENT, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2), states(client));
            assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT), states(server));
            assertTrue(flags().contains(ConnectionFlag.HALF_CLOSE), flags().toString());
            long serverFin = server.fin();
            long lastAck = client.ack();
            assertEquals(List.of(SYN_SENT, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT), states(client));
            assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT, LAST_ACK, CLOSED), states(server));
            assertEntered(server, LAST_ACK, serverFin, Basis.SEEN, "sent FIN");
            assertEntered(client, TIME_WAIT, lastAck, Basis.EVIDENCE, "received FIN");
            assertEquals(1000 + 3000 + 700, server.e.payloadBytes());
            assertTrue(d1 < serverFin);
            assertEquals(0, client.e.missedBytes() + server.e.missedBytes());
        }

        @Test
        void finLostAfterTheCapturePoint() {
            talking();
            int finSeq = client.nxt;
            long fin = client.fin();
            // The server's next segment does not cover the FIN: it never got it.
            long notCovering = server.send(PSH | ACK, server.nxt, finSeq, 100);
            server.nxt += 100;
            assertEquals(ESTABLISHED, server.e.state());
            assertEquals(FIN_WAIT_1, client.e.state());
            long retransmitted = client.send(FIN | ACK, finSeq, server.nxt, 0);
            assertEquals(ESTABLISHED, server.e.state(), "not before the covering ACK");
            long covering = server.ack();
            assertEquals(List.of(SYN_SENT, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2), states(client));
            assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT), states(server));
            assertEntered(server, CLOSE_WAIT, covering, Basis.EVIDENCE, "received FIN (ACKed it in frame " + covering + ")");
            assertEntered(client, FIN_WAIT_1, fin, Basis.SEEN, "sent FIN");
            assertEntered(client, FIN_WAIT_2, covering, Basis.ASSUMED, "peer ACKed our FIN");
            assertTrue(notCovering < retransmitted && retransmitted < covering);
            assertTrue(flags().contains(ConnectionFlag.RETRANSMISSIONS), flags().toString());
            assertFalse(flags().contains(ConnectionFlag.FIN_NOT_SEEN));
        }

        @Test
        void finNeverCapturedProvenByThePeersAck() {
            talking();
            client.nxt += 1;                          // the client's FIN, lost before the capture point
            long ack = server.ack();                  // ACKs one past the client's last byte
            assertEquals(List.of(SYN_SENT, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2), states(client));
            assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT), states(server));
            assertEntered(client, FIN_WAIT_1, ack, Basis.EVIDENCE, "implied: peer ACKed a FIN the capture missed");
            assertEntered(server, CLOSE_WAIT, ack, Basis.EVIDENCE, "received FIN");
            server.fin();
            long lastAck = client.ack();
            assertEquals(List.of(SYN_SENT, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT), states(client));
            assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT, LAST_ACK, CLOSED), states(server));
            assertEntered(client, TIME_WAIT, lastAck, Basis.EVIDENCE, "received FIN");
            assertTrue(flags().contains(ConnectionFlag.FIN_NOT_SEEN), flags().toString());
            assertFalse(flags().contains(ConnectionFlag.CAPTURE_LOSS), "the FIN is not a missed data byte");
            assertEquals(0, client.e.missedBytes());
        }

        @Test
        void finNeverCapturedProvenByTheSendersNextSeq() {
            talking();
            server.data(200);
            client.nxt += 1;                          // FIN lost before the capture point
            long next = client.ack();                 // seq one past its last byte
            assertEquals(List.of(SYN_SENT, ESTABLISHED, FIN_WAIT_1), states(client));
            assertEntered(client, FIN_WAIT_1, next, Basis.EVIDENCE, "implied by sequence number: FIN not captured");
            assertEquals(ESTABLISHED, server.e.state(), "nothing shows the server got it yet");
            long finAck = server.ack();
            assertEquals(List.of(SYN_SENT, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2), states(client));
            assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT), states(server));
            assertEntered(server, CLOSE_WAIT, finAck, Basis.EVIDENCE, "received FIN");
            assertTrue(flags().contains(ConnectionFlag.FIN_NOT_SEEN), flags().toString());
        }

        @Test
        void retransmittedFinAfterThePeersAckRetractsFinWait2() {
            talking();
            int finSeq = client.nxt;
            client.fin();
            long firstAck = server.ack();
            assertEquals(FIN_WAIT_2, client.e.state());
            // The client sends its FIN again: the server's ACK never reached it.
            client.send(FIN | ACK, finSeq, server.nxt, 0);
            assertEquals(List.of(SYN_SENT, ESTABLISHED, FIN_WAIT_1), states(client));
            long secondAck = server.ack();
            assertEquals(List.of(SYN_SENT, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2), states(client));
            assertEntered(client, FIN_WAIT_2, secondAck, Basis.ASSUMED, "peer ACKed our FIN");
            // The server did get the FIN: its first ACK covered it.
            assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT), states(server));
            assertEntered(server, CLOSE_WAIT, firstAck, Basis.EVIDENCE, "received FIN");
            assertEquals(1, client.e.retransmissions());
        }

        @Test
        void finNeverAcknowledgedWasNotReceived() {
            // A receiver ACKs a FIN at once: whether the capture stopped right after it or
            // later in silence, the server had not processed it.
            clientFinWait1();
            finish(now + SECOND);
            assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED), states(server));
            assertEquals(List.of(SYN_SENT, ESTABLISHED, FIN_WAIT_1), states(client));
        }
    }

    // ================================================================ timers

    @Nested
    class TimeWait {
        @Test
        void timeWaitEndsAfter60SecondsOfCaptureTime() {
            clientTimeWait();
            long since = entered(client, TIME_WAIT).timestampNanos();
            long last = frame;
            finish(since + 60 * SECOND);
            assertEquals(List.of(SYN_SENT, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT, CLOSED), states(client));
            Transition t = entered(client, CLOSED);
            assertEquals(Basis.TIMER, t.basis());
            assertEquals(since + 60 * SECOND, t.timestampNanos());
            assertEquals(last, t.frame());
            assertEquals("timer: TIME_WAIT expired (Linux: 60 s)", text(t));
            assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT, LAST_ACK, CLOSED), states(server));
        }

        @Test
        void timeWaitStillHeldJustBefore60Seconds() {
            clientTimeWait();
            long since = entered(client, TIME_WAIT).timestampNanos();
            finish(since + 60 * SECOND - 1);
            assertEquals(List.of(SYN_SENT, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT), states(client));
        }

        @Test
        void finishRunsOnce() {
            clientTimeWait();
            long since = entered(client, TIME_WAIT).timestampNanos();
            finish(since + SECOND);
            finish(since + 100 * SECOND);
            assertEquals(TIME_WAIT, client.e.state());
            assertTrue(c.finished());
        }
    }

    // ================================================================ issue 13: harder vantage points

    @Nested
    class GiveUp {
        /** The client resends its last data segment at {@code gaps} (ms) while the server is silent. */
        long resendData(long... gapsMs) {
            int seq = client.nxt;
            client.data(500);
            long f = 0;
            for (long gap : gapsMs) {
                now += gap * MS;
                f = client.send(PSH | ACK, seq, server.nxt, 500);
            }
            return f;
        }

        @Test
        void dataResendsThatStopWhileThePeerIsSilentMeanTheSenderGaveUp() {
            talking();
            long last = resendData(200, 400, 800);
            long lastNanos = now;
            finish(now + 2 * SECOND);
            assertEquals(List.of(SYN_SENT, ESTABLISHED, CLOSED), states(client));
            Transition gaveUp = entered(client, CLOSED);
            assertEquals(Basis.TIMER, gaveUp.basis());
            assertEquals(lastNanos + 2 * 801 * MS, gaveUp.timestampNanos(), "when the next resend was due");
            assertTrue(text(gaveUp).startsWith("timer: gave up, data resends stopped after frame " + last), text(gaveUp));
            assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED), states(server), "a give-up sends nothing");
        }

        @Test
        void finResendsThatStopMeanTheOrphanGaveUp() {
            talking();
            int finSeq = client.nxt;
            client.fin();
            now += 200 * MS;
            client.send(FIN | ACK, finSeq, server.nxt, 0);
            now += 400 * MS;
            client.send(FIN | ACK, finSeq, server.nxt, 0);
            finish(now + SECOND);
            assertEquals(List.of(SYN_SENT, ESTABLISHED, FIN_WAIT_1, CLOSED), states(client));
            assertTrue(text(entered(client, CLOSED)).startsWith("timer: gave up, data/FIN"));
        }

        @Test
        void noGiveUpWhileTheNextResendMayStillCome() {
            talking();
            resendData(200, 400, 800);
            finish(now + 1700 * MS);
            assertEquals(ESTABLISHED, client.e.state(), "1.7 s after an interval of 0.8 s: within 2.2 intervals");
        }

        @Test
        void noGiveUpWhenThePeerAnswers() {
            talking();
            resendData(200, 400);
            server.send(ACK, server.nxt, client.nxt - 500, 0);
            now += 800 * MS;
            client.send(PSH | ACK, client.nxt - 500, server.nxt, 500);
            finish(now + 10 * SECOND);
            assertEquals(ESTABLISHED, client.e.state(), "the peer answered during the resends");
        }

        @Test
        void aOneSidedCaptureShowsNoSilence() {
            c = new Connection(9, true, 4, 0, 0x0A4D0001L, 40001, 0, 0x0A4D0002L, 8080, 1, T0);
            client = new Side(c.client());
            server = new Side(c.server());
            tracker.startMidstream(c, 1, T0);
            client.nxt = 1000;
            server.nxt = 5000;
            resendData(200, 400, 800);                        // the server's answers are not in this capture
            finish(now + 10 * SECOND);
            assertEquals(ESTABLISHED, client.e.state(), "the ACK that ended the resends may be invisible");
        }

        @Test
        void oneResendGivesNoIntervalToJudgeBy() {
            talking();
            resendData(200);
            finish(now + 10 * SECOND);
            assertEquals(ESTABLISHED, client.e.state());
        }
    }

    @Nested
    class ForgedResets {
        @Test
        void rstWhoseSenderGoesOnSendingWasNotItsOwn() {
            talking();
            // Forged with the server's address, beyond its SND.NXT: nothing tells at once.
            long forged = server.send(RST | ACK, server.nxt + 3000, client.nxt, 0);
            assertEquals(CLOSED, server.e.state());
            assertEquals(ESTABLISHED, client.e.state(), "in the window, not RCV.NXT: challenge ACK, ignored");
            client.send(ACK, client.nxt, server.nxt, 0);      // the challenge ACK
            long data = server.data(200);                     // the server goes on: it never reset
            assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED), states(server),
                    "the RST of frame " + forged + " is taken back by frame " + data);
            assertTrue(flags().contains(ConnectionFlag.FORGED_RST), flags().toString());
            assertFalse(flags().contains(ConnectionFlag.INCONSISTENT), flags().toString());
            server.fin();
            client.ack();
            assertEquals(CLOSE_WAIT, client.e.state());
            assertEquals(FIN_WAIT_2, server.e.state());
        }

        @Test
        void aPureAckAtItsSndNxtAfterItsRstAlsoShowsTheRstWasForged() {
            talking();
            client.send(RST | ACK, client.nxt + 3000, server.nxt, 0);
            assertEquals(CLOSED, client.e.state());
            server.data(100);
            client.ack();                                    // a closed Linux port would answer RST
            assertEquals(List.of(SYN_SENT, ESTABLISHED), states(client));
            assertEquals(ESTABLISHED, server.e.state());
        }

        @Test
        void aCopyOfAnAckSentBeforeTheRstTakesNothingBack() {
            talking();
            client.ack();
            client.send(RST | ACK, client.nxt, server.nxt, 0);   // its own RST, at SND.NXT
            client.send(ACK, client.nxt, server.nxt, 0);         // 1 ms later, nothing new: a copy can be that
            assertEquals(CLOSED, client.e.state());
            now += 100 * MS;
            client.send(ACK, client.nxt, server.nxt, 0);         // later than any copy: the socket lives
            assertEquals(ESTABLISHED, client.e.state());
            assertTrue(flags().contains(ConnectionFlag.FORGED_RST));
        }

        @Test
        void rstBelowItsSenderSndNxtIsNotALinuxStacksOwn() {
            talking();
            // Linux's own RST carries SND.NXT (tcp_acceptable_seq) or, with no socket, the ACK it
            // answers: one below SND.NXT that is neither is another host's.
            server.send(RST | ACK, server.nxt - 1, client.nxt, 0);
            assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED), states(server));
            assertEquals(ESTABLISHED, client.e.state(), "RCV.NXT - 1 in ESTABLISHED: dropped");
            assertTrue(flags().contains(ConnectionFlag.FORGED_RST));
        }

        @Test
        void rstAtRcvNxtMinusOneIsAcceptedInCloseWait() {
            clientFinWait2();                                // server CLOSE_WAIT, RCV.NXT = client FIN + 1
            long rst = client.send(RST | ACK, client.nxt - 1, server.nxt, 0);
            assertEquals(CLOSED, server.e.state(), "Linux tcp_reset_check: RCV.NXT - 1 after the peer's FIN");
            assertEntered(server, CLOSED, rst, Basis.ASSUMED, "received RST");
            assertEquals(FIN_WAIT_2, client.e.state(), "the FIN's own number is no RST of a Linux client");
        }

        @Test
        void rstAtRcvNxtMinusOneIsDroppedInEstablished() {
            talking();
            client.send(RST | ACK, client.nxt - 1, server.nxt, 0);
            assertEquals(ESTABLISHED, server.e.state());
        }
    }

    @Nested
    class MissedFins {
        @Test
        void aMissedFinAckedARoundTripAfterOursAnsweredIt() {
            talking();                                       // handshake round trip: SYN to ACK, 2 ms
            long fin = client.fin();
            now += 2 * MS;
            long ack = client.send(ACK, client.nxt, server.nxt + 1, 0);   // the server's FIN was not captured
            assertEquals(List.of(SYN_SENT, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT), states(client));
            assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT, LAST_ACK, CLOSED), states(server));
            assertFalse(flags().contains(ConnectionFlag.SIMULTANEOUS_CLOSE), flags().toString());
            assertEntered(server, CLOSE_WAIT, ack, Basis.ASSUMED, "received FIN (assumed: peer's FIN of frame " + fin);
        }

        @Test
        void aMissedFinAckedTooSoonAfterOursCrossedIt() {
            talking();
            client.fin();
            long ack = client.send(ACK, client.nxt, server.nxt + 1, 0);   // 1 ms: less than 3/4 of 2 ms
            assertEquals(CLOSING, client.e.state());
            assertEntered(client, CLOSING, ack, Basis.EVIDENCE, "received FIN before the ACK of ours");
            assertTrue(flags().contains(ConnectionFlag.SIMULTANEOUS_CLOSE));
        }
    }

    @Nested
    class NewAttempts {
        TcpSegment bareSyn(Side from, int isn) {
            TcpSegment s = new TcpSegment();
            s.clear();
            s.ipVersion = 4;
            s.srcLo = from.e.addressLo();
            s.srcPort = from.e.port();
            s.dstLo = from.peer().e.addressLo();
            s.dstPort = from.peer().e.port();
            s.flags = SYN;
            s.seq = isn;
            return s;
        }

        @Test
        void aSynWithAnotherIsnIsANewAttemptWhateverTheStates() {
            synSent();
            assertFalse(ConnectionTracker.startsNewIncarnation(c, bareSyn(client, CLIENT_ISN)), "a resend");
            TcpSegment other = bareSyn(client, CLIENT_ISN + 1_000_000);
            assertTrue(ConnectionTracker.startsNewIncarnation(c, other), "bug-7657-01: each ISN an attempt");
            tracker.endIncarnation(c, other, now + MS, ++frame);
            assertEquals(List.of(SYN_SENT, CLOSED), states(client));
            assertTrue(text(entered(client, CLOSED)).startsWith("new SYN with another ISN: attempt abandoned (frame "));
        }

        @Test
        void aNewSynAfterAnIgnoredRstIsANewAttempt() {
            synSent();
            server.send(RST, 2222, 0, 0);                    // no ACK: ignored in SYN_SENT (bug-3844)
            assertEquals(SYN_SENT, client.e.state());
            assertTrue(ConnectionTracker.startsNewIncarnation(c, bareSyn(client, 3333)));
        }

        @Test
        void onlyABareSynOfAnEndedConnectionOrWithANewIsnStartsOne() {
            talking();
            assertFalse(ConnectionTracker.startsNewIncarnation(c, bareSyn(server, SERVER_ISN)),
                    "the server's ISN again: no new attempt");
            TcpSegment synAck = bareSyn(client, 12345);
            synAck.flags = SYN | ACK;
            assertFalse(ConnectionTracker.startsNewIncarnation(c, synAck), "not a bare SYN");
            clientTimeWait();
        }

        @Test
        void anEndedConnectionIsEndedByAnyNewSyn() {
            clientTimeWait();
            TcpSegment s = bareSyn(client, CLIENT_ISN);
            assertTrue(c.ended());
            assertFalse(ConnectionTracker.startsNewIncarnation(c, s), "its own ISN again: a resend of the old SYN");
            assertTrue(ConnectionTracker.startsNewIncarnation(c, bareSyn(client, CLIENT_ISN + 70_000)));
            tracker.endIncarnation(c, bareSyn(client, CLIENT_ISN + 70_000), now + SECOND, ++frame);
            assertEquals(CLOSED, client.e.state());
            assertTrue(text(entered(client, CLOSED)).startsWith("new SYN on this 4-tuple ended TIME_WAIT"),
                    "TIME_WAIT ends by the SYN, before NEW_ATTEMPT (ignored in CLOSED)");
        }
    }

    @Nested
    class Inconsistency {
        @Test
        void aSynWithAnotherIsnOnALiveConnectionSaysWhere() {
            talking();
            assertEquals(null, client.e.inconsistency());
            long f = client.send(SYN, CLIENT_ISN + 99_999, 0, 0);
            assertTrue(flags().contains(ConnectionFlag.INCONSISTENT));
            Transition where = client.e.inconsistency();
            assertEquals(f, where.frame());
            assertEquals(ESTABLISHED, where.state(), "the state it held: a contradiction is no transition");
            assertEquals("contradiction: SYN with another ISN on a live connection (frame " + f + ")", text(where));
            assertEquals(List.of(SYN_SENT, ESTABLISHED), states(client), "the timeline is unchanged");
            assertEquals(null, server.e.inconsistency());
        }

        @Test
        void anImpossibleCellSaysWhichEventInWhichState() {
            talking();
            long f = ++frame;
            EndpointMachine.apply(c, client.e, TcpEvent.TIMER_2MSL, Cause.Detail.NONE, 0, 0, f, now, Basis.TIMER);
            Transition where = client.e.inconsistency();
            assertEquals("contradiction: TIMER_2MSL cannot happen in ESTABLISHED (frame " + f + ")", text(where));
        }

        @Test
        void onlyTheFirstContradictionIsKept() {
            talking();
            long first = client.send(SYN, CLIENT_ISN + 5, 0, 0);
            client.send(SYN, CLIENT_ISN + 6, 0, 0);
            assertEquals(first, client.e.inconsistency().frame());
        }
    }

    @Nested
    class MidPathLoss {
        @Test
        void handshakeAckLostAfterTheTapTheClientsDuplicateAckCompletesIt() {
            established();                                   // the client's ACK is lost after the tap
            now += SECOND;
            server.synAck();                                 // the server never got it: SYN-ACK resent
            assertEquals(List.of(LISTEN, SYN_RECEIVED), states(server));
            long dup = client.send(ACK, CLIENT_ISN + 1, server.nxt, 0);   // its own duplicate ACK at ISS+1
            assertEquals(List.of(SYN_SENT, ESTABLISHED), states(client), "the client was ESTABLISHED all along");
            assertEntered(server, ESTABLISHED, dup, Basis.ASSUMED, "received ACK of our SYN");
        }

        @Test
        void finLostAfterTheTapIsNotReceivedWhileThePeersDataDoesNotAckIt() {
            talking();
            int finSeq = client.nxt;
            client.fin();
            server.send(PSH | ACK, server.nxt, finSeq, 100);   // its data ACKs up to the FIN, not the FIN
            server.nxt += 100;
            server.send(PSH | ACK, server.nxt, finSeq, 100);
            server.nxt += 100;
            assertEquals(ESTABLISHED, server.e.state(), "later data not ACKing the FIN: the FIN never arrived");
            assertEquals(FIN_WAIT_1, client.e.state());
        }
    }

    @Nested
    class ListenOverflow {
        @Test
        void abortOnOverflowRstToTheHandshakeAckMeansTheServerNeverEstablished() {
            established();
            // tcp_abort_on_overflow = 1: the full accept queue answers the final ACK with RST, seq = SEG.ACK.
            long rst = server.send(RST, SERVER_ISN + 1, 0, 0);
            assertEquals(List.of(LISTEN, SYN_RECEIVED, CLOSED), states(server));
            assertEntered(server, CLOSED, rst, Basis.SEEN, "sent RST");
            assertEquals(List.of(SYN_SENT, ESTABLISHED, CLOSED), states(client), "RST at the client's RCV.NXT");
        }

        @Test
        void noOverflowOnceTheServerSentData() {
            established();
            server.data(10);
            server.rst();
            assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED, CLOSED), states(server));
        }

        @Test
        void withoutAbortTheAckIsDroppedAndTheSynAckResentUntilAccept() {
            established();
            now += SECOND;
            server.synAck();                                  // tcp_abort_on_overflow = 0: ACK dropped
            assertEquals(List.of(LISTEN, SYN_RECEIVED), states(server));
            client.ack();
            assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED), states(server));
            assertEquals(List.of(SYN_SENT, ESTABLISHED), states(client), "the client was ESTABLISHED all along");
        }
    }

    @Nested
    class SynSentResets {
        @Test
        void rstAnsweringAnOldSequenceAckChangesNoStateAndTheResentSynOpens() {
            client.syn();
            int isn = client.nxt - 1;
            // A TIME_WAIT socket of an older incarnation answers with an ACK of its old sequence space.
            int oldRcvNxt = isn + 462_722;
            server.send(ACK, 0x12345678, oldRcvNxt, 0);
            assertEquals(List.of(SYN_SENT), states(client), "a pure ACK is never a SYN-ACK");
            assertEquals(List.of(), states(server), "nothing of this incarnation");
            // RFC 9293 §3.10.7.3: <SEQ=SEG.ACK><CTL=RST>, the segment discarded, the state kept.
            client.send(RST, oldRcvNxt, 0, 0);
            assertEquals(List.of(SYN_SENT), states(client));
            now += 10 * MS;
            client.send(SYN, isn, 0, 0);
            server.synAck();
            client.ack();
            client.data(10);
            assertEquals(List.of(SYN_SENT, ESTABLISHED), states(client));
            assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED), states(server));
            assertEquals(0, client.e.missedBytes(), "the old ACK acknowledged nothing of this stream");
            assertFalse(flags().contains(ConnectionFlag.CAPTURE_LOSS));
        }

        @Test
        void rstAnsweringAnAcceptableSynAckMeansNoSocket() {
            client.syn();
            server.synAck();
            // The client's socket is gone (closed in SYN_SENT): its host answers the SYN-ACK.
            client.send(RST, client.nxt, 0, 0);
            assertEquals(List.of(SYN_SENT, CLOSED), states(client));
        }
    }

    static List<TcpState> statesOf(Endpoint e) {
        return e.timeline().stream().map(Transition::state).collect(Collectors.toList());
    }

    /**
     * Counts that differed from tshark's on corpus captures and were tcpscope's error
     * (README "Checked against tshark"; TsharkComparisonTest).
     */
    @Nested
    class CountsAgainstTshark {
        /**
         * tcp-fastopen-10-syn-data-ignore: SYN-ACKs with two ISNs (six with one, three with the
         * other): the first with the other ISN is no resend; its repeats are.
         */
        @Test
        void aSynAckWithAnotherIsnIsNoResendOfTheFirst() {
            synSent();
            server.synAck();
            server.synAck();                                       // a resend: 1
            int other = SERVER_ISN + 0x10000000;
            server.send(SYN | ACK, other, client.nxt, 0);          // another ISN: not a resend
            server.send(SYN | ACK, other, client.nxt, 0);          // that one again: 2
            server.send(SYN | ACK, other, client.nxt, 0);          // 3
            assertEquals(3, server.e.synRetransmissions());
            assertTrue(flags().contains(ConnectionFlag.INCONSISTENT));
        }

        /**
         * tcp-split-handshake-02-5whs: the server ACKs the client's SYN before it sends its
         * own SYN (RFC 9293 §3.5 allows the steps apart). Its SYN starts its sequence space:
         * no hole before it (no lost segment), and the ACK it sent before it is no "previous
         * ACK" that its handshake ACK repeats (no duplicate ACK).
         */
        @Test
        void anAckBeforeTheSendersSynLeavesNoHoleAndNoDuplicateAck() {
            client.syn();
            server.send(ACK, SERVER_ISN - 1000, client.nxt, 0);   // split: the ACK first
            server.syn();                                          // then its SYN
            client.synAck();
            server.ack();
            client.data(4);
            server.ack();
            assertEquals(0, server.e.lostSegments());
            assertEquals(0, server.e.duplicateAcks());
        }

        /**
         * http-mime-truncated: a BSD/Windows sender probes a zero window with one new byte at
         * SND.NXT (RFC 9293 §3.8.6.1), not with SND.UNA - 1 as Linux does: a zero-window probe
         * all the same, and data (the receiver may take the byte).
         */
        @Test
        void oneNewByteIntoAZeroWindowIsAZeroWindowProbe() {
            talking();
            server.window = 0;
            server.ack();                                          // the window closes
            client.send(ACK, client.nxt, server.nxt, 1);           // one new byte: a probe
            server.ack();                                          // not taken: ACK unchanged, window 0
            client.send(ACK, client.nxt, server.nxt, 1);           // the same byte again: a probe
            server.window = WINDOW;
            server.ack();
            client.data(100);                                      // from the probe's byte on
            assertEquals(2, client.e.zeroWindowProbes());
            assertEquals(0, client.e.keepalives());
            assertEquals(0, client.e.retransmissions());
            assertTrue(flags().contains(ConnectionFlag.ZERO_WINDOW_PROBE));
            // A one-byte write while the window is open is data only.
            client.data(1);
            assertEquals(2, client.e.zeroWindowProbes());
        }
    }

    /** BlindSegments: segments far outside the claimed sender's stream are ignored whole. */
    @Nested
    class BlindSegmentsFarOutsideTheStream {
        @Test
        void aFinFarPastWhatTheSenderSentIsIgnored() {
            talking();
            client.send(FIN | ACK, client.nxt + (64 << 20), server.nxt, 0);
            assertEquals(ESTABLISHED, client.e.state());
            assertEquals(ESTABLISHED, server.e.state());
            assertTrue(c.has(ConnectionFlag.BLIND_SEGMENTS));
        }

        @Test
        void aCaptureThatMissedMegabytesTheReceiverAcknowledgedIsNoBlindAttacker() {
            talking();
            client.nxt += 8 << 20; // 8 MiB of the client's data the capture dropped
            server.ack();          // the server acknowledges it all
            client.fin();
            assertEquals(FIN_WAIT_1, client.e.state());
            server.ack();
            assertEquals(FIN_WAIT_2, client.e.state());
            assertEquals(CLOSE_WAIT, server.e.state());
            assertFalse(c.has(ConnectionFlag.BLIND_SEGMENTS));
        }
    }

    /** A transition's cause as reports print it. */
    static String text(Transition t) {
        return CauseText.of(t.cause());
    }
}
