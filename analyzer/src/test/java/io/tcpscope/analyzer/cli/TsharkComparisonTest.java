package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.testing.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * tcpscope's per-connection counts against tshark's {@code tcp.analysis.*} flags, from the
 * checked-in tshark outputs ({@code scripts/tshark-baselines} regenerates them) for every
 * fixture and every capture of the shared corpus (when present). Per connection and sender:
 * retransmissions, out-of-order segments, duplicate ACKs, zero windows, keep-alives,
 * zero-window probes and lost segments. Every difference must be one tshark's known errors
 * explain ({@link Why}); the test prints the counts and the explained differences.
 */
class TsharkComparisonTest {
    static final Path BASELINES = Path.of("src/test/resources/tshark");

    /** The categories compared: tshark's codes, and tcpscope's JSON fields whose sum is compared with them. */
    enum Category {
        RETRANSMISSION(List.of("retransmission", "fast_retransmission", "spurious_retransmission"),
                List.of("retransmissions", "syn_retransmissions")),
        OUT_OF_ORDER(List.of("out_of_order"), List.of("out_of_order")),
        DUPLICATE_ACK(List.of("duplicate_ack"), List.of("duplicate_acks")),
        ZERO_WINDOW(List.of("zero_window"), List.of("zero_windows")),
        KEEP_ALIVE(List.of("keep_alive"), List.of("keepalives")),
        ZERO_WINDOW_PROBE(List.of("zero_window_probe"), List.of("zero_window_probes")),
        LOST_SEGMENT(List.of("lost_segment"), List.of("lost_segments"));

        final List<String> codes;
        final List<String> fields;

        Category(List<String> codes, List<String> fields) {
            this.codes = codes;
            this.fields = fields;
        }
    }

    /** Why tshark's count differs, when it is tshark's error (README "Checked against tshark"). */
    enum Why {
        /**
         * The capture holds the same segment twice (two taps, a capture on both sides of a
         * bridge): tshark flags the copy (a retransmission, a duplicate ACK, out-of-order);
         * tcpscope skips it as a copy ({@code duplicates}).
         */
        CAPTURE_COPIES,
        /**
         * tshark tells a retransmission from an out-of-order segment by time (a segment that
         * fills a hole within its ooo threshold, 3 ms, is out-of-order, later a retransmission)
         * and flags a segment "retransmission" when it comes after a lost one only by its
         * time; tcpscope by the sequence space the capture saw: the sum is the same.
         */
        TIME_NOT_SEQUENCE,
        /**
         * tshark keeps one TCP stream per 4-tuple across a new incarnation or a reset and a
         * resend after it, so its "next sequence number" is the old connection's: the new
         * connection's segments are flagged (lost segment, retransmission, out-of-order).
         */
        STREAM_NOT_INCARNATION
    }

    record Key(long connection, String side) {
    }

