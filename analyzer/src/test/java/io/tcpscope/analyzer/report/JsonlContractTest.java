package io.tcpscope.analyzer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tcpscope.analyzer.cli.CliRun;
import io.tcpscope.analyzer.decode.DecodeResult;
import io.tcpscope.analyzer.decode.PacketDecoder;
import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.testing.Json;
import io.tcpscope.analyzer.tcp.TcpState;
import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.PacketSource;
import io.tcpscope.capture.file.CaptureFiles;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JSON Lines output is a contract for scripts: field names, types and values checked on real captures. */
class JsonlContractTest {
    static final Set<String> CONNECTION_REQUIRED = Set.of("type", "id", "client", "server", "role_inferred",
            "start_ts", "end_ts", "states", "final", "flags", "diagnoses");
    /** Emitted today beyond the required ones; a field outside both sets is an unreviewed contract change. */
    static final Set<String> CONNECTION_EXTRA = Set.of("ip_version", "duration_s", "first_frame", "last_frame",
            "packets", "bytes", "retransmissions", "syn_retransmissions", "out_of_order", "duplicates", "overlaps", "missed_bytes", "keepalives", "zero_window_probes",
            "duplicate_acks", "zero_windows", "lost_segments",
            "end_reason", "record_ts", "idle_s", "time_wait");
    static final Set<String> END_REASONS = Set.of("over", "new_incarnation", "idle", "evicted", "capture_end");
    static final Set<String> TRANSITION_REQUIRED = Set.of("ts", "state", "frame", "cause");
    static final Set<String> DIAGNOSIS_FIELDS = Set.of("code", "endpoint", "since_ts", "duration_s", "message");
    /** Only some codes carry a reason key (RESET). */
    static final Set<String> DIAGNOSIS_OPTIONAL = Set.of("reason");
    static final Set<String> SUMMARY_REQUIRED = Set.of("type", "frames", "tcp_frames", "skipped", "connections", "alerts");
    /** The states a report may print: NONE (no state yet) never is. */
    static final Set<String> STATE_NAMES = Arrays.stream(TcpState.values()).filter(s -> s != TcpState.NONE).map(Enum::name)
            .collect(Collectors.toSet());
    static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

    static CliRun jsonl(String fixture, String... extra) {
        String[] args = new String[3 + extra.length + 1];
        args[0] = "analyze";
        args[1] = "--format";
        args[2] = "jsonl";
        System.arraycopy(extra, 0, args, 3, extra.length);
        args[args.length - 1] = CliRun.fixture(fixture).toString();
        CliRun r = CliRun.of(args);
        assertEquals(0, r.exit(), r::toString);
        return r;
    }

    static long asLong(Object o, String what) {
        assertInstanceOf(Long.class, o, what + " must be an integer: " + o);
        return (Long) o;
    }

    static void assertNumber(Object o, String what) {
        assertTrue(o instanceof Long || o instanceof Double, what + " must be a number: " + o);
    }

    static void assertEndpoint(Object o, String what) {
        Map<String, Object> e = Json.object(o);
        assertEquals(Set.of("ip", "port"), e.keySet(), what);
        assertInstanceOf(String.class, e.get("ip"), what);
        long port = asLong(e.get("port"), what + ".port");
        assertTrue(port >= 0 && port <= 65535, what);
    }

