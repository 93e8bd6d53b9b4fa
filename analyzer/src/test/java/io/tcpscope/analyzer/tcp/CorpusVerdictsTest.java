package io.tcpscope.analyzer.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.cli.CliRun;
import io.tcpscope.analyzer.testing.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Verdicts on third-party captures of other stacks (the shared corpus, issue 9), read through
 * {@code analyze --format jsonl} and checked against what the packets say (and tshark's
 * conversations). Skipped where the corpus is not on the machine.
 */
class CorpusVerdictsTest {
    static final Path CORPUS = Path.of("/work/shared/corpus");

    static List<Map<String, Object>> connections(String file) {
        Path p = CORPUS.resolve(file);
        Assumptions.assumeTrue(Files.isRegularFile(p), "no " + p);
        CliRun r = CliRun.of("analyze", "--format", "jsonl", p.toString());
        assertEquals(0, r.exit(), r::toString);
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : r.outLines()) {
            Map<String, Object> o = Json.object(Json.parse(line));
            if ("connection".equals(o.get("type"))) {
                out.add(o);
            }
        }
        return out;
    }

    static String finalState(Map<String, Object> conn, String role) {
        return (String) Json.object(conn.get("final")).get(role);
    }

    static List<Object> flags(Map<String, Object> conn) {
        return Json.array(conn.get("flags"));
    }

    /**
     * bug-78-uricontent: the client resets (frame 7, seq 108 = the server's RCV.NXT), then its
     * host answers each of the server's next data segments with a no-socket RST, IPv4 ID 0,
     * seq 108, no timestamps, 30 ms apart. Those are three packets, not capture copies: the
     * server receives one after its data stops crossing the first, and is CLOSED.
     */
    @Test
    void rstsWithIpIdZeroAreDistinctPackets() {
        List<Map<String, Object>> conns = connections("suricata-verify/bug-78-uricontent.pcap");
        assertEquals(1, conns.size());
        Map<String, Object> c = conns.get(0);
        assertFalse(flags(c).contains("DUPLICATES"), flags(c).toString());
        assertEquals("CLOSED", finalState(c, "client"));
        assertEquals("CLOSED", finalState(c, "server"));
    }

    /**
     * ssh-ssh.client-side-half-duplex: only the clients' segments were captured. Each client's
     * FIN is followed about one round trip later by its ACK of the server's (missed) FIN: the
     * server answered the client's FIN (passive close), the FINs did not cross. Two connections
     * (ports 57191, 56878) ACK the server's FIN 50 us after their own FIN with a 213 us round
     * trip: those FINs did cross. No connection may end with the client CLOSING and the server
     * CLOSED, a pair that cannot hold together.
     */
    @Test
    void aMissedFinAnsweringOursIsNoSimultaneousClose() {
        List<Map<String, Object>> conns = connections("zeek/ssh-ssh.client-side-half-duplex.pcap");
        assertEquals(20, conns.size());
        int simultaneous = 0;
        for (Map<String, Object> c : conns) {
            String client = finalState(c, "client");
            String server = finalState(c, "server");
            assertFalse(client.equals("CLOSING") && server.equals("CLOSED"), c.get("id") + ": CLOSING with CLOSED");
            if (flags(c).contains("SIMULTANEOUS_CLOSE")) {
                simultaneous++;
                long port = (Long) Json.object(c.get("client")).get("port");
                assertTrue(port == 57191 || port == 56878, "crossing FINs only where they are 50 us apart: " + port);
            }
        }
        assertEquals(2, simultaneous);
    }
}
