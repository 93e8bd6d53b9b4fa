package io.tcpscope.analyzer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tcpscope.analyzer.bench.TcpFrameBuilder;
import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.analyzer.tcp.TcpState;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.LinkType;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * A measurement, not a threshold: the heap that one open connection holds in the whole
 * pipeline (flow table slot, connection, endpoints, timelines, duplicate rings), for the
 * issue-7 budget of 1M open connections in 1 GB. {@link #N} connections each do a handshake
 * and a request/response (as in {@code bench --generate --shape open}) and stay open; the
 * heap in use after GC, before and after, divided by N. Asserts only that all are open.
 */
class PipelineMemoryTest {
    static final int N = 200_000;

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void bytesPerOpenConnection() {
        long before = usedAfterGc();
        Pipeline p = new Pipeline(OsProfile.LINUX, Pipeline.Settings.defaults(), r -> { });
        TcpFrameBuilder b = new TcpFrameBuilder();
        Frame f = new Frame();
        long[] clock = {1_700_000_000_000_000_000L, 0};
        int ack = TcpSegment.ACK;
        int psh = TcpSegment.ACK | TcpSegment.PSH;
        for (int i = 0; i < N; i++) {
            int client = 0x0a000000 + (i >>> 14);
            int port = 1024 + (i & 0x3fff);
            int server = 0xc0a80101;
            int c = 1000;
            int s = 5000;
            send(p, b, f, clock, client, port, server, 80, c, 0, TcpSegment.SYN, 0);
            send(p, b, f, clock, server, 80, client, port, s, c + 1, TcpSegment.SYN | ack, 0);
            send(p, b, f, clock, client, port, server, 80, c + 1, s + 1, ack, 0);
            send(p, b, f, clock, client, port, server, 80, c + 1, s + 1, psh, 300);
            send(p, b, f, clock, server, 80, client, port, s + 1, c + 301, ack, 1460);
            send(p, b, f, clock, server, 80, client, port, s + 1461, c + 301, psh, 700);
            send(p, b, f, clock, client, port, server, 80, c + 301, s + 2161, ack, 0);
        }
        long after = usedAfterGc();
        assertEquals(N, p.openConnections());
        long[][] pairs = new long[TcpState.values().length][TcpState.values().length];
        p.countOpenStates(pairs);
        assertEquals(N, pairs[TcpState.ESTABLISHED.ordinal()][TcpState.ESTABLISHED.ordinal()]);
        System.out.printf("pipeline memory: %d bytes per open connection (%d connections, 7 packets each)%n",
                (after - before) / N, N);
    }

    private static void send(Pipeline p, TcpFrameBuilder b, Frame f, long[] clock, int src, int sport, int dst,
                             int dport, int seq, int ack, int flags, int payload) {
        int length = b.build(src, sport, dst, dport, seq, ack, flags, 502, payload, (int) clock[1] & 0xffff);
        clock[0] += 1_000;
        f.set(++clock[1], clock[0], length, length, LinkType.ETHERNET, 0, b.buffer(), 0);
        p.onFrame(f);
    }
}