    static void checkConnection(Map<String, Object> c, String where) {
        assertTrue(c.keySet().containsAll(CONNECTION_REQUIRED), () -> where + " missing " + CONNECTION_REQUIRED + " in " + c.keySet());
        for (String k : c.keySet()) {
            assertTrue(CONNECTION_REQUIRED.contains(k) || CONNECTION_EXTRA.contains(k), where + " unexpected field " + k);
        }
        assertEquals("connection", c.get("type"));
        assertTrue(asLong(c.get("id"), "id") >= 0);
        assertEndpoint(c.get("client"), where + " client");
        assertEndpoint(c.get("server"), where + " server");
        assertInstanceOf(Boolean.class, c.get("role_inferred"), where);
        assertNumber(c.get("start_ts"), where + " start_ts");
        assertNumber(c.get("end_ts"), where + " end_ts");
        if (c.containsKey("end_reason")) {
            assertTrue(END_REASONS.contains(c.get("end_reason")), where + " end_reason " + c.get("end_reason"));
            assertNumber(c.get("record_ts"), where + " record_ts");
            assertTrue(new java.math.BigDecimal(c.get("record_ts").toString())
                    .compareTo(new java.math.BigDecimal(c.get("end_ts").toString())) >= 0, where + " record_ts before end_ts");
        }
        Map<String, Object> states = Json.object(c.get("states"));
        assertEquals(Set.of("client", "server"), states.keySet(), where);
        for (String side : List.of("client", "server")) {
            for (Object t : Json.array(states.get(side))) {
                Map<String, Object> tr = Json.object(t);
                assertTrue(tr.keySet().containsAll(TRANSITION_REQUIRED), where + " transition " + tr);
                assertNumber(tr.get("ts"), where + " ts");
                assertTrue(STATE_NAMES.contains(tr.get("state")), where + " state " + tr.get("state"));
                assertTrue(asLong(tr.get("frame"), "frame") >= 1, where);
                assertInstanceOf(String.class, tr.get("cause"), where);
                assertFalse(((String) tr.get("cause")).isBlank(), where);
            }
        }
        Map<String, Object> fin = Json.object(c.get("final"));
        assertEquals(Set.of("client", "server"), fin.keySet(), where);
        assertTrue(STATE_NAMES.contains(fin.get("client")) && STATE_NAMES.contains(fin.get("server")), where + " final " + fin);
        for (Object f : Json.array(c.get("flags"))) {
            assertInstanceOf(String.class, f, where + " flag");
        }
        for (Object d : Json.array(c.get("diagnoses"))) {
            Map<String, Object> diag = Json.object(d);
            assertTrue(diag.keySet().containsAll(DIAGNOSIS_FIELDS), where);
            for (String k : diag.keySet()) {
                assertTrue(DIAGNOSIS_FIELDS.contains(k) || DIAGNOSIS_OPTIONAL.contains(k), where + " diagnosis field " + k);
            }
            assertInstanceOf(String.class, diag.get("code"));
            assertTrue(Set.of("client", "server").contains(diag.get("endpoint")), where);
            assertNumber(diag.get("since_ts"), where);
            assertNumber(diag.get("duration_s"), where);
            assertInstanceOf(String.class, diag.get("message"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"close-by-client", "ipv6", "many-connections", "syn-flood", "midstream", "refused",
            "simultaneous-open", "simultaneous-close", "timewait-reuse", "stuck-fin-wait-2", "zero-window"})
    void everyLineFollowsTheContract(String fixture) {
        List<String> lines = jsonl(fixture).outLines();
        assertFalse(lines.isEmpty());
        long connections = 0;
        for (int i = 0; i < lines.size(); i++) {
            Map<String, Object> o = Json.object(Json.parse(lines.get(i)));
            String where = fixture + " line " + (i + 1);
            if (i < lines.size() - 1) {
                assertEquals("connection", o.get("type"), where);
                checkConnection(o, where);
                assertEquals(connections, asLong(o.get("id"), "id"), where + ": ids in order from 0");
                connections++;
                // The last transition is the final state.
                Map<String, Object> states = Json.object(o.get("states"));
                for (String side : List.of("client", "server")) {
                    List<Object> t = Json.array(states.get(side));
                    if (!t.isEmpty()) {
                        assertEquals(Json.object(t.get(t.size() - 1)).get("state"), Json.object(o.get("final")).get(side), where);
                    }
                }
            } else {
                assertEquals("summary", o.get("type"), where + ": the last line is the summary");
                assertTrue(o.keySet().containsAll(SUMMARY_REQUIRED), where + " " + o.keySet());
                long frames = asLong(o.get("frames"), "frames");
                long tcp = asLong(o.get("tcp_frames"), "tcp_frames");
                Map<String, Object> skipped = Json.object(o.get("skipped"));
                long skippedSum = 0;
                for (Object v : skipped.values()) {
                    skippedSum += asLong(v, "skipped");
                }
                assertEquals(frames, tcp + skippedSum, where + ": every frame is TCP or skipped for a reason");
                assertEquals(connections, asLong(o.get("connections"), "connections"), where);
                for (Object a : Json.array(o.get("alerts"))) {
                    Map<String, Object> alert = Json.object(a);
                    assertInstanceOf(String.class, alert.get("code"));
                    assertTrue(asLong(alert.get("count"), "count") >= 1);
                    Json.array(alert.get("connections"));
                }
            }
        }
    }

    @Test
    void ipv6AddressesInRfc5952Form() {
        List<String> lines = jsonl("ipv6").outLines();
        Map<String, Object> c = Json.object(Json.parse(lines.get(0)));
        assertEquals("fd77::1", Json.object(c.get("client")).get("ip"));
        assertEquals("fd77::2", Json.object(c.get("server")).get("ip"));
        assertEquals(6L, c.get("ip_version"));
    }

    /** Frame number -> capture timestamp (nanoseconds), for TCP frames only, read independently of the analyzer. */
    static Map<Long, Long> tcpFrameTimes(Path capture) throws CaptureException {
        Map<Long, Long> times = new HashMap<>();
        PacketDecoder decoder = new PacketDecoder();
        TcpSegment seg = new TcpSegment();
        try (PacketSource src = CaptureFiles.open(capture)) {
            Frame f;
            while ((f = src.next()) != null) {
                if (decoder.decode(f.buffer(), f.offset(), f.capturedLength(), f.linkType(), seg) == DecodeResult.TCP) {
                    times.put(f.number(), f.timestampNanos());
                }
            }
        }
        return times;
    }

    /** The raw text of a numeric field, so that nanoseconds are not lost to a double. */
    static long rawNanos(String line, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(-?[0-9.]+)").matcher(line);
        if (!m.find()) {
            fail(field + " not in " + line);
        }
        return new BigDecimal(m.group(1)).movePointRight(9).longValueExact();
    }

    @ParameterizedTest
    @ValueSource(strings = {"close-by-client", "ipv6", "timewait-reuse", "many-connections"})
    void timestampsAreTheCapturesOwn(String fixture) throws CaptureException {
        Map<Long, Long> times = tcpFrameTimes(CliRun.fixture(fixture));
        long firstTcpFrame = times.keySet().stream().min(Long::compare).orElseThrow();
        List<String> lines = jsonl(fixture).outLines();
        String first = lines.get(0);
        assertEquals((long) times.get(firstTcpFrame), rawNanos(first, "start_ts"), fixture + ": first connection starts at the first TCP frame");
        for (String line : lines.subList(0, lines.size() - 1)) {
            Map<String, Object> c = Json.object(Json.parse(line));
            long firstFrame = asLong(c.get("first_frame"), "first_frame");
            long lastFrame = asLong(c.get("last_frame"), "last_frame");
            assertEquals((long) times.get(firstFrame), rawNanos(line, "start_ts"), fixture + " id " + c.get("id"));
            assertEquals((long) times.get(lastFrame), rawNanos(line, "end_ts"), fixture + " id " + c.get("id"));
            // A transition that a packet shows happened at that packet's time.
            Matcher m = Pattern.compile("\\{\"ts\":([0-9.]+),\"state\":\"[A-Z_0-9]+\",\"frame\":(\\d+),\"cause\":\"[^\"]*\",\"basis\":\"seen\"").matcher(line);
            int seen = 0;
            while (m.find()) {
                seen++;
                long ts = new BigDecimal(m.group(1)).movePointRight(9).longValueExact();
                assertEquals((long) times.get(Long.parseLong(m.group(2))), ts, fixture + " seen transition at frame " + m.group(2));
            }
            assertTrue(seen > 0, fixture + " has no seen transition in " + line);
        }
    }

    static Map<String, Object> onlyConnection(CliRun r) {
        List<String> lines = r.outLines();
        assertEquals(2, lines.size(), r::toString);
        return Json.object(Json.parse(lines.get(0)));
    }

    static Map<String, Object> summary(CliRun r) {
        List<String> lines = r.outLines();
        return Json.object(Json.parse(lines.get(lines.size() - 1)));
    }

    static void assertStuckFinWait2(CliRun r) {
        Map<String, Object> c = onlyConnection(r);
        assertEquals("FIN_WAIT_2", Json.object(c.get("final")).get("client"));
        assertEquals("CLOSE_WAIT", Json.object(c.get("final")).get("server"));
        List<Object> diagnoses = Json.array(c.get("diagnoses"));
        assertEquals(1, diagnoses.size(), r::toString);
        Map<String, Object> d = Json.object(diagnoses.get(0));
        assertEquals("STUCK_FIN_WAIT_2", d.get("code"));
        assertEquals("client", d.get("endpoint"), "the FIN_WAIT_2 side");
        String message = (String) d.get("message");
        assertTrue(message.contains("server 10.77.0.2:8080 is in CLOSE_WAIT"), message);
        assertTrue(message.startsWith("client 10.77.0.1:40004 stuck in FIN_WAIT_2"), message);
        List<Object> alerts = Json.array(summary(r).get("alerts"));
        assertEquals(1, alerts.size());
        Map<String, Object> alert = Json.object(alerts.get(0));
        assertEquals("STUCK_FIN_WAIT_2", alert.get("code"));
        assertEquals(1L, alert.get("count"));
        assertEquals(List.of(0L), alert.get("connections"));
    }

    static void assertNotStuck(CliRun r) {
        Map<String, Object> c = onlyConnection(r);
        assertEquals("FIN_WAIT_2", Json.object(c.get("final")).get("client"));
        assertEquals(List.of(), Json.array(c.get("diagnoses")));
        assertEquals(List.of(), Json.array(summary(r).get("alerts")));
    }

    @Test
    void stuckFinWait2RaisedWithTheDefaultThreshold() {
        assertStuckFinWait2(jsonl("stuck-fin-wait-2"));
    }

    @Test
    void stuckFinWait2RaisedOnceTheServerWasSilentLongEnough() {
        // The capture shows 34.96 s of silence from the CLOSE_WAIT side after its last ACK
        // (its last segment at ...13.290351343, the capture's last frame at ...48.247851981).
        assertStuckFinWait2(jsonl("stuck-fin-wait-2", "--stuck-after", "20s"));
        assertStuckFinWait2(jsonl("stuck-fin-wait-2", "--stuck-after", "34.9s"));
        assertNotStuck(jsonl("stuck-fin-wait-2", "--stuck-after", "35s"));
        Map<String, Object> d = Json.object(Json.array(onlyConnection(jsonl("stuck-fin-wait-2", "--stuck-after", "20s"))
                .get("diagnoses")).get(0));
        assertEquals(34.957500, (Double) d.get("duration_s"), 1e-6);
        assertNotNull(d.get("since_ts"));
    }

    @Test
    void stuckFinWait2NotRaisedWithTenMinutes() {
        assertNotStuck(jsonl("stuck-fin-wait-2", "--stuck-after", "10m"));
    }

    @Test
    void halfOpenOnSynFlood() {
        List<String> lines = jsonl("syn-flood").outLines();
        Map<String, Object> s = summary(jsonl("syn-flood"));
        long connections = asLong(s.get("connections"), "connections");
        List<Object> alerts = Json.array(s.get("alerts"));
        assertEquals(2, alerts.size());
        assertEquals("HALF_OPEN", Json.object(alerts.get(0)).get("code"));
        Map<String, Object> flood = Json.object(alerts.get(1));
        assertEquals("SYN_FLOOD", flood.get("code"));
        assertEquals(1L, flood.get("count"), "one listener");
        Map<String, Object> listener = Json.object(Json.array(flood.get("listeners")).get(0));
        assertEquals("10.77.0.2", listener.get("ip"));
        assertEquals(8080L, listener.get("port"));
        assertEquals(Boolean.TRUE, listener.get("cookies_in_use"));
        for (String k : List.of("attempts", "half_open", "gave_up", "syn_cookies", "unanswered", "synack_retransmissions", "sources",
                "peak_in_window")) {
            asLong(listener.get(k), k);
        }
        assertNumber(listener.get("syns_per_s"), "syns_per_s");
        long halfOpen = 0;
        for (String line : lines.subList(0, lines.size() - 1)) {
            for (Object d : Json.array(Json.object(Json.parse(line)).get("diagnoses"))) {
                assertEquals("server", Json.object(d).get("endpoint"));
                halfOpen++;
            }
        }
        assertEquals(halfOpen, asLong(Json.object(alerts.get(0)).get("count"), "count"));
        assertTrue(halfOpen > 0 && halfOpen <= connections);
    }
}
