package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcpscope.analyzer.testing.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * INCONSISTENT says where: the first contradiction of each side is in the JSON record
 * ({@code inconsistency}) and in the timeline at its time (BASIS {@code CONFLICT}), and a
 * connection without the flag has neither.
 */
class InconsistencyTest {
    /** suricata-verify's Linux evasion test: the server sends data after the RST it was seen to send. */
    private static Path evasion() {
        Path corpus = CliRun.sharedCorpus();
        assumeTrue(corpus != null, "the shared corpus is not beside the repo");
        Path p = corpus.resolve("suricata-verify/bug-3286-02-linux-evasion.pcap");
        assumeTrue(Files.exists(p), p + " is missing");
        return p;
    }

    @Test
    void theRecordAndTheTimelineSayWhereTheEvidenceContradictedItself() {
        Path capture = evasion();
        CliRun jsonl = CliRun.of("analyze", "--format", "jsonl", capture.toString());
        assertEquals(0, jsonl.exit(), jsonl::toString);
        Map<String, Object> c = Json.object(Json.parse(jsonl.outLines().get(0)));
        List<Object> flags = Json.array(c.get("flags"));
        assertTrue(flags.contains("INCONSISTENT"), c::toString);
        Map<String, Object> where = Json.object(c.get("inconsistency"));
        assertNull(where.get("client"), where::toString);
        Map<String, Object> server = Json.object(where.get("server"));
        assertEquals("CLOSED", server.get("state"));
        assertEquals(3L, server.get("frame"));
        assertTrue(((String) server.get("cause")).startsWith("contradiction: "), server::toString);

        CliRun timeline = CliRun.of("analyze", "--timeline", "0", capture.toString());
        assertEquals(0, timeline.exit(), timeline::toString);
        String row = timeline.outLines().stream().filter(l -> l.contains("CONFLICT")).findFirst().orElse(null);
        assertNotNull(row, timeline::out);
        assertTrue(row.matches("\\+\\S+ +3  server  CLOSED +CONFLICT  contradiction: .*"), row);
    }

    @Test
    void aConsistentConnectionHasNoInconsistencyField() {
        CliRun r = CliRun.of("analyze", "--format", "jsonl", CliRun.fixture("close-by-client").toString());
        assertEquals(0, r.exit(), r::toString);
        String line = r.outLines().get(0);
        assertTrue(line.startsWith("{\"type\":\"connection\""), line);
        assertTrue(!line.contains("\"inconsistency\""), line);
    }
}
