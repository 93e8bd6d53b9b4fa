package io.tcpscope.analyzer.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.reassembly.HalfStream;
import io.tcpscope.analyzer.tcp.Transition.Basis;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** The segment classifier's guards, each on its own. */
class SegmentClassifierTest {
    static final int ISN = 0xFFFFFFF0; // wraps

    static Endpoint endpoint() {
        return new Endpoint(Endpoint.Role.CLIENT, 4, 0, 1, 1000);
    }

    /** An endpoint that sent its SYN and {@code bytes} of data, in order, and is in {@code state}. */
    static Endpoint sent(int bytes, TcpState state) {
        Endpoint e = endpoint();
        e.recordFirstSyn(ISN, 1, 1);
        e.sent.add(ISN + 1, bytes);
        e.receivedPeerSyn(true);
        e.apply(TcpEvent.SEND_SYN, Cause.Detail.NONE, 0, 0, 1, 1, Basis.SEEN);
        if (state != TcpState.SYN_SENT) {
            e.apply(TcpEvent.RECV_SYN_ACK, Cause.Detail.NONE, 0, 0, 2, 2, Basis.SEEN);
        }
        if (state == TcpState.CLOSE_WAIT) {
            e.apply(TcpEvent.RECV_FIN, Cause.Detail.NONE, 0, 0, 3, 3, Basis.SEEN);
        }
        assertEquals(state, e.state());
        return e;
    }

    @Test
    void aKeepaliveRepeatsTheLastByteWithZeroOrOneByte() {
        HalfStream s = sent(100, TcpState.ESTABLISHED).sent;
        int last = ISN + 1 + 100 - 1;
        assertTrue(SegmentClassifier.isProbe(s, false, false, last, 0));
        assertTrue(SegmentClassifier.isProbe(s, false, false, last, 1));
        assertFalse(SegmentClassifier.isProbe(s, false, false, last, 2), "two bytes are data");
        assertFalse(SegmentClassifier.isProbe(s, false, true, last, 0), "a FIN is not a probe");
        assertFalse(SegmentClassifier.isProbe(s, true, false, last, 0), "a SYN is not a probe");
        assertFalse(SegmentClassifier.isProbe(s, false, false, last + 1, 0), "at SND.NXT: a pure ACK");
    }

    @Test
    void aProbeNeedsTheByteBeforeItSeen() {
        Endpoint e = sent(100, TcpState.ESTABLISHED);
        e.sent.add(ISN + 1 + 200, 10); // a gap: bytes 100..199 never seen
        int last = e.sent.highestEnd() - 1;
        assertFalse(SegmentClassifier.isProbe(e.sent, false, false, last, 0));
    }

    @Test
    void oneNewByteIntoAZeroWindowIsAProbe() {
        Endpoint e = sent(100, TcpState.ESTABLISHED);
        int next = e.sent.highestEnd();
        assertTrue(SegmentClassifier.isNewByteProbe(e.sent, false, false, next, 1, 0));
        assertFalse(SegmentClassifier.isNewByteProbe(e.sent, false, false, next, 1, 502), "an open window: data");
        assertFalse(SegmentClassifier.isNewByteProbe(e.sent, false, false, next, 2, 0), "two bytes: data");
        assertFalse(SegmentClassifier.isNewByteProbe(e.sent, false, true, next, 1, 0), "with a FIN");
        assertFalse(SegmentClassifier.isNewByteProbe(e.sent, false, false, next + 10, 1, 0), "after a gap");
        e.sent.add(next + 200, 10); // a hole before SND.NXT
        assertFalse(SegmentClassifier.isNewByteProbe(e.sent, false, false, e.sent.highestEnd(), 1, 0), "a hole before it");
    }

    @Test
    void aSegmentOnePastTheLastByteShowsAMissedFin() {
        Endpoint e = sent(100, TcpState.ESTABLISHED);
        int next = e.sent.highestEnd();
        assertTrue(SegmentClassifier.missedFinBySequence(e, false, false, next + 1));
        assertFalse(SegmentClassifier.missedFinBySequence(e, false, false, next), "in order");
        assertFalse(SegmentClassifier.missedFinBySequence(e, false, true, next + 1), "carries the FIN itself");
        assertTrue(SegmentClassifier.missedFinBySequence(sent(100, TcpState.CLOSE_WAIT), false, false, next + 1));
        assertFalse(SegmentClassifier.missedFinBySequence(sent(100, TcpState.SYN_SENT), false, false, next + 1),
                "SYN_SENT sends no FIN");
        e.finSent(true);
        assertFalse(SegmentClassifier.missedFinBySequence(e, false, false, next + 1), "FIN already known");
    }

    @Test
    void notRightAfterTheSynWithoutThePeersSyn() {
        Endpoint e = sent(0, TcpState.ESTABLISHED);
        int next = e.sent.highestEnd();
        assertTrue(SegmentClassifier.missedFinBySequence(e, false, false, next + 1));
        e.receivedPeerSyn(false);
        assertFalse(SegmentClassifier.missedFinBySequence(e, false, false, next + 1));
    }

    @Test
    void advancesStreamIsAFirstFinOrNewData() {
        Endpoint e = sent(100, TcpState.ESTABLISHED);
        TcpSegment s = new TcpSegment();
        s.clear();
        s.flags = TcpSegment.ACK;
        s.seq = ISN + 1 + 50;
        s.payloadLength = 50;
        assertFalse(SegmentClassifier.advancesStream(e, s), "a resend");
        s.payloadLength = 51;
        assertTrue(SegmentClassifier.advancesStream(e, s), "one new byte");
        s.payloadLength = 0;
        s.flags = TcpSegment.ACK | TcpSegment.FIN;
        assertTrue(SegmentClassifier.advancesStream(e, s), "first FIN");
        e.finSent(true);
        assertFalse(SegmentClassifier.advancesStream(e, s), "FIN again");
    }

    @Test
    void onlyEstablishedCloseWaitAndSynReceivedSendAFirstFin() {
        EnumSet<TcpState> can = EnumSet.noneOf(TcpState.class);
        for (TcpState s : TcpState.values()) {
            if (SegmentClassifier.canSendFin(s)) {
                can.add(s);
            }
            // agrees with the table: SEND_FIN changes exactly these states
            assertEquals(SegmentClassifier.canSendFin(s),
                    TcpTransitions.lookup(TcpEvent.SEND_FIN, s).kind() == TcpTransitions.Kind.CHANGE, s.name());
        }
        assertEquals(EnumSet.of(TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, TcpState.SYN_RECEIVED), can);
    }

    @Test
    void everyStreamClassHasAKind() {
        for (HalfStream.SegmentClass c : HalfStream.SegmentClass.values()) {
            assertEquals(c.name(), SegmentClassifier.kindOf(c).name());
        }
    }
}
