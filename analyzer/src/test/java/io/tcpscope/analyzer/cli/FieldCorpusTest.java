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

    /** -f keeps the file's frame numbers: connection 1 of ftp-ipv6 has frames 30-43 (Wireshark's). */
    @Test
    void filterKeepsFrameNumbers() {
        String file = corpus("zeek/ftp-ipv6.pcap").toString();
        CliRun r = CliRun.of("analyze", "--format", "jsonl", "-f", "tcp port 57086", file);
        assertEquals(0, r.exit(), r.err());
        List<Map<String, Object>> c = records(r, "connection");
        assertEquals(1, c.size(), r.out());
        assertEquals(30, number(c.get(0).get("first_frame")));
        assertEquals(43, number(c.get(0).get("last_frame")));
        CliRun all = CliRun.of("analyze", "--format", "jsonl", file);
        assertEquals(summary(all).get("end_ts"), summary(r).get("end_ts"), "the capture ends at the file's last frame");
        Map<String, Object> filter = Json.object(summary(r).get("filter"));
        assertEquals("tcp port 57086", filter.get("expression"));
        assertEquals(summary(all).get("frames"), filter.get("frames_read"));
        assertEquals(9L, number(summary(r).get("frames")));
    }

    /** A pcapng with 126 interfaces (Ethernet, SLL, 802.3br): -f reads it with the Java reader. */
    @Test
    void filterOnMultiLinkTypePcapng() {
        String file = corpus("zeek/ldap-gap-data-missing.pcapng").toString();
        CliRun r = CliRun.of("analyze", "--format", "jsonl", "-f", "vlan and tcp", file);
        assertEquals(0, r.exit(), r.err());
        assertEquals(18, number(summary(r).get("tcp_frames")));
        assertEquals(null, summary(r).get("damage"));
        CliRun none = CliRun.of("analyze", "--format", "jsonl", "-f", "tcp", file); // tcpdump: 0 too (VLAN)
        assertEquals(0, none.exit(), none.err());
        assertEquals(true, none.err().contains("kept none of the 18 frames"), none.err());
    }

    /** Without the ICMPv6 frames the clock must still reach the file's end: the diagnosis stays. */
    @Test
    void filterKeepsTheCaptureEnd() {
        String file = CliRun.fixtures().resolve("stuck-fin-wait-2/capture.pcap").toString();
        CliRun filtered = CliRun.of("analyze", "--format", "jsonl", "-f", "tcp", file);
        CliRun all = CliRun.of("analyze", "--format", "jsonl", file);
        assertEquals(0, filtered.exit(), filtered.err());
        assertEquals(summary(all).get("end_ts"), summary(filtered).get("end_ts"));
        assertEquals(summary(all).get("alerts"), summary(filtered).get("alerts"));
        assertEquals(true, filtered.out().contains("STUCK_FIN_WAIT_2"), filtered.out());
    }

    /** Frame 3 is stamped 28 years after frames 2 and 4: not a 251385-hour connection. */
    @Test
    void clockJumpDoesNotPoisonDurations() {
        CliRun r = CliRun.of("analyze", "--format", "jsonl", corpus("arkime/y2038-bgp.pcap").toString());
        assertEquals(0, r.exit(), r.err());
        Map<String, Object> c = records(r, "connection").get(0);
        assertEquals(true, ((Number) c.get("duration_s")).doubleValue() < 1.0, c.toString());
        assertEquals(true, String.valueOf(summary(r).get("clock")).contains("frame 3"), summary(r).toString());
        assertEquals(true, r.err().contains("warning") && r.err().contains("+28.7 years"), r.err());
    }
}
