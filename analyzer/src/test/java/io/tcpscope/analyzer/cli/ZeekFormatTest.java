package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.report.ZeekLog;
import io.tcpscope.analyzer.report.ZeekReport;
import io.tcpscope.analyzer.testing.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code --format zeek}: the conn.log parses as zeek-cut reads it (strictly: header lines,
 * field and type counts, values per row), has one row per connection or more, is the same on
 * every run; and on Zeek's own test traces it gives the {@code conn_state} and {@code history}
 * Zeek's baselines give, for every TCP row (the differences README lists excepted).
 */
class ZeekFormatTest {
    /**
     * Rows that differ on purpose (README "Zeek conn.log": deliberate differences): capture
     * file, then why.
     */
    static final Map<String, String> DELIBERATE = Map.of(
            "zeek/tcp-handshake-reorder.pcap", "this baseline ran in bare mode (zeek -b), where likely_server_ports is"
                    + " empty, so the first packet (a SYN-ACK from port 80) made its sender the originator ('Hs^...');"
                    + " tcpscope follows Zeek with its default scripts, where 80 is a likely server port, so the roles"
                    + " are flipped at once ('^hS...'); the connection's later letters are the same",
            "zeek/tcp-syn-bad.pcap", "the SYN's TCP checksum is bad and this baseline ran without -C: Zeek drops the"
                    + " packet ('C', OTH, 0 packets); tcpscope does not verify checksums (captures of offloaded"
                    + " traffic carry wrong ones), as zeek -C");

    /** Baselines not compared: capture file, then why. */
    static final Map<String, String> NOT_COMPARED = Map.of(
            "zeek/tcp-retransmit-timeout.pcapng.zeek-conn.limited-timers.log", "Zeek stopped expiring timers"
                    + " (max_timer_expires) at its exit: the all-timers baseline of the same trace is compared");

    @Test
    void fixturesGiveWellFormedLogs() throws IOException {
        List<Path> captures = fixtureCaptures();
        assertTrue(captures.size() >= 20, "fixtures not found at " + CliRun.fixtures());
        for (Path p : captures) {
            CliRun r = CliRun.of("analyze", "--format", "zeek", p.toString());
            assertTrue(r.exit() == ExitCode.OK || r.exit() == ExitCode.DAMAGED, p + ": " + r);
            ZeekLog log = ZeekLog.strict(r.out());
            assertEquals(ZeekReport.FIELDS, log.fields(), p.toString());
            assertEquals(ZeekReport.TYPES, log.types(), p.toString());
            long connections = jsonLines(CliRun.of("analyze", "--format", "jsonl", p.toString()).out()).stream()
                    .filter(o -> "connection".equals(o.get("type"))).count();
            long ids = log.rows().stream().map(row -> row.get("tcpscope_id")).distinct().count();
            assertEquals(connections, ids, p + ": every connection has its rows");
            for (Map<String, String> row : log.rows()) {
                assertTrue(row.get("ts").matches("\\d+\\.\\d{6}"), row.toString());
                assertTrue(row.get("duration").matches("-|\\d+\\.\\d{6}"), row.toString());
                assertTrue(row.get("local_orig").matches("[TF]") && row.get("local_resp").matches("[TF]"), row.toString());
                assertTrue(row.get("uid").matches("C[0-9A-Za-z]{16}"), row.toString());
                assertTrue(row.get("history").matches("-|[\\^A-Za-z]+"), row.toString());
                assertEquals("tcp", row.get("proto"));
            }
            assertEquals(r.out(), CliRun.of("analyze", "--format", "zeek", p.toString()).out(), p + ": deterministic");
            long uids = log.rows().stream().map(row -> row.get("uid")).distinct().count();
            assertEquals(log.rows().size(), uids, p + ": uids are unique");
        }
    }

    @Test
    void openAndCloseAreCaptureTimes() {
        Path p = CliRun.fixture("close-by-client");
        ZeekLog log = ZeekLog.strict(CliRun.of("analyze", "--format", "zeek", p.toString()).out());
        Map<String, Object> summary = jsonLines(CliRun.of("analyze", "--format", "jsonl", p.toString()).out())
                .stream().filter(o -> "summary".equals(o.get("type"))).findFirst().orElseThrow();
        assertEquals(openTime(summary.get("start_ts")), log.open());
        assertEquals(openTime(summary.get("end_ts")), log.close());
    }

    private static String openTime(Object epochSeconds) {
        long s = (long) Double.parseDouble(epochSeconds.toString());
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(java.time.ZoneOffset.UTC)
                .format(java.time.Instant.ofEpochSecond(s));
    }

