package io.tcpscope.analyzer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.bench.TcpFrameBuilder;
import io.tcpscope.analyzer.tcp.ConnectionFlag;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.analyzer.tcp.TcpState;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.LinkType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the pipeline lets a connection go, and what its later segments do. */
class LifecycleTest {
    static final long SECOND = 1_000_000_000L;
    static final long MINUTE = 60 * SECOND;
    static final long T0 = 1_700_000_000L * SECOND;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int ACK = 0x10;
    static final int SERVER = 0xC0A80101;

    final List<ConnectionRecord> records = new ArrayList<>();
    final TcpFrameBuilder builder = new TcpFrameBuilder();
    final Frame frame = new Frame();
    long number;

    Pipeline pipeline(int maxConnections) {
        return new Pipeline(OsProfile.LINUX, Pipeline.Settings.defaults().withMaxConnections(maxConnections), records::add);
    }

    void send(Pipeline p, long nanos, int client, boolean fromClient, int seq, int ack, int flags, int payload) {
        int len = fromClient ? builder.build(client, 40000, SERVER, 80, seq, ack, flags, 502, payload, (int) number)
                : builder.build(SERVER, 80, client, 40000, seq, ack, flags, 502, payload, (int) number);
        frame.set(++number, nanos, len, len, LinkType.ETHERNET, 0, builder.buffer(), 0);
        p.onFrame(frame);
    }

    void handshake(Pipeline p, long t, int client) {
        send(p, t, client, true, 1000, 0, SYN, 0);
        send(p, t + 1000, client, false, 5000, 1001, SYN | ACK, 0);
        send(p, t + 2000, client, true, 1001, 5001, ACK, 0);
    }

    @Test
    void aConnectionSilentForTheIdleTimeoutIsReportedAtThatTimeAndComesBackAsANewOne() {
        Pipeline p = pipeline(100);
        int client = 0x0A000001;
        handshake(p, T0, client);
        send(p, T0 + 6 * MINUTE, client, true, 1001, 5001, ACK, 100);
        assertEquals(1, records.size(), "reported when the next segment comes, before it is looked at");
        ConnectionRecord idle = records.get(0);
        assertEquals(ConnectionRecord.End.IDLE, idle.end());
        assertEquals(idle.endNanos() + Pipeline.Settings.DEFAULT_IDLE_TIMEOUT_NANOS, idle.builtNanos());
        assertEquals(TcpState.ESTABLISHED, idle.client().state());
        p.finish();
        assertEquals(2, records.size());
        ConnectionRecord again = records.get(1);
        assertEquals(1, again.id());
        assertTrue(again.has(ConnectionFlag.MIDSTREAM), "picked up again mid-stream");
        assertEquals(ConnectionRecord.End.CAPTURE_END, again.end());
        assertEquals(0, p.summary().lateSegments());
    }

    @Test
    void theSweepReportsAnIdleConnectionOnTheCaptureClockAlone() {
        Pipeline p = pipeline(100);
        handshake(p, T0, 0x0A000001);
        p.advanceClock(T0 + 4 * MINUTE);
        assertEquals(0, records.size());
        p.advanceClock(T0 + 6 * MINUTE);
        assertEquals(1, records.size());
        assertEquals(ConnectionRecord.End.IDLE, records.get(0).end());
        assertEquals(0, p.openConnections());
    }

    @Test
    void aSegmentAfterAConnectionIsOverIsCountedNotANewConnection() {
        Pipeline p = pipeline(100);
        int client = 0x0A000001;
        handshake(p, T0, client);
        send(p, T0 + 3000, client, true, 1001, 5001, RST | ACK, 0); // client CLOSED (seen), server CLOSED (assumed)
        assertEquals(0, records.size());
        send(p, T0 + 70 * SECOND, client, false, 5001, 1001, ACK, 10); // 2MSL later: over; this one is late
        assertEquals(1, records.size());
        assertEquals(ConnectionRecord.End.OVER, records.get(0).end());
        assertEquals(1, p.summary().lateSegments());
        p.finish();
        assertEquals(1, records.size(), "no MIDSTREAM row for the late segment");
        assertEquals(1, p.summary().connections());
    }

    @Test
    void anEvictedConnectionIsNotSplitAndANewSynStartsItsNextIncarnation() {
        Pipeline p = pipeline(1);
        int a = 0x0A000001;
        int b = 0x0A000002;
        send(p, T0, a, true, 1000, 0, SYN, 0);
        send(p, T0 + 1000, b, true, 7000, 0, SYN, 0); // the table holds one: a is evicted
        assertEquals(1, records.size());
        ConnectionRecord evicted = records.get(0);
        assertTrue(evicted.has(ConnectionFlag.EVICTED));
        assertEquals(ConnectionRecord.End.EVICTED, evicted.end());
        send(p, T0 + 2000, a, false, 5000, 1001, SYN | ACK, 0); // late: a's SYN-ACK
        send(p, T0 + SECOND, a, true, 1000, 0, SYN, 0);        // late: a's SYN again, same ISN
        assertEquals(2, p.summary().lateSegments());
        assertEquals(1, records.size());
        send(p, T0 + 2 * SECOND, a, true, 90_000, 0, SYN, 0);   // a new ISN: a new incarnation (b is evicted)
        p.finish();
        assertEquals(3, records.size());
        ConnectionRecord fresh = records.stream().filter(r -> r.id() == 2).findFirst().orElseThrow();
        assertEquals(90_000, fresh.client().isn());
        assertFalse(fresh.has(ConnectionFlag.PORT_REUSE), "the evicted one was not over");
        assertEquals(2, p.summary().evictions());
    }

    @Test
    void aFullTableLetsAnEndedConnectionGoFirstUnflagged() {
        Pipeline p = pipeline(2);
        int a = 0x0A000001;
        int b = 0x0A000002;
        int c = 0x0A000003;
        handshake(p, T0, a);
        send(p, T0 + 3000, a, true, 1001, 5001, RST | ACK, 0); // a ended, its record not due yet
        handshake(p, T0 + 4000, b);
        handshake(p, T0 + 8000, c);                              // full: a goes, not b
        assertEquals(1, records.size());
        assertEquals(0, records.get(0).id());
        assertFalse(records.get(0).has(ConnectionFlag.EVICTED));
        assertEquals(ConnectionRecord.End.OVER, records.get(0).end());
        assertEquals(0, p.summary().evictions());
        p.finish();
        assertEquals(3, records.size());
        assertEquals(0, records.stream().filter(r -> r.has(ConnectionFlag.EVICTED)).count());
    }
}
