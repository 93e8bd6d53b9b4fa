package io.tcpscope.analyzer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.bench.TcpFrameBuilder;
import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.analyzer.tcp.TcpState;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.LinkType;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * STYLE rule 5: nothing allocates per packet in decode, flow lookup or in-order reassembly.
 * Long-lived connections, handshakes done and tables sized, are fed in-order segments through
 * {@link Pipeline#onFrame} (frames built in one reused buffer, {@link Frame#set}); the JVM's
 * per-thread allocation counter must stay under one byte per packet. No timing is asserted.
 */
class InOrderAllocationTest {
    private static final int CONNECTIONS = 64;
    private static final int WARM_UP_ROUNDS = 2_000;   // x 64 connections x 4 packets = 512k packets
    private static final int MEASURED_ROUNDS = 4_000;  // 1M packets

    /** The in-order traffic of {@link #CONNECTIONS} established connections. */
    private static final class Traffic {
        final TcpFrameBuilder builder = new TcpFrameBuilder();
        final Frame frame = new Frame();
        final Pipeline analyzer;
        final int[] clientNext = new int[CONNECTIONS];
        final int[] serverNext = new int[CONNECTIONS];
        long number;
        long nanos = 1_700_000_000_000_000_000L;

        Traffic(Pipeline analyzer) {
            this.analyzer = analyzer;
        }

        static int client(int i) {
            return 0x0a000001 + i;
        }

        static final int SERVER = 0xc0a80101;

        void clientSends(int i, int flags, int payload) {
            send(client(i), 40000 + i, SERVER, 80, clientNext[i], serverNext[i], flags, payload);
            clientNext[i] += payload + ((flags & TcpSegment.SYN) != 0 ? 1 : 0);
        }

        void serverSends(int i, int flags, int payload) {
            send(SERVER, 80, client(i), 40000 + i, serverNext[i], clientNext[i], flags, payload);
            serverNext[i] += payload + ((flags & TcpSegment.SYN) != 0 ? 1 : 0);
        }

        private void send(int src, int sport, int dst, int dport, int seq, int ack, int flags, int payload) {
            int length = builder.build(src, sport, dst, dport, seq, ack, flags, 502, payload, (int) number & 0xffff);
            nanos += 10_000;
            frame.set(++number, nanos, length, length, LinkType.ETHERNET, 0, builder.buffer(), 0);
            analyzer.onFrame(frame);
        }

        void handshakes() {
            for (int i = 0; i < CONNECTIONS; i++) {
                clientNext[i] = 1_000_000 * i - 5_000; // some wrap around 2^32 during the run
                serverNext[i] = -7 * 1_000_003 * i;
                clientSends(i, TcpSegment.SYN, 0);
                serverSends(i, TcpSegment.SYN | TcpSegment.ACK, 0);
                clientSends(i, TcpSegment.ACK, 0);
            }
        }

        /** One request/response exchange on every connection: 4 in-order packets each. */
        void rounds(int n) {
            int ackPsh = TcpSegment.ACK | TcpSegment.PSH;
            for (int r = 0; r < n; r++) {
                for (int i = 0; i < CONNECTIONS; i++) {
                    clientSends(i, ackPsh, 100 + (r & 255));
                    serverSends(i, TcpSegment.ACK, 0);
                    serverSends(i, ackPsh, 1000 + (r & 127));
                    clientSends(i, TcpSegment.ACK, 0);
                }
            }
        }
    }

    @Test
    void inOrderSegmentsAllocateNothing() {
        measure(List.of(), "in-order engine");
    }

    /** The same with the Zeek observer on every connection ({@code --format zeek}). */
    @Test
    void zeekObserverAllocatesNothingPerSegment() {
        List<ConnectionRecord> finished = measure(io.tcpscope.analyzer.report.ZeekReport.observers(), "with the Zeek observer");
        for (ConnectionRecord c : finished) {
            io.tcpscope.analyzer.report.ZeekConn.Row z = c.observation(io.tcpscope.analyzer.report.ZeekConn.Result.class)
                    .rows().get(0);
            assertEquals("S1", z.connState());
            assertEquals("ShADad", z.history());
        }
    }

    @Test
    void ladderSegmentLogAllocatesNothingPerSegment() {
        // The report's log: once its head and tail are full, a segment only moves the tail's ring.
        List<ConnectionRecord> finished = measure(io.tcpscope.analyzer.report.html.HtmlReport.observers(),
                "with the report's segment log");
        for (ConnectionRecord c : finished) {
            io.tcpscope.analyzer.report.ladder.SegmentLog.Segments segs =
                    c.observation(io.tcpscope.analyzer.report.ladder.SegmentLog.Segments.class);
            assertEquals(io.tcpscope.analyzer.report.html.HtmlReport.HEAD + io.tcpscope.analyzer.report.html.HtmlReport.TAIL,
                    segs.size());
            assertTrue(segs.dropped().segments() > 0, "the middle folded");
        }
    }

    private List<ConnectionRecord> measure(List<ConnectionObserver.Factory> observers, String what) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        List<ConnectionRecord> finished = new ArrayList<>();
        Pipeline analyzer = new Pipeline(OsProfile.LINUX, Pipeline.Settings.defaults(), finished::add, observers);
        Traffic traffic = new Traffic(analyzer);
        traffic.handshakes();
        traffic.rounds(WARM_UP_ROUNDS); // let the JIT compile the path

        long packetsBefore = analyzer.summary().frames();
        long before = threads.getCurrentThreadAllocatedBytes();
        traffic.rounds(MEASURED_ROUNDS);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        long packets = analyzer.summary().frames() - packetsBefore;
        double perPacket = (double) allocated / packets;
        System.out.printf("%s allocation: %d bytes for %d packets = %.6f bytes/packet%n", what, allocated,
                packets, perPacket);

        analyzer.finish();
        assertEquals(4L * CONNECTIONS * MEASURED_ROUNDS, packets);
        assertEquals(CONNECTIONS, finished.size(), "one connection per 4-tuple, all kept");
        for (ConnectionRecord c : finished) {
            assertEquals(TcpState.ESTABLISHED, c.client().state());
            assertEquals(TcpState.ESTABLISHED, c.server().state());
            assertEquals(0, c.client().retransmissions() + c.server().retransmissions(), "every segment was in order");
            assertTrue(c.flags().isEmpty(), "no anomaly: " + c.flags());
        }
        assertTrue(perPacket < 1.0, "allocated " + allocated + " bytes in " + packets + " in-order packets");
        return finished;
    }
}
