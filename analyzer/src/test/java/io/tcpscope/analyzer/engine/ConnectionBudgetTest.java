package io.tcpscope.analyzer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.bench.TcpFrameBuilder;
import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.flow.FlowTable;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.LinkType;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * {@link FlowTable#BYTES_PER_CONNECTION} is an upper bound: the default table limit divides
 * the heap by it, so if connections grow past it a SYN flood runs out of heap again. Two
 * measurements, each the heap in use after GC, before and after, divided by the connections
 * held: established connections (handshake and a request/response, all open), and a SYN flood
 * that fills the table with never-established ones (SYN + SYN-ACK) and its tombstones with
 * the evicted ones (the table's whole footprint under a flood).
 */
class ConnectionBudgetTest {
    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void anEstablishedConnectionCostsLessThanTheBudget() {
        int n = 100_000;
        long before = usedAfterGc();
        Pipeline p = new Pipeline(OsProfile.LINUX, Pipeline.Settings.defaults().withMaxConnections(n), r -> { });
        Feed f = new Feed(p);
        for (int i = 0; i < n; i++) {
            int client = 0x0a000000 + (i >>> 14);
            int port = 1024 + (i & 0x3fff);
            int server = 0xc0a80101;
            int c = 1000;
            int s = 5000;
            int ack = TcpSegment.ACK;
            int psh = TcpSegment.ACK | TcpSegment.PSH;
            f.send(client, port, server, 80, c, 0, TcpSegment.SYN, 0);
            f.send(server, 80, client, port, s, c + 1, TcpSegment.SYN | ack, 0);
            f.send(client, port, server, 80, c + 1, s + 1, ack, 0);
            f.send(client, port, server, 80, c + 1, s + 1, psh, 300);
            f.send(server, 80, client, port, s + 1, c + 301, ack, 1460);
            f.send(server, 80, client, port, s + 1461, c + 301, psh, 700);
            f.send(client, port, server, 80, c + 301, s + 2161, ack, 0);
        }
        long perConnection = (usedAfterGc() - before) / n;
        assertEquals(n, p.openConnections());
        System.out.printf("budget: %d bytes per established connection (limit %d)%n", perConnection,
                FlowTable.BYTES_PER_CONNECTION);
        assertTrue(perConnection <= FlowTable.BYTES_PER_CONNECTION, perConnection + " bytes per established connection, over"
                + " FlowTable.BYTES_PER_CONNECTION " + FlowTable.BYTES_PER_CONNECTION);
    }

    @Test
    void aFloodedTableCostsLessThanTheBudget() {
        int limit = 70_000; // above Settings.MIN_TOMBSTONES: the tombstones are as many as the limit
        int syns = 3 * limit;
        long before = usedAfterGc();
        Pipeline p = new Pipeline(OsProfile.LINUX, Pipeline.Settings.defaults().withMaxConnections(limit), r -> { });
        Feed f = new Feed(p);
        for (int i = 0; i < syns; i++) {
            int client = 0x0b000000 + i;
            int port = 1024 + (i * 7919 & 0x7fff);
            f.send(client, port, 0xc0a80101, 80, i * 31, 0, TcpSegment.SYN, 0);
            f.send(0xc0a80101, 80, client, port, i * 17, i * 31 + 1, TcpSegment.SYN | TcpSegment.ACK, 0);
        }
        long perConnection = (usedAfterGc() - before) / limit;
        assertEquals(limit, p.openConnections());
        assertEquals(syns - limit, p.summary().evictions());
        System.out.printf("budget: %d bytes per connection of a flooded table (limit %d)%n", perConnection,
                FlowTable.BYTES_PER_CONNECTION);
        assertTrue(perConnection <= FlowTable.BYTES_PER_CONNECTION, perConnection + " bytes per flooded connection, over"
                + " FlowTable.BYTES_PER_CONNECTION " + FlowTable.BYTES_PER_CONNECTION);
    }

    /** Frames into a pipeline, 1 us apart. */
    private static final class Feed {
        final Pipeline p;
        final TcpFrameBuilder b = new TcpFrameBuilder();
        final Frame frame = new Frame();
        long nanos = 1_700_000_000_000_000_000L;
        long number;

        Feed(Pipeline p) {
            this.p = p;
        }

        void send(int src, int sport, int dst, int dport, int seq, int ack, int flags, int payload) {
            int length = b.build(src, sport, dst, dport, seq, ack, flags, 502, payload, (int) number & 0xffff);
            nanos += 1_000;
            frame.set(++number, nanos, length, length, LinkType.ETHERNET, 0, b.buffer(), 0);
            p.onFrame(frame);
        }
    }
}
