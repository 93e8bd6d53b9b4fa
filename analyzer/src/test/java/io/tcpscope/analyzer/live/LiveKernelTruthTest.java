package io.tcpscope.analyzer.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.cli.ExitCode;
import io.tcpscope.analyzer.cli.Main;
import io.tcpscope.analyzer.cli.StopSignal;
import io.tcpscope.analyzer.testing.Json;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tcpscope live} against the Linux kernel. {@code fixtures/generator/live_check.py}
 * builds the fixture lab (two namespaces and a veth, tracefs {@code sock:inet_sock_set_state},
 * ss), runs {@code tcpscope live -i veth-a --format jsonl -w live.pcap --stuck-after 2s} in the
 * client namespace as a separate JVM, drives real sockets (closes by either side, a reset, a
 * refused connection, a stuck half-close), stops tcpscope with SIGINT and writes the kernel's
 * truth. This test reads tcpscope's stdout line by line while it runs (relayed by the script).
 *
 * <p>Runs as root with ip, nft, tcpdump, python3 and tracefs; skipped otherwise. About 10 s.
 */
class LiveKernelTruthTest {
    private static final String TRACEPOINT = "/sys/kernel/tracing/events/sock/inet_sock_set_state";
    /** Bound on the whole lab run; the script stops everything itself long before. */
    private static final long LAB_TIMEOUT_SECONDS = 150;

    private static Path out;
    private static final List<String> liveLines = new ArrayList<>();
    private static long capturePid = -1;
    /** Whether the tcpscope process was alive when this test read the STUCK_FIN_WAIT_2 line. */
    private static Boolean aliveAtStuckLine;
    private static int stuckLineIndex = -1;
    private static int exitedAfterLines = -1;
    private static Integer exitCode;
    private static boolean done;

