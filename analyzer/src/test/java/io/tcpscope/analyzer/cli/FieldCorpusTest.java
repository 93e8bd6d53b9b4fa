package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tcpscope.analyzer.testing.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Third-party captures from the shared corpus (skipped when it is absent) whose answers
 * were checked against tshark: encapsulations, offline filters, the capture clock.
 */
class FieldCorpusTest {
    static final Path CORPUS = Path.of("/work/shared/corpus");

    static Path corpus(String name) {
        Path p = CORPUS.resolve(name);
        Assumptions.assumeTrue(Files.isRegularFile(p), "no " + p);
        return p;
    }

    static List<Map<String, Object>> records(CliRun r, String type) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : r.outLines()) {
            Map<String, Object> o = Json.object(Json.parse(line));
            if (type.equals(o.get("type"))) {
                out.add(o);
            }
        }
        return out;
    }

    static Map<String, Object> summary(CliRun r) {
        List<Map<String, Object>> s = records(r, "summary");
        assertEquals(1, s.size(), r.out() + r.err());
        return s.get(0);
    }

    static long number(Object o) {
        return ((Number) o).longValue();
    }

    /** tshark -z conv,tcp: 3 (IPv4 over Ethernet, IPv4 over PPPoE, IPv6 over L2TP over PPPoE). */
    @Test
    void pppoeAndL2tp() {
        CliRun r = CliRun.of("analyze", "--format", "jsonl", corpus("dpkt/nb6-http.pcap").toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(3, records(r, "connection").size(), r.out());
        assertEquals(30, number(summary(r).get("tcp_frames")));
    }

    /** tshark: 1 connection, 8 frames, all over 802.3 + LLC/SNAP. */
    @Test
    void llcSnap() {
        CliRun r = CliRun.of("analyze", "--format", "jsonl", corpus("zeek/snap-tcp.pcap").toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(1, records(r, "connection").size(), r.out());
        assertEquals(8, number(summary(r).get("tcp_frames")));
    }
}
