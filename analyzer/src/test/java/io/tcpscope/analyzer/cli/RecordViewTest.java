package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The text table's IDLE column, the row filters, and a flood's folded messages. */
class RecordViewTest {

    private static List<String> rows(CliRun r) {
        return r.outLines().stream().filter(l -> l.matches("^\\d+ .*")).toList();
    }

    @Test
    void theHeaderHasAnIdleColumnAndTheStuckRowShowsItsSilence() {
        CliRun r = CliRun.of("analyze", CliRun.fixture("stuck-fin-wait-2").toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.outLines().get(0).matches("ID +CLIENT +SERVER +CLIENT-STATE SERVER-STATE +DURATION +IDLE  FLAGS / DIAGNOSES"),
                r.outLines().get(0));
        assertTrue(rows(r).get(0).matches(".*CLOSE_WAIT +43ms +34\\.9s  STUCK_FIN_WAIT_2"), rows(r).get(0));
    }

    @Test
    void onlyProblemsKeepsTheDiagnosedRowsAndCountsTheOthers() {
        String capture = CliRun.fixture("random-loss-many").toString();
        CliRun all = CliRun.of("analyze", capture);
        CliRun some = CliRun.of("analyze", "--only-problems", capture);
        assertEquals(0, some.exit(), some::toString);
        CliRun jsonl = CliRun.of("analyze", "--format", "jsonl", capture);
        List<String> records = jsonl.outLines().subList(0, jsonl.outLines().size() - 1);
        long diagnosed = records.stream().filter(l -> !l.contains("\"diagnoses\":[]") || l.contains("\"INCONSISTENT\""))
                .count();
        assertTrue(diagnosed > 0 && diagnosed < rows(all).size());
        assertEquals(diagnosed, rows(some).size(), some.out());
        assertTrue(some.out().contains("not shown (--only-problems, --state, --diagnosis): " + (rows(all).size() - diagnosed)
                + " connections"), some.out());
        // the summary still counts every connection
        assertEquals(all.outLines().stream().filter(l -> l.startsWith("diagnoses:")).toList(),
                some.outLines().stream().filter(l -> l.startsWith("diagnoses:")).toList());
    }

    @Test
    void stateAndDiagnosisFilters() {
        String capture = CliRun.fixture("rst-after-fin").toString();
        assertEquals(2, rows(CliRun.of("analyze", "--diagnosis", "reset", capture)).size());
        assertEquals(0, rows(CliRun.of("analyze", "--diagnosis", "HALF_OPEN", capture)).size());
        assertEquals(0, rows(CliRun.of("analyze", "--state", "TIME_WAIT", capture)).size());
        assertEquals(2, rows(CliRun.of("analyze", "--state", "closed,time-wait", capture)).size());
        CliRun jsonl = CliRun.of("analyze", "--format", "jsonl", "--diagnosis", "HALF_OPEN", capture);
        assertEquals(1, jsonl.outLines().size(), "only the summary: " + jsonl.out());
    }

