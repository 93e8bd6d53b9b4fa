package io.tcpscope.analyzer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tcpscope.analyzer.FuzzLimits;
import io.tcpscope.analyzer.decode.DecodeResult;
import io.tcpscope.analyzer.report.Alerts;
import io.tcpscope.analyzer.report.JsonlReport;
import io.tcpscope.analyzer.report.Report;
import io.tcpscope.analyzer.report.TextReport;
import io.tcpscope.analyzer.report.TimelineReport;
import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.LinkType;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of the whole engine (Jazzer): TCP segments whose sequence and
 * acknowledgement numbers, flags, options, window, payload and declared lengths and
 * timestamps the fuzzer chooses, on four 4-tuples (IPv4 and IPv6), built into Ethernet
 * frames and fed through {@link Analyzer#onFrame}, with {@link Analyzer#expire} now and then,
 * then {@link Analyzer#finish()}; every finished connection is diagnosed and rendered by the
 * text, JSON Lines and timeline reports.
 *
 * <p>Input: a sequence of records (see {@link #decodeRecord}); at most {@link #MAX_RECORDS}.
 * Seeds in {@code EngineFuzzTestInputs/feedSegments} are conversations of the kernel-truth
 * fixtures turned into records.
 *
 * <p>What must hold: nothing throws or hangs; the flow table never holds more than its limit
 * (the run is made twice: with room for all, and with room for 2 connections so that
 * eviction happens); every connection opened is finished exactly once, and none stays open
 * after {@code finish()}; each frame is counted once (TCP or skipped for one reason); each
 * endpoint's timeline grows by at most {@link #TRANSITIONS_PER_SEGMENT} entries per segment
 * of its connection (bounded per-connection growth).
 */
class EngineFuzzTest {
    static final int MAX_RECORDS = 256;
    /** Transitions one segment may cause on one endpoint, counting the seen one and implied ones. */
    static final int TRANSITIONS_PER_SEGMENT = 4;
    /** Timeline entries an endpoint may have before any segment (an assumed start, timers). */
    static final int TIMELINE_BASE = 8;

    // Record layout, in this order:
    //   control  1  bits 0-1 4-tuple, bit 2 direction (1 = B to A), bit 3 absolute seq,
    //               bit 4 absolute ack, bit 5 cut the frame (snaplen), bit 6 lie about the IP length,
    //               bit 7 call expire() first
    //   flags    1  TCP flags
    //   seq      4  relative to the sender's base ISN unless absolute
    //   ack      4  relative to the peer's base ISN unless absolute
    //   window   2
    //   payload  2  payload bytes (mod 1461)
    //   optlen   1  option bytes that follow (mod 41)
    //   options  optlen
    //   time     2  signed, in units of 10 ms: the clock may go backwards; -32768 jumps to the
    //               64-bit time made of the seq and ack fields
    static final int RECORD_FIXED = 1 + 1 + 4 + 4 + 2 + 2 + 1 + 2;
    static final int MAX_PAYLOAD = 1460;
    static final int MAX_OPTIONS = 40;
    static final long TIME_UNIT_NANOS = 10_000_000L;

    /** Four 4-tuples: two IPv4 with ephemeral client ports, one IPv6, one IPv4 between two low ports. */
    static final int TUPLES = 4;
    private static final int[] PORT_A = {40000, 40001, 40000, 22};
    private static final int[] PORT_B = {80, 80, 443, 23};
    /** Base ISNs per tuple and direction; some near the 2^32 wrap. */
    private static final int[][] BASE_ISN = {
        {0x10000000, 0x20000000}, {0xFFFFF000, 0x7FFFFFF0}, {0, 0xFFFFFFFF}, {0x80000000, 0x12345678},
    };

    private final FrameBuilder builder = new FrameBuilder();
    private final Frame frame = new Frame();
    private final PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);

    @FuzzTest(maxDuration = FuzzLimits.MAX_DURATION)
    void feedSegments(byte[] data) {
        run(data, 1 << 16);
        run(data, 2);
    }

    private void run(byte[] data, int maxConnections) {
        java.util.Set<Long> finished = new java.util.HashSet<>();
        List<ConnectionRecord> order = new ArrayList<>();
        Pipeline analyzer = new Pipeline(OsProfile.LINUX, Pipeline.Settings.defaults().withMaxConnections(maxConnections),
                r -> {
                    assertTrue(finished.add(r.id()), "connection " + r.id() + " finished twice");
                    order.add(r);
                });
        long nanos = 1_700_000_000_000_000_000L;
        int position = 0;
        long frames = 0;
        while (position + RECORD_FIXED <= data.length && frames < MAX_RECORDS) {
            int control = data[position] & 0xFF;
            int optionLength = (data[position + 16] & 0xFF) % (MAX_OPTIONS + 1);
            int recordLength = RECORD_FIXED + optionLength;
            if (position + recordLength > data.length) {
                break;
            }
            if ((control & 0x80) != 0) {
                // a minute of silence: the pipeline's sweep (idle, TIME_WAIT, over) runs on capture time
                analyzer.advanceClock(nanos + 60_000_000_000L);
            }
            short delta = (short) (((data[position + recordLength - 2] & 0xFF) << 8)
                | (data[position + recordLength - 1] & 0xFF));
            if (delta == Short.MIN_VALUE) {
                // a jump to any 64-bit time, before 1970 or near the end of long: what a corrupt file may hold
                nanos = ((long) int32(data, position + 2) << 32) | (int32(data, position + 6) & 0xFFFF_FFFFL);
            } else {
                nanos += delta * TIME_UNIT_NANOS;
            }
            int length = decodeRecord(data, position, optionLength);
            frames++;
            frame.set(frames, nanos, length, builder.originalLength, LinkType.ETHERNET, 0, builder.buffer, 0);
            analyzer.onFrame(frame);
            position += recordLength;

            int[] open = {0};
            analyzer.forEachOpen(c -> {
                open[0]++;
                checkGrowth(c);
            });
            assertTrue(open[0] <= maxConnections, open[0] + " connections open, limit " + maxConnections);
        }
        analyzer.finish();
        assertEquals(0, analyzer.openConnections(), "connections left open after finish()");

        AnalysisSummary summary = analyzer.summary();
        assertEquals(frames, summary.frames());
        long skipped = 0;
        for (DecodeResult reason : DecodeResult.values()) {
            skipped += summary.skipped(reason);
        }
        assertEquals(frames, summary.tcpFrames() + skipped, "every frame counted once");
        assertEquals(summary.connections(), finished.size(), "every connection finished once");
        assertTrue(summary.lastNanos() >= summary.firstNanos(), "the capture ends before it starts");

        Report text = new TextReport(sink, "fuzz");
        Report jsonl = new JsonlReport(sink, "fuzz");
        Alerts alerts = new Alerts();
        for (ConnectionRecord r : order) {
            checkGrowth(r);
            alerts.record(r);
            text.record(r);
            jsonl.record(r);
            TimelineReport.print(sink, r);
        }
        text.summary(summary, alerts);
        jsonl.summary(summary, alerts);
        text.flush();
        jsonl.flush();
    }

    private static void checkGrowth(Connection c) {
        assertTrue(c.endNanos() >= c.startNanos(), "connection " + c.id() + " ends before it starts");
        long segments = c.client().packets() + c.server().packets();
        for (Endpoint e : new Endpoint[] {c.client(), c.server()}) {
            long bound = TIMELINE_BASE + TRANSITIONS_PER_SEGMENT * segments;
            assertTrue(e.timeline().size() <= bound, "connection " + c.id() + ": " + e.role().key() + " timeline has "
                + e.timeline().size() + " entries after " + segments + " segments");
        }
    }

    private static void checkGrowth(ConnectionRecord r) {
        assertTrue(r.endNanos() >= r.startNanos(), "connection " + r.id() + " ends before it starts");
        long segments = r.client().packets() + r.server().packets();
        for (ConnectionRecord.Side e : new ConnectionRecord.Side[] {r.client(), r.server()}) {
            long bound = TIMELINE_BASE + TRANSITIONS_PER_SEGMENT * segments;
            assertTrue(e.timeline().size() <= bound, "connection " + r.id() + ": " + e.role().key() + " timeline has "
                + e.timeline().size() + " entries after " + segments + " segments");
        }
    }

    /** Builds the frame of the record at {@code position}; returns its captured length. */
    private int decodeRecord(byte[] d, int p, int optionLength) {
        int control = d[p] & 0xFF;
        int tuple = control & 0x03;
        boolean reverse = (control & 0x04) != 0;
        boolean absoluteSeq = (control & 0x08) != 0;
        boolean absoluteAck = (control & 0x10) != 0;
        boolean cut = (control & 0x20) != 0;
        boolean lie = (control & 0x40) != 0;
        int flags = d[p + 1] & 0xFF;
        int seq = int32(d, p + 2);
        int ack = int32(d, p + 6);
        int window = ((d[p + 10] & 0xFF) << 8) | (d[p + 11] & 0xFF);
        int payload = (((d[p + 12] & 0xFF) << 8) | (d[p + 13] & 0xFF)) % (MAX_PAYLOAD + 1);
        int sender = reverse ? 1 : 0;
        if (!absoluteSeq) {
            seq += BASE_ISN[tuple][sender];
        }
        if (!absoluteAck) {
            ack += BASE_ISN[tuple][1 - sender];
        }
        int srcPort = reverse ? PORT_B[tuple] : PORT_A[tuple];
        int dstPort = reverse ? PORT_A[tuple] : PORT_B[tuple];
        return builder.build(tuple == 2, reverse, srcPort, dstPort, seq, ack, flags, window, d, p + 17, optionLength,
            payload, cut, lie);
    }

    static int int32(byte[] d, int p) {
        return ((d[p] & 0xFF) << 24) | ((d[p + 1] & 0xFF) << 16) | ((d[p + 2] & 0xFF) << 8) | (d[p + 3] & 0xFF);
    }

    /** Ethernet + IPv4 or IPv6 + TCP frames, built in one reused buffer (checksums are left zero: never checked). */
    static final class FrameBuilder {
        final byte[] buffer = new byte[14 + 40 + 60 + MAX_PAYLOAD];
        int originalLength;

        int build(boolean ipv6, boolean reverse, int srcPort, int dstPort, int seq, int ack, int flags, int window,
                  byte[] options, int optionsOffset, int optionLength, int payload, boolean cut, boolean lie) {
            byte[] b = buffer;
            java.util.Arrays.fill(b, 0, 14, (byte) 0);
            b[5] = (byte) (reverse ? 2 : 1);
            b[11] = (byte) (reverse ? 1 : 2);
            b[12] = (byte) (ipv6 ? 0x86 : 0x08);
            b[13] = (byte) (ipv6 ? 0xDD : 0x00);
            int paddedOptions = (optionLength + 3) & ~3;
            int tcpLength = 20 + paddedOptions;
            int ip = 14;
            int ipHeader = ipv6 ? 40 : 20;
            int tcp = ip + ipHeader;
            int ipLength = ipHeader + tcpLength + payload;
            // A lying IP length: 0 (unknown), a quarter, a half ... 7/4 of the real one (by the low flag bits).
            int declared = lie ? (ipLength * (flags & 7)) >>> 2 : ipLength;
            if (ipv6) {
                b[ip] = 0x60;
                b[ip + 1] = 0;
                b[ip + 2] = 0;
                b[ip + 3] = 0;
                put16(b, ip + 4, Math.max(0, declared - 40) & 0xFFFF);
                b[ip + 6] = 6;
                b[ip + 7] = 64;
                java.util.Arrays.fill(b, ip + 8, ip + 40, (byte) 0);
                b[ip + 8] = 0x20;
                b[ip + 9] = 0x01;
                b[ip + 10] = 0x0d;
                b[ip + 11] = (byte) 0xb8;
                b[ip + 24] = 0x20;
                b[ip + 25] = 0x01;
                b[ip + 26] = 0x0d;
                b[ip + 27] = (byte) 0xb8;
                b[ip + (reverse ? 39 : 23)] = 1;
                b[ip + (reverse ? 23 : 39)] = 2;
            } else {
                b[ip] = 0x45;
                b[ip + 1] = 0;
                put16(b, ip + 2, declared & 0xFFFF);
                put16(b, ip + 4, seq ^ ack);
                put16(b, ip + 6, 0x4000);
                b[ip + 8] = 64;
                b[ip + 9] = 6;
                put16(b, ip + 10, 0);
                put32(b, ip + (reverse ? 16 : 12), 0x0a000001);
                put32(b, ip + (reverse ? 12 : 16), 0x0a000002);
            }
            put16(b, tcp, srcPort);
            put16(b, tcp + 2, dstPort);
            put32(b, tcp + 4, seq);
            put32(b, tcp + 8, ack);
            b[tcp + 12] = (byte) ((tcpLength / 4) << 4);
            b[tcp + 13] = (byte) flags;
            put16(b, tcp + 14, window);
            put16(b, tcp + 16, 0);
            put16(b, tcp + 18, 0);
            System.arraycopy(options, optionsOffset, b, tcp + 20, optionLength);
            java.util.Arrays.fill(b, tcp + 20 + optionLength, tcp + tcpLength, (byte) 0);
            java.util.Arrays.fill(b, tcp + tcpLength, tcp + tcpLength + payload, (byte) 'x');
            originalLength = 14 + ipLength;
            // A cut frame keeps the headers and a part of the options and payload, like a small snaplen.
            return cut ? Math.min(originalLength, tcp + 20 + (seq & 0x3F)) : originalLength;
        }

        private static void put16(byte[] b, int o, int v) {
            b[o] = (byte) (v >>> 8);
            b[o + 1] = (byte) v;
        }

        private static void put32(byte[] b, int o, int v) {
            b[o] = (byte) (v >>> 24);
            b[o + 1] = (byte) (v >>> 16);
            b[o + 2] = (byte) (v >>> 8);
            b[o + 3] = (byte) v;
        }
    }
}
