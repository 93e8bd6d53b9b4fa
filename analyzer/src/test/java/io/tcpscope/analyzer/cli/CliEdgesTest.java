package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.testing.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Command-line edges found in the field (issue 9). */
class CliEdgesTest {
    static final String CLOSE_BY_CLIENT = CliRun.fixtures().resolve("close-by-client/capture.pcap").toString();

    @Test
    void secondTimelineIsAUsageError() {
        CliRun r = CliRun.of("analyze", "--timeline", "0", "--timeline", "1", CLOSE_BY_CLIENT);
        assertEquals(ExitCode.USAGE, r.exit());
        assertTrue(r.err().contains("--timeline given more than once"), r.err());
        assertEquals("", r.out());
        CliRun f = CliRun.of("analyze", "--format", "text", "--format", "jsonl", CLOSE_BY_CLIENT);
        assertEquals(ExitCode.USAGE, f.exit(), "any option twice");
    }

    /** jsonl + --timeline: the connection's record (both timelines are in it), not text. */
    @Test
    void jsonlTimelineIsTheConnectionRecord() {
        CliRun r = CliRun.of("analyze", "--format", "jsonl", "--timeline", "0", CLOSE_BY_CLIENT);
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.outLines();
        assertEquals(1, lines.size(), r.out());
        Map<String, Object> o = Json.object(Json.parse(lines.get(0)));
        assertEquals("connection", o.get("type"));
        assertEquals(0L, ((Number) o.get("id")).longValue());
        Map<String, Object> states = Json.object(o.get("states"));
        assertFalse(Json.array(states.get("client")).isEmpty());
        assertFalse(Json.array(states.get("server")).isEmpty());
    }

    @Test
    void liveHelpDoesNotTalkAboutReadingAFile() {
        CliRun r = CliRun.of("live", "--help");
        assertEquals(0, r.exit());
        assertFalse(r.out().contains("reads the file"), r.out());
        assertTrue(r.out().contains("default: 512"), r.out());
    }

    /** IPv6 rows line up with the header: every column starts where its title does. */
    @Test
    void ipv6RowsKeepTheTableAligned() {
        assertAligned(CliRun.fixtures().resolve("many-mixed-ipv6/capture.pcap").toString(), 10);
        // 44-character IPv6 endpoints next to IPv4 ones (PPPoE/L2TP capture, shared corpus)
        String wide = FieldCorpusTest.corpus("dpkt/nb6-http.pcap").toString();
        assertAligned(wide, 3);
    }

    private static void assertAligned(String capture, int minRows) {
        CliRun r = CliRun.of("analyze", capture);
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.outLines();
        String header = lines.get(0);
        int server = header.indexOf("SERVER ");
        int clientState = header.indexOf("CLIENT-STATE");
        int rows = 0;
        int headers = 1;
        for (String line : lines.subList(1, lines.size())) {
            if (line.isEmpty()) {
                break;
            }
            if (line.startsWith("ID ")) {
                // Rows stream out: a wider endpoint than the columns widens them once, and the
                // header is printed again above the rows it fits.
                header = line;
                server = header.indexOf("SERVER ");
                clientState = header.indexOf("CLIENT-STATE");
                assertTrue(++headers <= 2, "the columns widen at most once: " + r.out());
                continue;
            }
            rows++;
            assertEquals(' ', line.charAt(server - 1), line);
            assertTrue(line.charAt(server) != ' ', "SERVER column: " + header + "\n" + line);
            assertEquals(' ', line.charAt(clientState - 1), line);
            assertTrue(Character.isUpperCase(line.charAt(clientState)), "CLIENT-STATE column: " + header + "\n" + line);
        }
        assertTrue(rows >= minRows, r.out());
    }

    /** A state known from evidence names both frames: where the FIN passed, and the ACK that proves it. */
    @Test
    void timelineLabelsPassageAndProof() {
        CliRun r = CliRun.of("analyze", "--timeline", "0", CLOSE_BY_CLIENT);
        assertEquals(0, r.exit(), r.err());
        String closeWait = r.outLines().stream().filter(l -> l.contains("CLOSE_WAIT")).findFirst().orElseThrow();
        assertTrue(closeWait.contains("[passed: frame 14 at TIME; proof: frame 15]"), closeWait);
        assertTrue(closeWait.matches("\\+0\\.101086\\s+15\\s+server\\s+CLOSE_WAIT.*"), closeWait);
    }
}
