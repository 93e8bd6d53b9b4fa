package io.tcpscope.analyzer.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.engine.Pipeline;
import io.tcpscope.analyzer.report.Alerts;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.analyzer.tcp.TcpState;
import io.tcpscope.analyzer.testing.Json;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.PacketSource;
import io.tcpscope.capture.file.CaptureFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Over every kernel-truth fixture: the set of codes raised (per-connection and summary) is the
 * one its scenario (case.md) calls for, and nothing fires on healthy traffic; where the
 * kernel's truth decides it, the code agrees with it (HALF_OPEN: the server's socket was a
 * SYN-RECV request socket at the end; STUCK_FIN_WAIT_2: FIN_WAIT_2 facing CLOSE_WAIT).
 */
class FixtureDiagnosesTest {

    /** The codes each fixture must raise; every fixture not listed must raise none. */
    static final Map<String, String> EXPECTED = new TreeMap<>(Map.ofEntries(
            Map.entry("bulk-random-loss", "RETRANSMISSIONS"),
            Map.entry("router-user-timeout-ipv6-ctap", "RETRANSMISSIONS"),
            Map.entry("router-syn-timewait-stap", "RESET"),
            Map.entry("router-syn-timewait-ipv6-stap", "RESET"),
            Map.entry("router-syn-timewait-ipv6-ctap", "RESET"),
            Map.entry("router-syn-timewait-ctap", "RESET"),
            Map.entry("router-rst-window-stap", "RESET"),
            Map.entry("router-rst-window-ipv6-stap", "RESET"),
            Map.entry("router-rst-window-ipv6-ctap", "RESET"),
            Map.entry("router-rst-window-ctap", "RESET"),
            Map.entry("router-rst-close-wait-ctap", "RESET"),
            Map.entry("router-orphan-fin-timeout-stap", "ORPHAN_RESET,RESET"),
            Map.entry("router-orphan-fin-timeout-ctap", "ORPHAN_RESET,RESET"),
            Map.entry("router-keepalive-death-stap", "RESET"),
            Map.entry("router-keepalive-death-ctap", "RESET"),
            Map.entry("router-keepalive-deaf-ipv6-stap", "RESET"),
            Map.entry("router-keepalive-deaf-ipv6-ctap", "RESET"),
            Map.entry("router-give-up-fin-stap", "RETRANSMISSIONS"),
            Map.entry("router-give-up-fin-ctap", "RETRANSMISSIONS"),
            Map.entry("router-give-up-data-stap", "RETRANSMISSIONS"),
            Map.entry("router-give-up-data-ctap", "RETRANSMISSIONS"),
            Map.entry("router-forged-rst-stap", "RESET"),
            Map.entry("router-forged-rst-ipv6-stap", "RESET"),
            Map.entry("router-forged-rst-ipv6-ctap", "RESET"),
            Map.entry("router-forged-rst-ctap", "RESET"),
            Map.entry("router-backlog-abort-stap", "RESET"),
            Map.entry("router-backlog-abort-ctap", "RESET"),
            Map.entry("close-with-unread-data-server", "RESET"),
            Map.entry("ipv6-refused", "REFUSED"),
            Map.entry("ipv6-rst-by-server", "RESET"),
            Map.entry("ipv6-syn-unanswered", "UNANSWERED_SYN"),
            Map.entry("keepalive-dead-peer", "RESET"),
            Map.entry("linger-timeout", "ZERO_WINDOW_STALL"),
            Map.entry("many-connections", "RESET"),
            Map.entry("many-mixed-ipv6", "RESET"),
            Map.entry("orphan-fin-timeout", "ORPHAN_RESET,RESET"),
            Map.entry("peer-lost-state", "RESET"),
            Map.entry("peer-lost-state-server", "RESET"),
            Map.entry("port-reuse-after-rst", "RESET"),
            Map.entry("random-loss-many", "RESET,RETRANSMISSIONS"),
            Map.entry("random-loss-server-side", "RESET,RETRANSMISSIONS"),
            Map.entry("refused", "REFUSED"),
            Map.entry("reply-after-close", "ORPHAN_RESET,RESET"),
            Map.entry("rst-after-fin", "RESET"),
            Map.entry("rst-by-client", "RESET"),
            Map.entry("rst-by-server", "RESET"),
            Map.entry("rst-reply-to-synack", "RESET"),
            Map.entry("rst-reply-to-synack-twin", "RESET"),
            Map.entry("server-side-random-loss-ipv6", "RESET,RETRANSMISSIONS"),
            Map.entry("server-side-refused", "REFUSED"),
            Map.entry("server-side-reply-after-close", "ORPHAN_RESET,RESET"),
            Map.entry("server-side-rst-by-client", "RESET"),
            Map.entry("server-side-rst-lost", "RESET"),
            Map.entry("server-side-stuck-fin-wait-2", "STUCK_FIN_WAIT_2"),
            Map.entry("server-side-syn-received-gives-up", "RESET,RETRANSMISSIONS"),
            Map.entry("server-side-zero-window", "ZERO_WINDOW_STALL"),
            Map.entry("stuck-fin-wait-2", "STUCK_FIN_WAIT_2"),
            Map.entry("stuck-orphan-timeout-rst", "ORPHAN_RESET,RESET"),
            Map.entry("syn-flood", "HALF_OPEN,SYN_FLOOD"),
            Map.entry("syn-flood-no-cookies", "HALF_OPEN,SYN_FLOOD,UNANSWERED_SYN"),
            Map.entry("syn-received-gives-up", "RESET,RETRANSMISSIONS"),
            Map.entry("syn-sent-gives-up", "UNANSWERED_SYN"),
            Map.entry("syn-sent-gives-up-default", "UNANSWERED_SYN"),
            Map.entry("syn-unanswered", "UNANSWERED_SYN"),
            Map.entry("zero-window", "ZERO_WINDOW_STALL"),
            Map.entry("zero-window-loss", "ZERO_WINDOW_STALL")));

