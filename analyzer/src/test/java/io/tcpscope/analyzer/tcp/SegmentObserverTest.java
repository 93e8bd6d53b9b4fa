package io.tcpscope.analyzer.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.decode.TcpSegment;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-segment hook: one call per processed segment, with what the tracker decided; free when unused. */
class SegmentObserverTest {
    static final long T0 = 1_700_000_000_000_000_000L;
    static final int A = TcpSegment.ACK;

    final List<String> seen = new ArrayList<>();
    final ConnectionTracker tracker = new ConnectionTracker(OsProfile.LINUX,
            (c, sender, flags, relSeq, relAck, length, window, kind, delivered, frame, nanos) -> seen.add(
                    frame + " " + sender.key() + " " + flags + " " + relSeq + " " + relAck + " " + length + " " + window
                            + " " + kind + (delivered ? "" : " undelivered")));
    final Connection c = new Connection(0, false, 4, 0, 1, 40000, 0, 2, 80, 1, T0);
    final TcpSegment s = new TcpSegment();
    long frame;

    void send(Endpoint e, int flags, int seq, int ack, int len, int ipId) {
        s.clear();
        s.ipVersion = 4;
        s.ipId = ipId;
        s.flags = flags;
        s.seq = seq;
        s.ack = ack;
        s.window = 502;
        s.payloadLength = len;
        s.capturedPayloadLength = len;
        s.tcpHeaderLength = 20;
        tracker.process(c, e, s, ++frame, T0 + frame * 1_000_000L);
    }

    /**
     * A SYN is called a retransmission when syn_retransmissions counts it, not when its ISN
     * was only implied before (the SYN-ACK first: zeek tcp-handshake-reorder, arkime
     * tcp-reassembly-synthetic port 40009), nor for a simultaneous open's SYN-ACK after its
     * own SYN; a resend of a SYN-ACK with another ISN is one (tcp-fastopen-10).
     */
    @Test
    void aSynIsARetransmissionExactlyWhenItIsCounted() {
        Endpoint cl = c.client();
        Endpoint sv = c.server();
        tracker.startAfterMissedSyn(c, 100, 1, T0 + 1_000_000L); // as the flow table does for a SYN-ACK first
        send(sv, TcpSegment.SYN | A, 5000, 101, 0, 1);          // the SYN-ACK first: the client's ISN 100 implied
        send(cl, TcpSegment.SYN, 100, 0, 0, 1);                 // its SYN, captured late: the first seen
        send(cl, TcpSegment.SYN, 100, 0, 0, 2);                 // again: a resend
        send(sv, TcpSegment.SYN | A, 5000, 101, 0, 2);          // a resend
        send(sv, TcpSegment.SYN | A, 9000, 101, 0, 3);          // another ISN: no resend
        send(sv, TcpSegment.SYN | A, 9000, 101, 0, 4);          // that one again: a resend
        assertEquals(List.of("IN_ORDER", "IN_ORDER", "RETRANSMISSION", "RETRANSMISSION", "IN_ORDER", "RETRANSMISSION"),
                seen.stream().map(x -> x.split(" ")[7]).toList());
        assertEquals(1, cl.synRetransmissions());
        assertEquals(2, sv.synRetransmissions());
    }

