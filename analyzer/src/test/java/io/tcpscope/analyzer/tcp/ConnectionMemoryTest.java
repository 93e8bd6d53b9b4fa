package io.tcpscope.analyzer.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tcpscope.analyzer.decode.TcpSegment;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * A measurement, not a threshold: prints the heap a connection holds after a bare SYN (a SYN
 * flood's connection) and after a handshake and one request/response (a connection open in
 * steady state): the tracker's part of the issue-7 budget (1M open connections in 1 GB).
 * Measured from the heap in use after GC, over {@link #N} connections; asserts only the states.
 */
class ConnectionMemoryTest {
    static final int N = 50_000;
    static final long T0 = 1_700_000_000_000_000_000L;

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static Connection[] open(boolean established) {
        ConnectionTracker t = new ConnectionTracker(OsProfile.LINUX);
        TcpSegment s = new TcpSegment();
        Connection[] keep = new Connection[N];
        long frame = 0;
        for (int i = 0; i < N; i++) {
            Connection c = new Connection(i, false, 4, 0, 0x0A000000L + i, 40000 + (i & 0x3fff), 0, 0xC0A80101L, 80,
                    frame + 1, T0 + frame);
            keep[i] = c;
            frame = send(t, c, c.client(), s, TcpSegment.SYN, 1000, 0, 0, frame);
            if (established) {
                frame = send(t, c, c.server(), s, TcpSegment.SYN | TcpSegment.ACK, 5000, 1001, 0, frame);
                frame = send(t, c, c.client(), s, TcpSegment.ACK, 1001, 5001, 0, frame);
                frame = send(t, c, c.client(), s, TcpSegment.ACK | TcpSegment.PSH, 1001, 5001, 100, frame);
                frame = send(t, c, c.server(), s, TcpSegment.ACK | TcpSegment.PSH, 5001, 1101, 1000, frame);
                frame = send(t, c, c.client(), s, TcpSegment.ACK, 1101, 6001, 0, frame);
            }
        }
        return keep;
    }

    private static long send(ConnectionTracker t, Connection c, Endpoint e, TcpSegment s, int flags, int seq, int ack,
                             int len, long frame) {
        s.clear();
        s.ipVersion = 4;
        s.ipId = (int) (frame & 0xffff);
        s.flags = flags;
        s.seq = seq;
        s.ack = ack;
        s.window = 502;
        s.payloadLength = len;
        s.capturedPayloadLength = len;
        s.tcpHeaderLength = 20;
        t.process(c, e, s, frame + 1, T0 + (frame + 1) * 1000);
        return frame + 1;
    }

    @Test
    void bytesPerConnection() {
        for (boolean established : new boolean[] {false, true}) {
            long before = usedAfterGc();
            Connection[] keep = open(established);
            long after = usedAfterGc();
            System.out.printf("connection memory: %s: %d bytes per connection (%d connections)%n",
                    established ? "handshake + request/response" : "bare SYN", (after - before) / N, N);
            Connection last = keep[N - 1];
            assertEquals(established ? TcpState.ESTABLISHED : TcpState.SYN_SENT, last.client().state());
            assertEquals(established ? TcpState.ESTABLISHED : TcpState.NONE, last.server().state());
        }
    }
}
