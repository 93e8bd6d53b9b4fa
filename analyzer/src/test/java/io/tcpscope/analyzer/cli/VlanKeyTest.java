package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcpscope.analyzer.testing.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * VLAN ids are part of the connection key, as Zeek keys connections with its VLAN conn key:
 * zeek's {@code vlan-collisions.pcap} holds the same 4-tuple three times, untagged (frame 1),
 * on VLAN 42 (frame 2) and on QinQ 10/20 (frame 6), each with its own handshake and close.
 * Merged (tshark's conv,tcp and Zeek's default key give one conversation), the three
 * handshakes look like SYN retransmissions and the closes contradict each other.
 */
class VlanKeyTest {
    @Test
    void connectionsThatDifferOnlyByVlanAreDistinct() {
        Path corpus = CliRun.sharedCorpus();
        assumeTrue(corpus != null, "the shared corpus is not beside the repo");
        Path p = corpus.resolve("zeek/vlan-collisions.pcap");
        assumeTrue(Files.exists(p), p + " is missing");
        CliRun r = CliRun.of("analyze", "--format", "jsonl", p.toString());
        assertEquals(0, r.exit(), r::toString);
        TreeSet<Long> firstFrames = new TreeSet<>();
        for (String line : r.outLines()) {
            Map<String, Object> o = Json.object(Json.parse(line));
            if (!"connection".equals(o.get("type"))) {
                continue;
            }
            firstFrames.add((Long) o.get("first_frame"));
            Map<String, Object> fin = Json.object(o.get("final"));
            List<Object> flags = Json.array(o.get("flags"));
            assertEquals(false, flags.contains("INCONSISTENT"), line);
            assertEquals(false, flags.contains("MIDSTREAM"), line);
            assertEquals(false, "SYN_SENT".equals(fin.get("client")), line);
        }
        assertEquals(new TreeSet<>(List.of(1L, 2L, 6L)), firstFrames, r::out);
    }
}
