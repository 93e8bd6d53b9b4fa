package io.tcpscope.analyzer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.analyzer.tcp.SegmentKind;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.PacketSource;
import io.tcpscope.capture.file.CaptureFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's per-connection observers: one per factory per connection, made when the
 * connection opens, fed every segment the tracker processed (with the decoded segment of that
 * frame), and their results carried by the record, in factory order; none without factories.
 */
class ConnectionObserverTest {
    /** Counts segments and payload bytes per side; checks it only sees its own connection. */
    record Count(long id, long segments, long clientPayload, long serverPayload, long lastFrame) {
    }

    static final class Counter implements ConnectionObserver {
        final Connection c;
        long segments;
        long clientPayload;
        long serverPayload;
        long lastFrame;

        Counter(Connection c) {
            this.c = c;
        }

        @Override
        public void segment(Endpoint.Role sender, TcpSegment s, long relSeq, long relAck, SegmentKind kind,
                            boolean delivered, long frame, long nanos) {
            boolean fromClient = c.isClient(s.ipVersion, s.srcHi, s.srcLo, s.srcPort);
            assertEquals(sender == Endpoint.Role.CLIENT, fromClient, "the segment is the sender's");
            assertTrue(frame > lastFrame, "in frame order");
            segments++;
            if (kind != SegmentKind.DUPLICATE) {
                if (fromClient) {
                    clientPayload += s.payloadLength;
                } else {
                    serverPayload += s.payloadLength;
                }
            }
            lastFrame = frame;
        }

        @Override
        public Object result(Connection conn) {
            return new Count(conn.id(), segments, clientPayload, serverPayload, lastFrame);
        }
    }

    record Second(long id) {
    }

    private static Path capture(String name) {
        return Path.of(System.getProperty("tcpscope.fixtures", "../fixtures"), name, "capture.pcap");
    }

    private static List<ConnectionRecord> run(Path capture, List<ConnectionObserver.Factory> factories, int[] opened)
            throws Exception {
        List<ConnectionRecord> records = new ArrayList<>();
        Pipeline p = new Pipeline(OsProfile.LINUX, Pipeline.Settings.defaults(), records::add, factories);
        try (PacketSource source = CaptureFiles.open(capture)) {
            Frame f;
            while ((f = source.next()) != null) {
                p.onFrame(f);
            }
        }
        p.finish();
        assertEquals(p.summary().connections() * factories.size(), opened[0], "one observer per factory per connection");
        long segments = records.stream().mapToLong(r -> {
            Count c = r.observation(Count.class);
            return c == null ? 0 : c.segments();
        }).sum();
        if (!factories.isEmpty()) {
            assertEquals(p.summary().tcpFrames() - p.summary().lateSegments(), segments,
                    "every segment the tracker processed, once");
        }
        return records;
    }

    @Test
    void everySegmentOnceAndTheResultOnTheRecord() throws Exception {
        for (String fixture : List.of("close-by-client", "bulk-random-loss", "many-connections", "port-reuse-after-rst")) {
            int[] opened = new int[1];
            List<ConnectionObserver.Factory> factories = List.of(c -> {
                opened[0]++;
                return new Counter(c);
            }, c -> {
                opened[0]++;
                return new ConnectionObserver() {
                    @Override
                    public void segment(Endpoint.Role sender, TcpSegment s, long relSeq, long relAck, SegmentKind kind,
                                        boolean delivered, long frame, long nanos) {
                    }

                    @Override
                    public Object result(Connection conn) {
                        return new Second(conn.id());
                    }
                };
            });
            List<ConnectionRecord> records = run(capture(fixture), factories, opened);
            assertTrue(!records.isEmpty(), fixture);
            for (ConnectionRecord r : records) {
                Count c = r.observation(Count.class);
                assertEquals(r.id(), c.id(), fixture);
                assertEquals(r.client().payloadBytes(), c.clientPayload(), fixture + " " + r.id());
                assertEquals(r.server().payloadBytes(), c.serverPayload(), fixture + " " + r.id());
                assertEquals(2, r.observations().size());
                assertTrue(r.observations().get(0) instanceof Count, "in factory order");
                assertEquals(new Second(r.id()), r.observation(Second.class));
            }
        }
    }

    @Test
    void noFactoryNoObservation() throws Exception {
        int[] opened = new int[1];
        for (ConnectionRecord r : run(capture("close-by-client"), List.of(), opened)) {
            assertEquals(List.of(), r.observations());
            assertNull(r.observation(Count.class));
        }
    }
}