    @Test
    void anUnknownStateOrCodeIsAUsageError() {
        String capture = CliRun.fixture("refused").toString();
        CliRun r = CliRun.of("analyze", "--state", "BOGUS", capture);
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("--state: unknown state 'BOGUS'"), r.err());
        assertFalse(r.leaksStackTrace());
        CliRun d = CliRun.of("analyze", "--diagnosis", "NOPE", capture);
        assertEquals(2, d.exit(), d::toString);
        assertTrue(d.err().contains("--diagnosis: unknown code 'NOPE'"), d.err());
    }

    @Test
    void aFloodsHalfOpenMessagesAreFoldedUnlessAll() {
        String capture = CliRun.fixture("syn-flood").toString();
        CliRun folded = CliRun.of("analyze", capture);
        assertFalse(folded.out().contains("] HALF_OPEN:"), folded.out());
        assertTrue(folded.out().contains("  9 HALF_OPEN/UNANSWERED_SYN messages of the SYN flood on 10.77.0.2:8080 not listed"),
                folded.out());
        assertTrue(folded.out().contains("SYN_FLOOD: listener 10.77.0.2:8080: 200 handshakes never completed"), folded.out());
        assertTrue(folded.out().contains("diagnoses: HALF_OPEN 9, SYN_FLOOD 1"), folded.out());
        CliRun all = CliRun.of("analyze", "--all", capture);
        assertEquals(9, all.outLines().stream().filter(l -> l.matches("  \\[\\d+\\] HALF_OPEN: .*")).count(), all.out());
    }

    /**
     * The records come at the end of this capture, in id order: the 64th never-completed
     * handshake (id 63) makes the listener a flood, and from it on the half-opens are not rows;
     * the 63 before stay, and so does the real connection (id 200). {@code --all} lists all 201.
     */
    @Test
    void aFloodsLaterHalfOpensAreFoldedRowsUnlessAll() {
        String capture = CliRun.fixture("syn-flood").toString();
        CliRun folded = CliRun.of("analyze", capture);
        List<String> shown = rows(folded);
        assertEquals(64, shown.size(), folded.out());
        assertTrue(shown.get(62).startsWith("62 "), shown.get(62));
        assertTrue(shown.get(63).matches("200 +10\\.77\\.0\\.1:40022 .*TIME_WAIT +CLOSED .*"), shown.get(63));
        assertTrue(folded.out().contains("SYN flood on 10.77.0.2:8080: 137 never-completed handshakes not listed as rows"
                + " (those reported once the flood was recognised; --all lists them)"), folded.out());
        assertTrue(folded.out().contains("; 201 connections"), folded.out());
        assertTrue(folded.out().contains("final states (client/server): SYN_SENT/CLOSED 191, SYN_SENT/SYN_RECEIVED 9,"
                + " TIME_WAIT/CLOSED 1"), "the summary counts the folded ones: " + folded.out());
        CliRun all = CliRun.of("analyze", "--all", capture);
        assertEquals(201, rows(all).size(), all.out());
        assertFalse(all.out().contains("not listed as rows"), all.out());
        CliRun jsonl = CliRun.of("analyze", "--format", "jsonl", capture);
        assertEquals(202, jsonl.outLines().size(), "JSON Lines keeps every connection");
    }

    @Test
    void halfOpenMessagesOfAListenerThatIsNotFloodedStay() {
        CliRun r = CliRun.of("analyze", CliRun.fixture("syn-unanswered").toString());
        assertTrue(r.out().contains("] UNANSWERED_SYN: client 10.77.0.1:40008 sent 7 SYNs"), r.out());
        assertFalse(r.out().contains("SYN_FLOOD"), r.out());
    }

    private static double timeWaitLength(CliRun r) {
        java.util.Map<String, Object> c = io.tcpscope.analyzer.testing.Json.object(
                io.tcpscope.analyzer.testing.Json.parse(r.outLines().get(0)));
        java.util.Map<String, Object> tw = io.tcpscope.analyzer.testing.Json.object(c.get("time_wait"));
        assertEquals("client", tw.get("holder"));
        return new java.math.BigDecimal(tw.get("until_ts").toString())
                .subtract(new java.math.BigDecimal(tw.get("since_ts").toString())).doubleValue();
    }

    @Test
    void mslSetsTheTimeWaitDeadlineAndTimer() {
        String capture = CliRun.fixture("timewait-expiry").toString();
        assertEquals(60.0, timeWaitLength(CliRun.of("analyze", "--format", "jsonl", capture)), 1e-9);
        CliRun five = CliRun.of("analyze", "--format", "jsonl", "--msl", "5s", capture);
        assertEquals(10.0, timeWaitLength(five), 1e-9);
        assertTrue(five.outLines().get(0).contains("\"final\":{\"client\":\"CLOSED\""), five.outLines().get(0));
        assertEquals(2, CliRun.of("analyze", "--msl", "0", capture).exit());
    }
}