    static Path fixturesDir() {
        return Path.of(System.getProperty("tcpscope.fixtures", "../fixtures"));
    }

    record Run(List<ConnectionRecord> records, Alerts alerts) {
    }

    static Run run(Path capture) throws Exception {
        List<ConnectionRecord> records = new ArrayList<>();
        Alerts alerts = new Alerts();
        Pipeline p = new Pipeline(OsProfile.LINUX, Pipeline.Settings.defaults(), r -> {
            records.add(r);
            alerts.record(r);
        });
        try (PacketSource source = CaptureFiles.open(capture)) {
            Frame f;
            while ((f = source.next()) != null) {
                p.onFrame(f);
            }
        }
        p.finish();
        return new Run(records, alerts);
    }

    @Test
    void everyFixtureRaisesExactlyTheCodesItsScenarioCallsFor() throws Exception {
        List<Path> cases;
        try (Stream<Path> s = Files.list(fixturesDir())) {
            cases = s.filter(p -> Files.exists(p.resolve("capture.pcap"))).sorted().toList();
        }
        assertTrue(cases.size() >= 80, "fixtures found: " + cases.size());
        List<String> wrong = new ArrayList<>();
        int healthy = 0;
        for (Path dir : cases) {
            Run run = run(dir.resolve("capture.pcap"));
            TreeSet<String> codes = new TreeSet<>();
            run.alerts().counts().keySet().forEach(c -> codes.add(c.name()));
            String name = dir.getFileName().toString();
            String expected = EXPECTED.getOrDefault(name, "");
            if (expected.isEmpty()) {
                healthy++;
            }
            if (!String.join(",", codes).equals(expected)) {
                wrong.add(name + ": raised [" + String.join(",", codes) + "], expected [" + expected + "]");
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(healthy >= 40, "fixtures that must raise nothing: " + healthy);
    }

    /** HALF_OPEN exactly for the connections whose server the kernel left in SYN_RECEIVED (a request socket). */
    @Test
    void halfOpenAgreesWithTheKernelOnBothFloods() throws Exception {
        for (String name : List.of("syn-flood", "syn-flood-no-cookies")) {
            Path dir = fixturesDir().resolve(name);
            Map<String, Object> truth = Json.object(Json.parse(Files.readString(dir.resolve("truth.json"))));
            TreeSet<String> kernel = new TreeSet<>();
            for (Object o : Json.array(truth.get("connections"))) {
                Map<String, Object> c = Json.object(o);
                Map<String, Object> server = Json.object(Json.object(c.get("endpoints")).get("server"));
                if ("SYN_RECEIVED".equals(server.get("final"))) {
                    Map<String, Object> client = Json.object(c.get("client"));
                    kernel.add(client.get("ip") + ":" + client.get("port"));
                }
            }
            TreeSet<String> ours = new TreeSet<>();
            for (ConnectionRecord r : run(dir.resolve("capture.pcap")).records()) {
                boolean halfOpen = r.diagnoses().stream().anyMatch(d -> d.code() == DiagnosisCode.HALF_OPEN);
                if (halfOpen) {
                    assertEquals(TcpState.SYN_RECEIVED, r.server().state());
                    ours.add(r.client().endpoint());
                }
            }
            assertTrue(!kernel.isEmpty(), name);
            assertEquals(kernel, ours, name);
        }
    }

    @Test
    void theFloodsAreOnePerListenerWithCookiesOnlyWhereTheKernelUsedThem() throws Exception {
        List<SynFloods.Flood> cookies = run(fixturesDir().resolve("syn-flood/capture.pcap")).alerts().floods();
        assertEquals(1, cookies.size());
        assertEquals("10.77.0.2:8080", cookies.get(0).listener());
        assertTrue(cookies.get(0).cookiesInUse());
        Run noCookies = run(fixturesDir().resolve("syn-flood-no-cookies/capture.pcap"));
        List<SynFloods.Flood> none = noCookies.alerts().floods();
        assertEquals(1, none.size());
        SynFloods.Flood f = none.get(0);
        assertTrue(!f.cookiesInUse(), f.message());
        // its counts are the records': half-open ones carry HALF_OPEN, unanswered ones UNANSWERED_SYN
        assertEquals((long) noCookies.alerts().counts().get(DiagnosisCode.HALF_OPEN), f.halfOpen());
        assertEquals((long) noCookies.alerts().counts().get(DiagnosisCode.UNANSWERED_SYN), f.unanswered());
        assertEquals(0, f.undecided(), "every record built at the end, seconds after its SYN");
        assertEquals(f.attempts(), f.halfOpen() + f.gaveUp() + f.synCookies() + f.unanswered() + f.undecided());
    }
}
