package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.testing.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line through {@code Main.run}: exit codes, one-line errors, and the main options. */
class CliTest {
    @TempDir
    Path tmp;

    static final String CLOSE_BY_CLIENT = CliRun.fixture("close-by-client").toString();

    private static void assertOneLineError(CliRun r, int exit) {
        assertEquals(exit, r.exit(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().startsWith("tcpscope: "), r::toString);
        assertFalse(r.leaksStackTrace(), r::toString);
    }

    private static void assertUsageError(CliRun r) {
        assertEquals(2, r.exit(), r::toString);
        List<String> err = r.errLines();
        assertEquals(2, err.size(), r::toString);
        assertTrue(err.get(0).startsWith("tcpscope: "), r::toString);
        assertEquals("Try 'tcpscope --help' for more information.", err.get(1));
        assertFalse(r.leaksStackTrace(), r::toString);
        assertEquals("", r.out());
    }

    @Test
    void helpListsAnalyze() {
        CliRun r = CliRun.of("--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("analyze CAPTURE"), r::toString);
        assertTrue(r.out().startsWith("Usage: tcpscope"), r::toString);
        assertEquals("", r.err());
        assertEquals(r.out(), CliRun.of("-h").out());
    }

    @Test
    void analyzeHelpListsItsOptions() {
        CliRun r = CliRun.of("analyze", "--help");
        assertEquals(0, r.exit());
        for (String option : List.of("--filter", "--format", "--stuck-after", "--timeline", "--max-connections")) {
            assertTrue(r.out().contains(option), () -> option + " missing:\n" + r.out());
        }
        assertFalse(r.out().contains("--snaplen"), "live-only option listed for analyze");
        assertEquals("", r.err());
    }

    @Test
    void versionPrintsTcpscope() {
        CliRun r = CliRun.of("--version");
        assertEquals(0, r.exit());
        assertEquals("tcpscope " + Main.VERSION, r.outLines().get(0));
        assertEquals(0, CliRun.of("-V").exit());
    }

    @Test
    void noArgumentsIsAUsageError() {
        CliRun r = CliRun.of();
        assertEquals(2, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().contains("Usage: tcpscope"), r::toString);
    }

    @Test
    void unknownCommand() {
        CliRun r = CliRun.of("frobnicate");
        assertUsageError(r);
        assertEquals("tcpscope: unknown command 'frobnicate'", r.errLines().get(0));
    }

    @Test
    void unknownOption() {
        CliRun r = CliRun.of("analyze", "--bogus", CLOSE_BY_CLIENT);
        assertUsageError(r);
        assertTrue(r.errLines().get(0).contains("--bogus"), r::toString);
    }

    @Test
    void missingCaptureArgument() {
        CliRun r = CliRun.of("analyze");
        assertUsageError(r);
        assertEquals("tcpscope: analyze: missing CAPTURE file", r.errLines().get(0));
    }

    @Test
    void missingFile() {
        Path missing = tmp.resolve("no-such.pcap");
        CliRun r = CliRun.of("analyze", missing.toString());
        assertOneLineError(r, 3);
        assertTrue(r.err().contains(missing.toString()), r::toString);
        assertEquals("", r.out());
    }

    @Test
    void notACapture() throws IOException {
        Path text = tmp.resolve("notes.txt");
        Files.writeString(text, "these are not the packets you are looking for\n");
        CliRun r = CliRun.of("analyze", text.toString());
        assertOneLineError(r, 4);
        assertTrue(r.err().contains(text.toString()) && r.err().contains("not a pcap or pcapng file"), r::toString);
    }

    @Test
    void emptyFile() throws IOException {
        Path empty = tmp.resolve("empty.pcap");
        Files.write(empty, new byte[0]);
        CliRun r = CliRun.of("analyze", empty.toString());
        assertOneLineError(r, 4);
        assertEquals("tcpscope: " + empty + ": empty file", r.errLines().get(0));
    }

    /** A classic pcap (microseconds, little-endian) with one frame. */
    static byte[] pcap(int linkType, byte[] frame) {
        ByteBuffer b = ByteBuffer.allocate(24 + 16 + frame.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(linkType);
        b.putInt(1_700_000_000).putInt(0).putInt(frame.length).putInt(frame.length).put(frame);
        return b.array();
    }

    @Test
    void unsupportedLinkType() throws IOException {
        Path wifi = tmp.resolve("user0.pcap");
        byte[] frame = new byte[60];
        frame[0] = (byte) 0x80;
        Files.write(wifi, pcap(147, frame)); // LINKTYPE_USER0 (802.11, once the example here, is read now)
        CliRun r = CliRun.of("analyze", wifi.toString());
        assertOneLineError(r, 4);
        assertTrue(r.err().contains("unsupported link type LINKTYPE 147"), r::toString);
        assertTrue(r.err().contains(wifi.toString()), r::toString);
    }

    @Test
    void truncatedCaptureIsAnalyzedUpToTheDamage() throws IOException {
        byte[] whole = Files.readAllBytes(Path.of(CLOSE_BY_CLIENT));
        Path cut = tmp.resolve("cut.pcap");
        Files.write(cut, java.util.Arrays.copyOf(whole, 1000)); // inside frame 6's record
        CliRun r = CliRun.of("analyze", "--format", "jsonl", cut.toString());
        assertEquals(1, r.exit(), r::toString);
        List<String> err = r.errLines();
        assertEquals(1, err.size(), r::toString);
        assertTrue(err.get(0).startsWith("tcpscope: warning: " + cut + ": truncated record"), r::toString);
        assertTrue(err.get(0).contains("frame 6"), r::toString);
        assertFalse(r.leaksStackTrace());
        List<String> lines = r.outLines();
        Map<String, Object> conn = Json.object(Json.parse(lines.get(0)));
        assertEquals("connection", conn.get("type"));
        Map<String, Object> fin = Json.object(conn.get("final"));
        assertEquals("ESTABLISHED", fin.get("client"));
        Map<String, Object> summary = Json.object(Json.parse(lines.get(lines.size() - 1)));
        assertEquals("summary", summary.get("type"));
        assertNotNull(summary.get("damage"));
        assertTrue(((String) summary.get("damage")).contains("truncated record"), summary::toString);
        assertEquals(5L, ((Number) summary.get("frames")).longValue());
    }

    @Test
    void badStuckAfter() {
        CliRun r = CliRun.of("analyze", "--stuck-after", "soon", CLOSE_BY_CLIENT);
        assertUsageError(r);
        assertTrue(r.errLines().get(0).contains("invalid duration 'soon'"), r::toString);
        assertUsageError(CliRun.of("analyze", "--stuck-after", "-5s", CLOSE_BY_CLIENT));
        assertUsageError(CliRun.of("analyze", "--stuck-after", "10 parsecs", CLOSE_BY_CLIENT));
    }

    @Test
    void badFormat() {
        CliRun r = CliRun.of("analyze", "--format", "xml", CLOSE_BY_CLIENT);
        assertUsageError(r);
        assertTrue(r.errLines().get(0).contains("invalid --format 'xml'"), r::toString);
    }

    @Test
    void badTimelineId() {
        assertUsageError(CliRun.of("analyze", "--timeline", "first", CLOSE_BY_CLIENT));
        assertUsageError(CliRun.of("analyze", "--timeline", "-1", CLOSE_BY_CLIENT));
    }

    private static final Pattern ROW = Pattern.compile("^\\+(\\d+\\.\\d{6})\\s+(\\d+)\\s+(client|server)\\s+([A-Z_0-9]+)\\s+(seen|evidence|assumed|timer)\\s+(.+)$");

    @Test
    void timelinePrintsBothSidesWithFrames() {
        CliRun r = CliRun.of("analyze", "--timeline", "0", CLOSE_BY_CLIENT);
        assertEquals(0, r.exit(), r::toString);
        List<String> rows = new ArrayList<>();
        for (String line : r.outLines()) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                rows.add(m.group(2) + " " + m.group(3) + " " + m.group(4));
            }
        }
        assertEquals(List.of(
                "3 client SYN_SENT",
                "3 server LISTEN",
                "4 server SYN_RECEIVED",
                "5 client ESTABLISHED",
                "5 server ESTABLISHED",
                "14 client FIN_WAIT_1",
                "15 server CLOSE_WAIT",
                "15 client FIN_WAIT_2",
                "16 server LAST_ACK",
                "17 client TIME_WAIT",
                "17 server CLOSED"), rows, r::toString);
        assertTrue(r.out().contains("final: client TIME_WAIT, server CLOSED"), r::toString);
        assertTrue(r.outLines().get(0).startsWith("connection 0: client 10.77.0.1:40001, server 10.77.0.2:8080"), r::toString);
    }

    @Test
    void timelineOfAnUnknownConnection() {
        CliRun r = CliRun.of("analyze", "--timeline", "42", CLOSE_BY_CLIENT);
        assertEquals(2, r.exit(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().contains("no connection 42"), r::toString);
        assertEquals("", r.out());
    }

    /** What a connection line says, without frame numbers (a filter renumbers frames). */
    private static List<String> essence(CliRun r) {
        List<String> out = new ArrayList<>();
        for (String line : r.outLines()) {
            Map<String, Object> o = Json.object(Json.parse(line));
            if (!"connection".equals(o.get("type"))) {
                continue;
            }
            StringBuilder sb = new StringBuilder();
            sb.append(o.get("id")).append(' ').append(o.get("client")).append(' ').append(o.get("server"))
                    .append(' ').append(o.get("final")).append(' ').append(o.get("flags"));
            Map<String, Object> states = Json.object(o.get("states"));
            for (String side : List.of("client", "server")) {
                for (Object t : Json.array(states.get(side))) {
                    Map<String, Object> tr = Json.object(t);
                    sb.append(' ').append(side).append(':').append(tr.get("state")).append('@').append(tr.get("ts"));
                }
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Test
    void bpfFilterThroughLibpcapKeepsMatchingConnections() {
        for (String fixture : List.of("close-by-client", "simultaneous-close", "timewait-reuse")) {
            String file = CliRun.fixture(fixture).toString();
            CliRun plain = CliRun.of("analyze", "--format", "jsonl", file);
            CliRun filtered = CliRun.of("analyze", "--format", "jsonl", "-f", "tcp port 8080", file);
            assertEquals(0, plain.exit(), plain::toString);
            assertEquals(0, filtered.exit(), filtered::toString);
            List<String> a = essence(plain);
            assertFalse(a.isEmpty());
            assertEquals(a, essence(filtered), fixture);
            // Only TCP frames pass the filter.
            List<String> lines = filtered.outLines();
            Map<String, Object> s = Json.object(Json.parse(lines.get(lines.size() - 1)));
            assertEquals(s.get("frames"), s.get("tcp_frames"), fixture);
        }
    }

    @Test
    void filterThatMatchesNothingGivesNoConnections() {
        CliRun r = CliRun.of("analyze", "--format", "jsonl", "--filter", "tcp port 9", CLOSE_BY_CLIENT);
        assertEquals(0, r.exit(), r::toString);
        assertEquals(1, r.outLines().size(), r::toString);
        Map<String, Object> s = Json.object(Json.parse(r.outLines().get(0)));
        assertEquals(0L, ((Number) s.get("connections")).longValue());
    }

    @Test
    void badFilter() {
        CliRun r = CliRun.of("analyze", "-f", "tcp port", CLOSE_BY_CLIENT);
        assertOneLineError(r, 9);
        assertEquals("tcpscope: bad filter 'tcp port': syntax error", r.errLines().get(0));
    }
}
