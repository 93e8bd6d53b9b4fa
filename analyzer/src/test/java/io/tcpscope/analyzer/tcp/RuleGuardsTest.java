package io.tcpscope.analyzer.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.tcp.Cause.Detail;
import io.tcpscope.analyzer.tcp.Transition.Basis;
import org.junit.jupiter.api.Test;

/** The inference rules' guards, each named and tested on its own. */
class RuleGuardsTest {
    static final long SECOND = 1_000_000_000L;
    static final long T0 = 1_700_000_000L * SECOND;

    final Connection c = new Connection(0, false, 4, 0, 1, 40000, 0, 2, 80, 1, T0);
    final Endpoint client = c.client();
    final Endpoint server = c.server();

    private static void enter(Endpoint e, TcpEvent... events) {
        long f = 1;
        for (TcpEvent ev : events) {
            assertEquals(TcpTransitions.Kind.CHANGE, e.apply(ev, Detail.NONE, 0, 0, f, T0 + f, Basis.SEEN), ev.name());
            f++;
        }
    }

    // ---------------------------------------------------------------- RST

    @Test
    void aRstInSynSentMustAckTheSyn() {
        client.recordFirstSyn(1000, 1, T0);
        TcpSegment s = new TcpSegment();
        s.clear();
        s.flags = TcpSegment.RST | TcpSegment.ACK;
        s.ack = 1001;
        assertTrue(RstRules.acceptableInSynSent(client, s));
        s.ack = 1002;
        assertFalse(RstRules.acceptableInSynSent(client, s), "wrong ACK");
        s.ack = 1001;
        s.flags = TcpSegment.RST;
        assertFalse(RstRules.acceptableInSynSent(client, s), "no ACK");
    }

    @Test
    void aRstIsAcceptedOnlyInTheReceiversWindow() {
        server.sent.start(5000);
        server.sent.add(5000, 100); // the server sent up to 5100
        client.lastWindow(1000);
        client.windowScale = 0;
        assertTrue(RstRules.inWindow(server, client, 5100), "at RCV.NXT");
        assertTrue(RstRules.inWindow(server, client, 6099), "last in window");
        assertFalse(RstRules.inWindow(server, client, 6100), "past the window");
        assertFalse(RstRules.inWindow(server, client, 5099), "before RCV.NXT");
        client.ackSent(true);
        client.highestAck = 5050; // it acknowledged only up to 5050
        assertTrue(RstRules.inWindow(server, client, 5060));
        Endpoint fresh = new Endpoint(Endpoint.Role.SERVER, 4, 0, 3, 80);
        assertTrue(RstRules.inWindow(fresh, client, 12345), "nothing seen of the sender: accepted");
    }

    // ---------------------------------------------------------------- ACK evidence

    @Test
    void anAckFromSynSentCoversASynAckTheCaptureMissed() {
        enter(client, TcpEvent.SEND_SYN);
        client.recordFirstSyn(1000, 1, T0);
        assertTrue(AckEvidence.coversMissedSynAck(client, server, false));
        assertFalse(AckEvidence.coversMissedSynAck(client, server, true), "its own SYN-ACK");
        server.recordFirstSyn(5000, 2, T0);
        assertFalse(AckEvidence.coversMissedSynAck(client, server, false), "SYN-ACK seen");
    }

    @Test
    void anAckOnePastThePeersLastByteShowsItsMissedFin() {
        enter(server, TcpEvent.MIDSTREAM);
        server.sent.start(5000);
        server.sent.add(5000, 100);
        assertTrue(AckEvidence.acksMissedFin(server, 5101, false));
        assertFalse(AckEvidence.acksMissedFin(server, 5100, false), "ACK of the data only");
        assertFalse(AckEvidence.acksMissedFin(server, 5101, true), "a SYN-ACK's ACK");
        server.finSent(true);
        assertFalse(AckEvidence.acksMissedFin(server, 5101, false), "its FIN is known");
    }

    @Test
    void anAckOnePastAPickupProbeShowsAKeepalive() {
        server.sent.start(5000); // picked up through a zero-length segment: not anchored
        assertTrue(AckEvidence.acksPickupProbe(server, 5001));
        server.streamAnchored(true);
        assertFalse(AckEvidence.acksPickupProbe(server, 5001));
    }

    // ---------------------------------------------------------------- FIN