    @Test
    void countsAgreeOrTsharkIsWrong() throws IOException {
        List<Path> baselines;
        try (Stream<Path> s = Files.walk(BASELINES)) {
            baselines = s.filter(p -> p.toString().endsWith(".tsv")).sorted().collect(Collectors.toList());
        }
        assertTrue(baselines.size() >= 80, "baselines not found under " + BASELINES.toAbsolutePath());
        Path corpus = CliRun.sharedCorpus();
        Map<Category, long[]> totals = new LinkedHashMap<>(); // compared, equal, tshark, tcpscope
        Map<String, Integer> explained = new TreeMap<>();
        List<String> unexplained = new ArrayList<>();
        int captures = 0;
        for (Category k : Category.values()) {
            totals.put(k, new long[4]);
        }
        for (Path baseline : baselines) {
            Path rel = BASELINES.relativize(baseline);
            Path capture;
            if (rel.startsWith("fixtures")) {
                String name = rel.getFileName().toString();
                capture = CliRun.fixtures().resolve(name.substring(0, name.length() - 4)).resolve("capture.pcap");
            } else {
                if (corpus == null) {
                    continue;
                }
                String name = rel.getFileName().toString();
                capture = corpus.resolve(rel.getParent().getFileName().toString()).resolve(name.substring(0, name.length() - 4));
            }
            if (!Files.isRegularFile(capture)) {
                continue;
            }
            CliRun run = CliRun.of("analyze", "--format", "jsonl", capture.toString());
            if (run.exit() != ExitCode.OK && run.exit() != ExitCode.DAMAGED) {
                continue;
            }
            captures++;
            List<Map<String, Object>> conns = ZeekFormatTest.jsonLines(run.out()).stream()
                    .filter(o -> "connection".equals(o.get("type"))).collect(Collectors.toList());
            Map<Key, Map<Category, Long>> tshark = new LinkedHashMap<>();
            for (String line : Files.readAllLines(baseline)) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                long frame = Long.parseLong(f[0]);
                Key key = find(conns, frame, f[1], Integer.parseInt(f[2]), f[3], Integer.parseInt(f[4]));
                if (key == null) {
                    continue; // a frame tcpscope did not take as TCP of a connection (tunnelled, late)
                }
                List<String> codes = List.of(f[5].split(","));
                for (Category k : Category.values()) {
                    if (k.codes.stream().anyMatch(codes::contains)) {
                        tshark.computeIfAbsent(key, x -> new LinkedHashMap<>()).merge(k, 1L, Long::sum);
                    }
                }
            }
            for (Map<String, Object> c : conns) {
                long id = (Long) c.get("id");
                for (String side : List.of("client", "server")) {
                    Key key = new Key(id, side);
                    Map<Category, Long> t = tshark.getOrDefault(key, Map.of());
                    Map<Category, Long> mine = new LinkedHashMap<>();
                    for (Category k : Category.values()) {
                        long m = 0;
                        for (String field : k.fields) {
                            m += (Long) Json.object(c.get(field)).get(side);
                        }
                        mine.put(k, m);
                        long[] tot = totals.get(k);
                        long ts = t.getOrDefault(k, 0L);
                        tot[0]++;
                        tot[2] += ts;
                        tot[3] += m;
                        if (ts == m) {
                            tot[1]++;
                        }
                    }
                    for (Category k : Category.values()) {
                        long ts = t.getOrDefault(k, 0L);
                        long m = mine.get(k);
                        if (ts == m) {
                            continue;
                        }
                        Why why = explain(k, ts, m, t, mine, c, side);
                        String what = rel + " connection " + id + " " + side + " " + k + ": tshark " + ts + ", tcpscope " + m;
                        if (why == null) {
                            unexplained.add(what);
                        } else {
                            explained.merge(why.name(), 1, Integer::sum);
                        }
                    }
                }
            }
        }
        System.out.println("tshark comparison over " + captures + " captures (connection x sender):");
        totals.forEach((k, v) -> System.out.printf("  %-18s %5d compared, %5d equal; totals tshark %6d, tcpscope %6d%n",
                k, v[0], v[1], v[2], v[3]));
        System.out.println("  differences explained: " + explained + "; unexplained: " + unexplained.size());
        unexplained.forEach(u -> System.out.println("    " + u));
        assertEquals(List.of(), unexplained);
    }

    /** The connection and side a flagged frame belongs to. */
    private static Key find(List<Map<String, Object>> conns, long frame, String src, int sport, String dst, int dport) {
        for (Map<String, Object> c : conns) {
            long first = (Long) c.get("first_frame");
            long last = (Long) c.get("last_frame");
            if (frame < first || frame > last) {
                continue;
            }
            Map<String, Object> cl = Json.object(c.get("client"));
            Map<String, Object> sv = Json.object(c.get("server"));
            boolean fromClient = same(cl, src, sport) && same(sv, dst, dport);
            boolean fromServer = same(sv, src, sport) && same(cl, dst, dport);
            if (fromClient || fromServer) {
                return new Key((Long) c.get("id"), fromClient ? "client" : "server");
            }
        }
        return null;
    }

    private static boolean same(Map<String, Object> endpoint, String ip, int port) {
        return endpoint.get("ip").equals(ip) && ((Long) endpoint.get("port")) == port;
    }

    private static Why explain(Category k, long tshark, long mine, Map<Category, Long> t, Map<Category, Long> m,
                               Map<String, Object> c, String side) {
        long copies = (Long) Json.object(c.get("duplicates")).get(side);
        if (copies > 0 && tshark > mine && tshark - mine <= copies * 2) {
            return Why.CAPTURE_COPIES;
        }
        if (k == Category.RETRANSMISSION || k == Category.OUT_OF_ORDER) {
            long a = t.getOrDefault(Category.RETRANSMISSION, 0L) + t.getOrDefault(Category.OUT_OF_ORDER, 0L);
            long b = m.get(Category.RETRANSMISSION) + m.get(Category.OUT_OF_ORDER);
            if (a == b) {
                return Why.TIME_NOT_SEQUENCE;
            }
        }
        List<Object> flags = Json.array(c.get("flags"));
        if (flags.contains("PORT_REUSE") && tshark > mine) {
            return Why.STREAM_NOT_INCARNATION;
        }
        return null;
    }
}
