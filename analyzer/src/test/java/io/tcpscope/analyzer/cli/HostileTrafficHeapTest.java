package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.report.TextReport;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ACK flood (one-way mid-stream segments from {@value #SOURCES} spoofed sources, {@link
 * HostileCapture}) with blind RSTs and FINs against a live connection, analyzed by a child JVM
 * with a {@value #HEAP} heap (a table limit of about 16k): no OutOfMemoryError; the idle
 * established connection and the stuck FIN_WAIT_2/CLOSE_WAIT pair are not evicted (the flood's
 * one-way pickups are on probation and push out each other: before, by plain LRU, they pushed
 * out both), the blind RSTs and FINs change no state; the text stays a page.
 */
class HostileTrafficHeapTest {
    static final int SOURCES = 200_000;
    static final int BLIND_EVERY = 50;
    static final String HEAP = "-Xmx48m";

    @TempDir
    static Path dir;
    static Path capture;
    static HostileCapture.Result written;

    @BeforeAll
    static void generate() throws Exception {
        capture = dir.resolve("ackflood.pcap");
        written = HostileCapture.write(capture, SOURCES, BLIND_EVERY, 20261201L);
    }

    private static List<String> analyze(Path out, String... args) throws Exception {
        return analyze(capture, out, args);
    }

    private static List<String> analyze(Path in, Path out, String... args) throws Exception {
        return Child.analyzeInHeap(HEAP, in, out, dir.resolve("err.txt"), args);
    }

    @Test
    void theUsersConnectionsSurviveTheFloodUnchanged() throws Exception {
        List<String> lines = analyze(dir.resolve("out.txt"));
        String text = String.join("\n", lines);
        String head = text.substring(0, Math.min(3000, text.length())) + "\n...\n"
                + text.substring(Math.max(0, text.length() - 3000));
        List<String> e = lines.stream().filter(l -> l.matches("\\d+ +198\\.51\\.100\\.7:51000 .*")).toList();
        assertEquals(1, e.size(), head);
        // The blind RSTs and FINs: ignored (no RESET, no FIN_WAIT_1, no CAPTURE_LOSS from their ACK fields), flagged.
        assertTrue(e.get(0).matches(".*ESTABLISHED +ESTABLISHED +2m0[0-9]s +0us +RST_IGNORED,BLIND_SEGMENTS"), e.get(0));
        assertFalse(e.get(0).contains("EVICTED"), e.get(0));
        List<String> s = lines.stream().filter(l -> l.matches("\\d+ +198\\.51\\.100\\.8:52000 .*")).toList();
        assertEquals(1, s.size(), head);
        assertTrue(s.get(0).matches(".*FIN_WAIT_2 +CLOSE_WAIT .*STUCK_FIN_WAIT_2.*"), s.get(0));
        assertFalse(s.get(0).contains("EVICTED"), s.get(0));
        Matcher evicted = Pattern.compile("evicted from the flow table \\(limit reached\\): (\\d+)").matcher(text);
        assertTrue(evicted.find(), head);
        assertTrue(Long.parseLong(evicted.group(1)) > SOURCES / 2, evicted.group());
        assertTrue(lines.size() < 100, lines.size() + " lines:\n" + head);
        long rows = lines.stream().filter(l -> l.matches("\\d+ .*")).count();
        Matcher folded = Pattern.compile("one-way connections: (\\d+) not listed as rows .*--all lists them\\)")
                .matcher(text);
        assertTrue(folded.find(), head);
        Matcher total = Pattern.compile("; (\\d+) connections\n").matcher(text);
        assertTrue(total.find(), head);
        long blind = written.rsts() + written.fins();
        assertEquals(SOURCES - blind + 2, Long.parseLong(total.group(1)), "one connection per spoofed source, plus E and S");
        assertEquals(Long.parseLong(total.group(1)), rows + Long.parseLong(folded.group(1)), "every connection a row or folded");
    }

    /** What the user's two connections look like after a flood: E one live row, S one stuck row. */
    private static void assertUsersIntact(List<String> lines, String head) {
        List<String> e = lines.stream().filter(l -> l.matches("\\d+ +198\\.51\\.100\\.7:51000 .*")).toList();
        assertEquals(1, e.size(), head);
        assertTrue(e.get(0).matches(".*ESTABLISHED +ESTABLISHED +2m0[0-9]s +0us +-"), e.get(0));
        List<String> s = lines.stream().filter(l -> l.matches("\\d+ +198\\.51\\.100\\.8:52000 .*")).toList();
        assertEquals(1, s.size(), head);
        assertTrue(s.get(0).matches(".*FIN_WAIT_2 +CLOSE_WAIT .* STUCK_FIN_WAIT_2"), s.get(0));
    }

    private static String head(List<String> lines) {
        String text = String.join("\n", lines);
        return text.substring(0, Math.min(3000, text.length())) + "\n...\n" + text.substring(Math.max(0, text.length() - 3000));
    }

    @Test
    void aPortScanOfEveryPortIsBoundedAndSummarised() throws Exception {
        Path scan = dir.resolve("scan.pcap");
        HostileCapture.writeScan(scan, 65_535, 3L);
        List<String> lines = analyze(scan, dir.resolve("scan.txt"));
        String head = head(lines);
        assertUsersIntact(lines, head);
        assertTrue(lines.size() < 200, lines.size() + " lines:\n" + head);
        // Refused, open and reset by the scanner, or unanswered: probes of one scanner, one line.
        Matcher scanLine = Pattern.compile("failed attempts from 203\\.0\\.113\\.66: (\\d+) connections never established .*, (\\d+) not listed as rows")
                .matcher(String.join("\n", lines));
        assertTrue(scanLine.find(), head);
        assertEquals(65_535, Long.parseLong(scanLine.group(1)), head);
        assertEquals(65_535 - TextReport.ONE_WAY_ROWS, Long.parseLong(scanLine.group(2)), head);
    }

    @Test
    void anIpv6SourceFloodIsBoundedAndSummarised() throws Exception {
        Path v6 = dir.resolve("v6.pcap");
        HostileCapture.writeIpv6Flood(v6, 150_000, 5L);
        List<String> lines = analyze(v6, dir.resolve("v6.txt"));
        String head = head(lines);
        assertUsersIntact(lines, head);
        assertTrue(lines.size() < 200, lines.size() + " lines:\n" + head);
        // Never answered: no listener, so no SYN_FLOOD (SynFloods needs one SYN-ACK); the connections fold as one-way.
        Matcher folded = Pattern.compile("one-way connections: (\\d+) not listed as rows").matcher(String.join("\n", lines));
        assertTrue(folded.find(), head);
        assertEquals(150_000 - TextReport.ONE_WAY_ROWS, Long.parseLong(folded.group(1)), head);
    }
}