    @Test
    void oneCallPerSegmentWithItsClassification() {
        Endpoint cl = c.client();
        Endpoint sv = c.server();
        send(cl, TcpSegment.SYN, -10, 0, 0, 1);                 // ISN wraps
        send(sv, TcpSegment.SYN | A, 5000, -9, 0, 1);
        send(cl, A, -9, 5001, 0, 2);
        send(cl, A | TcpSegment.PSH, -9, 5001, 100, 3);
        send(cl, A | TcpSegment.PSH, -9, 5001, 100, 3);         // the capture's copy
        send(cl, A | TcpSegment.PSH, -9, 5001, 100, 4);         // a resend (new IP ID)
        send(sv, A, 5001, 91, 0, 2);
        send(cl, A, 90, 5001, 0, 5);                           // keepalive: SND.UNA - 1
        send(cl, TcpSegment.SYN, -10, 0, 0, 6);                 // its SYN again
        send(sv, TcpSegment.RST, 9999, 0, 0, 3);               // far outside the client's window
        assertEquals(List.of(
                "1 client 2 0 -1 0 502 IN_ORDER",
                "2 server 18 0 1 0 502 IN_ORDER",
                "3 client 16 1 1 0 502 EMPTY",
                "4 client 24 1 1 100 502 IN_ORDER",
                "5 client 24 1 1 100 502 DUPLICATE undelivered",
                // resent, never ACKed: the server behaves as if it got nothing (its handshake ACK retracted)
                "6 client 24 1 1 100 502 RETRANSMISSION undelivered",
                "7 server 16 1 101 0 502 EMPTY",
                "8 client 16 100 1 0 502 KEEPALIVE",
                "9 client 2 0 -1 0 502 RETRANSMISSION",
                "10 server 4 4999 -1 0 502 RESET undelivered"), seen);
    }

    /** A counting observer that allocates nothing. */
    static final class Counter implements SegmentObserver {
        long segments;
        long bytes;

        @Override
        public void segment(Connection c, Endpoint.Role sender, int flags, long relSeq, long relAck, int length,
                            int window, SegmentKind kind, boolean delivered, long frame, long nanos) {
            segments++;
            bytes += length + kind.ordinal();
        }
    }

    @Test
    void inOrderSegmentsAllocateNothingWithAnObserver() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        Counter counter = new Counter();
        ConnectionTracker t = new ConnectionTracker(OsProfile.LINUX, counter);
        Connection conn = new Connection(0, false, 4, 0, 1, 40000, 0, 2, 80, 1, T0);
        TcpSegment seg = new TcpSegment();
        int[] next = {1000, 5000};
        long[] f = {0};
        Runnable round = () -> {
            exchange(t, conn, seg, next, f);
        };
        handshake(t, conn, seg, next, f);
        for (int i = 0; i < 100_000; i++) {
            round.run();
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        long segmentsBefore = counter.segments;
        for (int i = 0; i < 250_000; i++) {
            round.run();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        long segments = counter.segments - segmentsBefore;
        assertEquals(1_000_000, segments, "one call per segment");
        System.out.printf("tracker with observer: %d bytes for %d segments%n", allocated, segments);
        assertTrue(allocated < segments, allocated + " bytes allocated for " + segments + " segments");
        assertEquals(TcpState.ESTABLISHED, conn.client().state());
    }

    private static void handshake(ConnectionTracker t, Connection conn, TcpSegment seg, int[] next, long[] f) {
        segment(t, conn, conn.client(), seg, TcpSegment.SYN, next[0], 0, 0, f);
        next[0]++;
        segment(t, conn, conn.server(), seg, TcpSegment.SYN | A, next[1], next[0], 0, f);
        next[1]++;
        segment(t, conn, conn.client(), seg, A, next[0], next[1], 0, f);
    }

    private static void exchange(ConnectionTracker t, Connection conn, TcpSegment seg, int[] next, long[] f) {
        segment(t, conn, conn.client(), seg, A | TcpSegment.PSH, next[0], next[1], 100, f);
        next[0] += 100;
        segment(t, conn, conn.server(), seg, A, next[1], next[0], 0, f);
        segment(t, conn, conn.server(), seg, A | TcpSegment.PSH, next[1], next[0], 1000, f);
        next[1] += 1000;
        segment(t, conn, conn.client(), seg, A, next[0], next[1], 0, f);
    }

    private static void segment(ConnectionTracker t, Connection conn, Endpoint e, TcpSegment seg, int flags, int seq,
                                int ack, int len, long[] f) {
        seg.clear();
        seg.ipVersion = 4;
        seg.ipId = (int) (f[0] & 0xffff);
        seg.flags = flags;
        seg.seq = seq;
        seg.ack = ack;
        seg.window = 502;
        seg.payloadLength = len;
        seg.capturedPayloadLength = len;
        seg.tcpHeaderLength = 20;
        f[0]++;
        t.process(conn, e, seg, f[0], T0 + f[0] * 10_000L);
    }
}
