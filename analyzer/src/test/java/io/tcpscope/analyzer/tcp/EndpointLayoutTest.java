package io.tcpscope.analyzer.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.decode.TcpSegment;
import org.junit.jupiter.api.Test;

/**
 * The endpoint's compact layout (BENCHMARKS.md, "Issue 12"): counters kept in ints or bits carry
 * into {@link Endpoint.Rare} exactly, and a connection open in steady state makes no rare part.
 */
class EndpointLayoutTest {
    static final long T0 = 1_700_000_000_000_000_000L;
    final Endpoint e = new Endpoint(Endpoint.Role.CLIENT, 4, 0, 1, 1000);

    @Test
    void packetsCarryPastThirtyTwoBits() {
        e.packets(0xFFFF_FFFFL);
        e.countSent(0);
        assertEquals(1L << 32, e.packets());
        e.countSent(0);
        assertEquals((1L << 32) + 1, e.packets());
    }

    @Test
    void payloadBytesCarryPastThirtyTwoBits() {
        long expected = 0;
        for (int i = 0; i < 70_000; i++) {
            e.countSent(65_535);
            expected += 65_535;
        }
        assertTrue(expected > 1L << 32);
        assertEquals(expected, e.payloadBytes());
        assertEquals(70_000, e.packets());
    }

    @Test
    void aNegativePayloadBorrows() {
        e.countSent(5);
        e.countSent(-10);
        assertEquals(-5, e.payloadBytes());
        e.countSent(7);
        assertEquals(2, e.payloadBytes());
    }

    @Test
    void aLongHandshakeRoundTripIsKeptWholeWithoutARarePart() {
        // In a capture of many connections open at once, a connection's SYN and its ACK of the
        // SYN-ACK can be seconds apart (bench --shape open: ~30 s): common there, not rare.
        assertEquals(-1, e.handshakeRttNanos());
        e.handshakeRttNanos(30_000_000_000L);
        assertEquals(30_000_000_000L, e.handshakeRttNanos());
        assertFalse(e.hasRare());
    }

    @Test
    void synCountsCarryIntoTheRarePartAtTheirLimit() {
        for (int i = 0; i < 2000; i++) {
            e.countSyn();
            e.countBareSyn();
        }
        e.countSynAck();
        assertEquals(2000, e.synCount());
        assertEquals(2000, e.bareSyns());
        assertEquals(1, e.synAcks());
        assertEquals(1999, e.synRetransmissions());
        e.synCount(1);
        assertEquals(1, e.synCount());
        assertEquals(2000, e.bareSyns());
    }

    @Test
    void aSecondSynKeepsTheTimesOfBoth() {
        e.noteSyn(1, T0);
        e.recordFirstSyn(1000, 1, T0);
        assertEquals(T0, e.lastSynNanos());
        assertEquals(1, e.lastSynFrame());
        assertEquals(0, e.previousSynNanos());
        assertFalse(e.hasRare(), "one SYN needs no rare part");
        e.noteSyn(5, T0 + 1_000_000_000L);
        assertEquals(T0 + 1_000_000_000L, e.lastSynNanos());
        assertEquals(5, e.lastSynFrame());
        assertEquals(T0, e.previousSynNanos());
    }

    @Test
    void aConnectionOpenInSteadyStateMakesNoRarePart() {
        ConnectionTracker t = new ConnectionTracker(OsProfile.LINUX);
        Connection c = new Connection(1, false, 4, 0, 0x0A000001L, 40000, 0, 0xC0A80101L, 80, 1, T0);
        TcpSegment s = new TcpSegment();
        long frame = 0;
        frame = send(t, c, c.client(), s, TcpSegment.SYN, 1000, 0, 0, frame);
        frame = send(t, c, c.server(), s, TcpSegment.SYN | TcpSegment.ACK, 5000, 1001, 0, frame);
        frame = send(t, c, c.client(), s, TcpSegment.ACK, 1001, 5001, 0, frame);
        frame = send(t, c, c.client(), s, TcpSegment.ACK | TcpSegment.PSH, 1001, 5001, 100, frame);
        frame = send(t, c, c.server(), s, TcpSegment.ACK, 5001, 1101, 1460, frame);
        frame = send(t, c, c.server(), s, TcpSegment.ACK | TcpSegment.PSH, 6461, 1101, 500, frame);
        send(t, c, c.client(), s, TcpSegment.ACK, 1101, 6961, 0, frame);
        assertEquals(TcpState.ESTABLISHED, c.client().state());
        assertEquals(TcpState.ESTABLISHED, c.server().state());
        assertEquals(4, c.client().packets());
        assertEquals(1960, c.server().payloadBytes());
        assertFalse(c.client().hasRare(), "client");
        assertFalse(c.server().hasRare(), "server");
        // A keepalive is rare: it makes one.
        send(t, c, c.client(), s, TcpSegment.ACK, 1100, 6961, 0, 100);
        assertEquals(1, c.client().keepalives());
        assertTrue(c.client().hasRare());
    }

    private static long send(ConnectionTracker t, Connection c, Endpoint e, TcpSegment s, int flags, int seq, int ack,
                             int len, long frame) {
        s.clear();
        s.ipVersion = 4;
        s.ipId = (int) (frame & 0xffff) + 1;
        s.flags = flags;
        s.seq = seq;
        s.ack = ack;
        s.window = 502;
        s.payloadLength = len;
        s.capturedPayloadLength = len;
        s.tcpHeaderLength = 20;
        t.process(c, e, s, frame + 1, T0 + (frame + 1) * 3_000_000_000L); // seconds apart, as in --shape open
        return frame + 1;
    }
}