    @Test
    void aFinCarryingTheAckOfOursGoesThroughFinWait2() {
        client.recordFirstFin(2000, 5);
        server.finCarriedAck(true);
        server.rare().finAck = 2001;
        assertTrue(FinRules.finAlsoAckedOurs(client, server));
        server.rare().finAck = 2000;
        assertFalse(FinRules.finAlsoAckedOurs(client, server), "crossed FINs: CLOSING");
        server.rare().finAck = 2001;
        server.finInferred(true);
        server.finCarriedAck(false);
        assertFalse(FinRules.finAlsoAckedOurs(client, server), "an inferred FIN carried nothing we saw");
        server.finCarriedAck(true);
        assertTrue(FinRules.finAlsoAckedOurs(client, server), "an inferred FIN taken as answering ours ACKed it");
    }

    @Test
    void aMissedFinAckedAtLeastThreeQuartersOfARoundTripAfterOursAnsweredIt() {
        client.recordFirstFin(2000, 5);
        client.rare().firstFinNanos = T0;
        client.handshakeRttNanos(148_000_000L);
        assertTrue(FinRules.missedFinAnsweredOurs(client, server, T0 + 148_000_000L), "one round trip later: passive close");
        assertTrue(FinRules.missedFinAnsweredOurs(client, server, T0 + 111_000_000L));
        assertFalse(FinRules.missedFinAnsweredOurs(client, server, T0 + 50_000_000L), "too soon: the FINs crossed");
        client.handshakeRttNanos(-1);
        assertTrue(FinRules.missedFinAnsweredOurs(client, server, T0 + 1), "no round trip known: no crossing assumed");
        client.finInferred(true);
        assertFalse(FinRules.missedFinAnsweredOurs(client, server, T0 + SECOND), "our own FIN was not seen");
    }

    // ---------------------------------------------------------------- capture end

    @Test
    void resendsThatStoppedMeanItGaveUp() {
        enter(client, TcpEvent.SEND_SYN);
        client.synCount(3);
        client.synSent(true);
        client.noteSyn(2, T0 + SECOND);
        client.noteSyn(3, T0 + 3 * SECOND); // interval 2 s: next due 4 s later
        assertEquals(T0 + SECOND, client.previousSynNanos());
        assertEquals(Long.MIN_VALUE, CaptureEndRules.gaveUpAt(client, T0 + 3 * SECOND + 4_400_000_000L),
                "not yet 2.2 intervals of silence");
        assertEquals(T0 + 7 * SECOND, CaptureEndRules.gaveUpAt(client, T0 + 3 * SECOND + 4_400_000_001L));
        client.synCount(1);
        assertEquals(Long.MIN_VALUE, CaptureEndRules.gaveUpAt(client, T0 + 100 * SECOND), "never resent");
    }

    @Test
    void aSingleUnansweredSynAckLongAgoWasASynCookie() {
        enter(server, TcpEvent.LISTENING, TcpEvent.SEND_SYN_ACK);
        server.synAckSent(true);
        server.synCount(1);
        server.packets(1);
        server.firstSynNanos = T0;
        assertFalse(CaptureEndRules.looksLikeSynCookie(server, T0 + SECOND, OsProfile.LINUX), "too early to tell");
        assertTrue(CaptureEndRules.looksLikeSynCookie(server, T0 + 3 * SECOND / 2, OsProfile.LINUX));
        server.synCount(2);
        assertFalse(CaptureEndRules.looksLikeSynCookie(server, T0 + 10 * SECOND, OsProfile.LINUX), "resent: state kept");
        server.synCount(1);
        server.ourSynAcked(true);
        assertFalse(CaptureEndRules.looksLikeSynCookie(server, T0 + 10 * SECOND, OsProfile.LINUX), "answered");
    }

    @Test
    void oneSidedNeedsSegmentsFromOneSideOnly() {
        client.packets(3);
        client.ackSent(true);
        assertTrue(CaptureEndRules.oneSided(c));
        server.packets(1);
        assertFalse(CaptureEndRules.oneSided(c));
        server.packets(0);
        client.packets(2);
        assertFalse(CaptureEndRules.oneSided(c), "too few to tell");
    }

    // ---------------------------------------------------------------- retraction guard

    @Test
    void thePeerGotNothingWhenItNeverAckedTheResentData() {
        client.recordFirstSyn(1000, 1, T0);
        enter(server, TcpEvent.LISTENING, TcpEvent.SEND_SYN_ACK);
        server.synAckSent(true);
        server.apply(TcpEvent.RECV_ACK_OF_SYN, Detail.FRAME, 3, 0, 3, T0 + 3, Basis.ASSUMED);
        assertTrue(SequenceRules.peerGotNothing(client, server));
        server.ackSent(true);
        server.highestAck = 1050; // it ACKed some of the client's data
        assertFalse(SequenceRules.peerGotNothing(client, server));
    }
}