    static Path fixturesDir() {
        return Path.of(System.getProperty("tcpscope.fixtures", "../fixtures"));
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static boolean root() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @BeforeAll
    static void runTheLab() throws Exception {
        Assumptions.assumeTrue(root(), "needs root (network namespaces, tracefs, capture)");
        for (String tool : new String[] {"ip", "nft", "tcpdump", "python3", "ss"}) {
            Assumptions.assumeTrue(onPath(tool), "needs " + tool);
        }
        Assumptions.assumeTrue(Files.isDirectory(Path.of(TRACEPOINT)), "needs tracefs with " + TRACEPOINT);
        out = Files.createTempDirectory("tcpscope-live-");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of("python3", fixturesDir().resolve("generator/live_check.py").toString(), out.toString(),
                "--", java, "-cp", System.getProperty("java.class.path"), Main.class.getName());
        Process lab = new ProcessBuilder(cmd).redirectError(out.resolve("lab.log").toFile()).start();
        Thread watchdog = new Thread(() -> {
            try {
                if (!lab.waitFor(LAB_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    lab.destroy(); // SIGTERM: the script tears the lab down
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        watchdog.setDaemon(true);
        watchdog.start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(lab.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("PID ")) {
                    capturePid = Long.parseLong(line.substring(4).trim());
                } else if (line.startsWith("LIVE ")) {
                    String json = line.substring(5);
                    if (stuckLineIndex < 0 && json.contains("\"type\":\"diagnosis\"") && json.contains("\"STUCK_FIN_WAIT_2\"")) {
                        // read as it arrives: is the capture still running right now?
                        aliveAtStuckLine = ProcessHandle.of(capturePid).map(ProcessHandle::isAlive).orElse(false);
                        stuckLineIndex = liveLines.size();
                    }
                    liveLines.add(json);
                } else if (line.startsWith("EXITED ")) {
                    exitedAfterLines = liveLines.size();
                    exitCode = Integer.valueOf(line.substring(7).trim());
                } else if (line.equals("DONE")) {
                    done = true;
                }
            }
        }
        lab.waitFor(LAB_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertTrue(done, "the lab run did not finish; see " + out.resolve("lab.log") + ":\n" + tail(out.resolve("lab.log")));
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (out != null && System.getenv("TCPSCOPE_KEEP_LIVE") == null) {
            try (var files = Files.walk(out)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String tail(Path p) throws IOException {
        if (!Files.exists(p)) {
            return "";
        }
        List<String> lines = Files.readAllLines(p);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static List<Map<String, Object>> objects(List<String> lines, String type) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (String l : lines) {
            Map<String, Object> o = Json.object(Json.parse(l));
            if (type.equals(o.get("type"))) {
                result.add(o);
            }
        }
        return result;
    }

    private static String tupleKey(Map<String, Object> a, Map<String, Object> b) {
        String x = a.get("ip") + "|" + a.get("port");
        String y = b.get("ip") + "|" + b.get("port");
        return x.compareTo(y) < 0 ? x + "~" + y : y + "~" + x;
    }

    private static List<String> stateNames(Object transitions) {
        List<String> names = new ArrayList<>();
        for (Object t : Json.array(transitions)) {
            names.add((String) Json.object(t).get("state"));
        }
        return names;
    }

    /** id, endpoints, both state sequences and finals: what live and offline must agree on. */
    private static String essentials(Map<String, Object> c) {
        Map<String, Object> states = Json.object(c.get("states"));
        return c.get("id") + " " + c.get("client") + " " + c.get("server") + " client=" + stateNames(states.get("client"))
                + " server=" + stateNames(states.get("server")) + " final=" + c.get("final");
    }

    @Test
    void liveStatesEqualTheKernel() throws Exception {
        Map<String, Object> truth = Json.object(Json.parse(Files.readString(out.resolve("truth.json"))));
        List<Map<String, Object>> live = objects(liveLines, "connection");
        Map<String, List<Map<String, Object>>> byTuple = new HashMap<>();
        live.stream().sorted((a, b) -> Long.compare((Long) a.get("id"), (Long) b.get("id"))).forEach(c ->
                byTuple.computeIfAbsent(tupleKey(Json.object(c.get("client")), Json.object(c.get("server"))),
                        k -> new ArrayList<>()).add(c));
        List<Object> connections = Json.array(truth.get("connections"));
        assertEquals(5, connections.size(), "the kernel saw the five scenario connections");
        assertEquals(connections.size(), live.size(), "live reported as many connections as the kernel had");
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        for (Object o : connections) {
            Map<String, Object> tc = Json.object(o);
            Map<String, Object> tClient = Json.object(tc.get("client"));
            Map<String, Object> tServer = Json.object(tc.get("server"));
            int incarnation = ((Long) tc.getOrDefault("incarnation", 0L)).intValue();
            List<Map<String, Object>> candidates = byTuple.getOrDefault(tupleKey(tClient, tServer), List.of());
            String where = tClient.get("ip") + ":" + tClient.get("port") + " -> " + tServer.get("ip") + ":" + tServer.get("port");
            if (incarnation >= candidates.size()) {
                mismatches.add(where + ": not in the live output");
                continue;
            }
            Map<String, Object> mine = candidates.get(incarnation);
            Map<String, Object> endpoints = Json.object(tc.get("endpoints"));
            for (String role : new String[] {"client", "server"}) {
                Map<String, Object> te = Json.object(endpoints.get(role));
                if (Boolean.FALSE.equals(te.get("compare"))) {
                    continue;
                }
                compared++;
                Map<String, Object> addr = role.equals("client") ? tClient : tServer;
                String side = addr.equals(mine.get("client")) ? "client" : "server";
                List<String> expected = new ArrayList<>();
                for (Object s : Json.array(te.get("states"))) {
                    expected.add((String) s);
                }
                List<String> actual = stateNames(Json.object(mine.get("states")).get(side));
                Object actualFinal = Json.object(mine.get("final")).get(side);
                if (!expected.equals(actual) || !te.get("final").equals(actualFinal) || !side.equals(role)) {
                    mismatches.add(where + " " + role + ": kernel " + expected + " (final " + te.get("final") + "), live "
                            + actual + " as " + side + " (final " + actualFinal + ")");
                }
            }
        }
        assertEquals(List.of(), mismatches);
        assertEquals(10, compared);
    }

    @Test
    void offlineAnalysisOfTheWrittenPcapEqualsTheLiveRun() throws Exception {
        Path pcap = out.resolve("live.pcap");
        Map<String, Object> run = Json.object(Json.parse(Files.readString(out.resolve("run.json"))));
        assertEquals(0L, run.get("tcpdump_rc"), "tcpdump -r reads the -w file");
        Map<String, Object> summary = objects(liveLines, "summary").get(0);
        assertEquals(summary.get("frames"), run.get("tcpdump_packets"), "every captured frame was written");

        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"analyze", "--format", "jsonl", "--stuck-after", "2s", pcap.toString()},
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8),
                new StopSignal());
        assertEquals(ExitCode.OK, rc, stderr.toString(StandardCharsets.UTF_8));
        List<String> offline = new ArrayList<>();
        for (Map<String, Object> c : objects(stdout.toString(StandardCharsets.UTF_8).lines().toList(), "connection")) {
            offline.add(essentials(c));
        }
        List<String> live = new ArrayList<>();
        objects(liveLines, "connection").stream()
                .sorted((a, b) -> Long.compare((Long) a.get("id"), (Long) b.get("id")))
                .forEach(c -> live.add(essentials(c)));
        assertEquals(live, offline);
        Map<String, Object> offlineSummary = objects(stdout.toString(StandardCharsets.UTF_8).lines().toList(), "summary").get(0);
        assertEquals(summary.get("frames"), offlineSummary.get("frames"));
        assertEquals(summary.get("tcp_frames"), offlineSummary.get("tcp_frames"));
    }

    @Test
    void stuckDiagnosisArrivesWhileTheCaptureRuns() throws Exception {
        assertTrue(stuckLineIndex >= 0, "no STUCK_FIN_WAIT_2 diagnosis line in the live output:\n" + String.join("\n", liveLines));
        Map<String, Object> d = Json.object(Json.parse(liveLines.get(stuckLineIndex)));
        assertEquals(41004L, Json.object(d.get("client")).get("port"));
        assertEquals("client", d.get("endpoint"));
        assertEquals(Boolean.TRUE, aliveAtStuckLine, "tcpscope was still running when its diagnosis line was read");
        int summaryIndex = -1;
        for (int i = 0; i < liveLines.size(); i++) {
            if (liveLines.get(i).startsWith("{\"type\":\"summary\"")) {
                summaryIndex = i;
            }
        }
        assertTrue(summaryIndex > stuckLineIndex, "the diagnosis came before the summary");
        assertTrue(exitedAfterLines > stuckLineIndex, "and before the process exited");
        Map<String, Object> run = Json.object(Json.parse(Files.readString(out.resolve("run.json"))));
        assertEquals(Boolean.TRUE, run.get("waited_for_diagnosis"),
                "the lab stopped the capture only after the diagnosis arrived");
        // raised once only
        long stuckLines = objects(liveLines, "diagnosis").stream().filter(x -> "STUCK_FIN_WAIT_2".equals(x.get("code"))).count();
        assertEquals(1, stuckLines);
    }

    @Test
    void endsCleanlyOnSigintWithPcapCounters() {
        assertNotNull(exitCode);
        assertEquals(130, exitCode.intValue(), "SIGINT: the JVM exits 128+2 after the shutdown hook wrote everything");
        Map<String, Object> summary = objects(liveLines, "summary").get(0);
        assertEquals(liveLines.get(liveLines.size() - 1), liveLines.stream().filter(l -> l.contains("\"type\":\"summary\"")).findFirst().get(),
                "the summary is the last line");
        Map<String, Object> pcap = Json.object(summary.get("pcap"));
        assertTrue((Long) pcap.get("received") >= (Long) summary.get("frames"), summary.toString());
        assertEquals(0L, pcap.get("dropped_kernel"));
        // the scenarios' own codes, once each: the stuck half-close, the refused SYN, the reset
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (Object o : Json.array(summary.get("alerts"))) {
            Map<String, Object> a = Json.object(o);
            counts.put((String) a.get("code"), (Long) a.get("count"));
        }
        assertEquals(Map.of("STUCK_FIN_WAIT_2", 1L, "REFUSED", 1L, "RESET", 1L), counts, summary.toString());
    }
}