    @Test
    void zeekBaselines() throws IOException {
        Path corpus = CliRun.sharedCorpus();
        Assumptions.assumeTrue(corpus != null,
                "no shared corpus (../shared/corpus beside the repository, or /work/shared/corpus): Zeek check skipped");
        List<Path> baselines;
        try (Stream<Path> s = Files.list(corpus.resolve("zeek"))) {
            baselines = s.filter(f -> f.getFileName().toString().contains(".zeek-conn")).sorted()
                    .collect(Collectors.toList());
        }
        int rows = 0;
        int equal = 0;
        int deliberate = 0;
        List<String> wrong = new ArrayList<>();
        Map<String, Integer> perFile = new TreeMap<>();
        for (Path baseline : baselines) {
            String name = corpus.relativize(baseline).toString();
            if (NOT_COMPARED.containsKey(name)) {
                continue;
            }
            ZeekLog want = ZeekLog.lenient(Files.readString(baseline));
            if (!want.fields().contains("history")) {
                continue; // VLAN columns only
            }
            String file = baseline.getFileName().toString();
            Path capture = baseline.resolveSibling(file.substring(0, file.indexOf(".zeek-conn")));
            String captureName = corpus.relativize(capture).toString();
            CliRun run = CliRun.of("analyze", "--format", "zeek", capture.toString());
            List<Map<String, String>> mine = ZeekLog.strict(run.out()).rows();
            List<String> key = new ArrayList<>(List.of("id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p"));
            key.retainAll(want.fields());
            List<Map<String, String>> unmatched = new ArrayList<>(mine);
            for (Map<String, String> w : want.rows()) {
                if (w.containsKey("proto") && !"tcp".equals(w.get("proto"))) {
                    continue;
                }
                rows++;
                perFile.merge(captureName, 1, Integer::sum);
                Map<String, String> m = unmatched.stream()
                        .filter(x -> key.stream().allMatch(k -> x.get(k).equals(w.get(k))))
                        .filter(x -> x.get("history").equals(w.get("history"))
                                && (!w.containsKey("conn_state") || x.get("conn_state").equals(w.get("conn_state"))))
                        .findFirst().orElse(null);
                if (m != null) {
                    unmatched.remove(m);
                    equal++;
                } else if (DELIBERATE.containsKey(captureName)) {
                    deliberate++;
                } else {
                    wrong.add(name + ": Zeek " + w + "; tcpscope "
                            + mine.stream().filter(x -> key.stream().allMatch(k -> x.get(k).equals(w.get(k))))
                            .map(x -> x.get("conn_state") + " " + x.get("history")).collect(Collectors.toList()));
                }
            }
        }
        // One-connection prints: "history, conn_state" lines and event prints ending in the history.
        List<Path> prints;
        try (Stream<Path> s = Files.list(corpus.resolve("zeek"))) {
            prints = s.filter(f -> f.getFileName().toString().endsWith(".zeek-history-state.txt")
                    || f.getFileName().toString().endsWith(".zeek-history.out")).sorted().collect(Collectors.toList());
        }
        for (Path print : prints) {
            String file = print.getFileName().toString();
            Path capture = print.resolveSibling(file.substring(0, file.indexOf(".zeek-history")));
            String captureName = corpus.relativize(capture).toString();
            List<String> lines = Files.readAllLines(print).stream().filter(l -> !l.startsWith("#")).collect(Collectors.toList());
            String last = lines.get(lines.size() - 1);
            String[] parts = last.split(", ");
            String history;
            String state = null;
            if (file.endsWith(".txt")) {
                history = parts[0];
                state = parts[1];
            } else {
                history = null;
                for (String part : parts) {
                    if (part.matches("[\\^A-Za-z]+") && !part.endsWith(":")) {
                        history = part;
                    }
                }
            }
            List<Map<String, String>> mine = ZeekLog.strict(CliRun.of("analyze", "--format", "zeek", capture.toString())
                    .out()).rows();
            rows++;
            perFile.merge(captureName, 1, Integer::sum);
            String wantState = state;
            String wantHistory = history;
            boolean same = mine.size() == 1 && mine.get(0).get("history").equals(wantHistory)
                    && (wantState == null || mine.get(0).get("conn_state").equals(wantState));
            if (same) {
                equal++;
            } else if (DELIBERATE.containsKey(captureName)) {
                deliberate++;
            } else {
                wrong.add(corpus.relativize(print) + ": Zeek " + wantState + " " + wantHistory + "; tcpscope "
                        + mine.stream().map(x -> x.get("conn_state") + " " + x.get("history")).collect(Collectors.toList()));
            }
        }
        System.out.println("zeek baselines: " + rows + " TCP rows, " + equal + " equal (conn_state and history), "
                + deliberate + " deliberate differences, " + wrong.size() + " wrong; rows per capture " + perFile);
        wrong.forEach(w -> System.out.println("  " + w));
        assertTrue(rows >= 105, "only " + rows + " TCP rows found under " + corpus.resolve("zeek"));
        assertEquals(List.of(), wrong);
        assertEquals(DELIBERATE.size(), deliberate, "each deliberate difference is still one");
        assertFalse(equal == 0);
    }

    static List<Map<String, Object>> jsonLines(String out) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isEmpty()) {
                objects.add(Json.object(Json.parse(line)));
            }
        }
        return objects;
    }

    static List<Path> fixtureCaptures() throws IOException {
        try (Stream<Path> s = Files.list(CliRun.fixtures())) {
            return s.map(d -> d.resolve("capture.pcap")).filter(Files::isRegularFile).sorted()
                    .collect(Collectors.toList());
        }
    }
}
