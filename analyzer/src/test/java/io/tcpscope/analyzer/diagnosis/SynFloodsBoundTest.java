package io.tcpscope.analyzer.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.bench.TcpFrameBuilder;
import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.engine.Pipeline;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.LinkType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SYNs sprayed over 20,000 endpoints that never answer (a scan, a flood of random
 * destinations) keep at most {@link SynFloods#MAX_SILENT_LISTENERS} of them, and a real flood
 * on a listener that answers is still found, whole.
 */
class SynFloodsBoundTest {
    @Test
    void endpointsThatNeverAnswerAreBoundedAndTheFloodIsFound() {
        SynFloods floods = new SynFloods();
        int[] maxHeld = {0};
        Pipeline p = new Pipeline(OsProfile.LINUX, Pipeline.Settings.defaults().withMaxConnections(1000), r -> {
            floods.add(r);
            maxHeld[0] = Math.max(maxHeld[0], floods.listenersHeld());
        });
        TcpFrameBuilder b = new TcpFrameBuilder();
        Frame f = new Frame();
        long[] clock = {1_700_000_000_000_000_000L, 0};
        int listener = 0x0a000002;
        for (int i = 0; i < 20_000; i++) { // silent endpoints, one SYN each
            send(p, b, f, clock, 0x0b000001, 1024 + i % 60_000, 0x0c000000 + i, 1 + i % 1000, i, 0, TcpSegment.SYN);
            if (i % 100 == 0) { // the flood, between them: answered, never completed
                int src = 0x0d000000 + i;
                send(p, b, f, clock, src, 4000, listener, 80, i, 0, TcpSegment.SYN);
                send(p, b, f, clock, listener, 80, src, 4000, 7 * i, i + 1, TcpSegment.SYN | TcpSegment.ACK);
            }
        }
        p.finish();
        assertTrue(maxHeld[0] <= SynFloods.MAX_SILENT_LISTENERS + 1, "held " + maxHeld[0]);
        List<SynFloods.Flood> found = floods.floods();
        assertEquals(1, found.size());
        assertEquals("10.0.0.2:80", found.get(0).listener());
        assertEquals(200, found.get(0).attempts());
        assertEquals(200, found.get(0).sources());
    }

    private static void send(Pipeline p, TcpFrameBuilder b, Frame f, long[] clock, int src, int sport, int dst, int dport,
                             int seq, int ack, int flags) {
        int length = b.build(src, sport, dst, dport, seq, ack, flags, 502, 0, (int) clock[1] & 0xffff);
        clock[0] += 20_000; // 20 us: the 200 flood SYNs fall within 10 s
        f.set(++clock[1], clock[0], length, length, LinkType.ETHERNET, 0, b.buffer(), 0);
        p.onFrame(f);
    }
}
