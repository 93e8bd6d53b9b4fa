package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.bench.FloodCapture;
import io.tcpscope.analyzer.diagnosis.DistinctCounter;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's 10-million-source flood at CI size: {@value #SOURCES} spoofed sources (about
 * 300k packets, {@link FloodCapture}) analyzed by a child JVM with a {@value #HEAP} heap and no
 * {@code --max-connections}: no OutOfMemoryError (the table limit follows the heap), the
 * SYN_FLOOD line names the listener and estimates the sources, the text is a page (the
 * half-opens reported after the flood was recognised are folded, the summary says how many),
 * the long-lived connection is one row, not evicted; JSON Lines keeps every connection.
 */
class SynFloodHeapTest {
    static final int SOURCES = 200_000;
    static final String HEAP = "-Xmx48m";

    @TempDir
    static Path dir;
    static Path capture;

    @BeforeAll
    static void generate() throws Exception {
        capture = dir.resolve("flood.pcap");
        FloodCapture.write(capture, new FloodCapture.Plan(SOURCES, FloodCapture.DEFAULT_RATE, 20240601L));
    }

    private static List<String> analyze(Path out, String... args) throws Exception {
        return Child.analyzeInHeap(HEAP, capture, out, dir.resolve("err.txt"), args);
    }

    private static void assertEstimate(long estimate) {
        double error = Math.abs(estimate - SOURCES) / (double) SOURCES;
        assertTrue(error <= 4 * DistinctCounter.STANDARD_ERROR, estimate + " sources for " + SOURCES);
    }

    @Test
    void theTextIsAPageWithTheFloodSummarised() throws Exception {
        List<String> lines = analyze(dir.resolve("out.txt"));
        String text = String.join("\n", lines);
        assertTrue(lines.size() < 200, lines.size() + " lines:\n" + text.substring(0, Math.min(3000, text.length())));
        String flood = lines.stream().filter(l -> l.startsWith("SYN_FLOOD: listener 192.0.2.10:80: " + SOURCES
                + " handshakes never completed")).findFirst().orElseThrow(() -> new AssertionError(text));
        Matcher m = Pattern.compile("from about ([0-9.]+) k sources \\(estimated\\)").matcher(flood);
        assertTrue(m.find(), flood);
        assertEstimate(Math.round(Double.parseDouble(m.group(1)) * 1000));
        Matcher folded = Pattern.compile("SYN flood on 192\\.0\\.2\\.10:80: (\\d+) never-completed handshakes not listed as"
                + " rows .*--all lists them\\)").matcher(text);
        assertTrue(folded.find(), text);
        long rows = lines.stream().filter(l -> l.matches("\\d+ .*")).count();
        Matcher total = Pattern.compile("; (\\d+) connections\n").matcher(text);
        assertTrue(total.find(), text);
        // The unanswered SYNs before the flood was recognised: one-way connections, folded after the first 20.
        Matcher oneWay = Pattern.compile("one-way connections: (\\d+) not listed as rows").matcher(text);
        long oneWayFolded = oneWay.find() ? Long.parseLong(oneWay.group(1)) : 0;
        assertEquals(Long.parseLong(total.group(1)), rows + Long.parseLong(folded.group(1)) + oneWayFolded,
                "every connection a row or folded");
        List<String> longLived = lines.stream().filter(l -> l.contains(" 198.51.100.7:51000 ")).toList();
        assertEquals(1, longLived.size(), text);
        assertTrue(longLived.get(0).matches(".*ESTABLISHED +ESTABLISHED .* -"), longLived.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\d+ +203\\.0\\.113\\.1:40000 .*TIME_WAIT +CLOSED .*")), text);
        assertTrue(text.contains("evicted from the flow table (limit reached): "), text);
    }

    @Test
    void jsonLinesKeepsEveryConnection() throws Exception {
        List<String> lines = analyze(dir.resolve("out.jsonl"), "--format", "jsonl");
        String summary = lines.get(lines.size() - 1);
        Matcher connections = Pattern.compile("\"connections\":(\\d+),").matcher(summary);
        assertTrue(connections.find(), summary);
        assertEquals(Long.parseLong(connections.group(1)) + 1, lines.size(), "one line per connection, then the summary");
        Matcher sources = Pattern.compile("\"ip\":\"192.0.2.10\",\"port\":80,.*\"sources\":(\\d+),\"sources_capped\":true,"
                + "\"sources_estimated\":true").matcher(summary);
        assertTrue(sources.find(), summary);
        assertEstimate(Long.parseLong(sources.group(1)));
    }
}
