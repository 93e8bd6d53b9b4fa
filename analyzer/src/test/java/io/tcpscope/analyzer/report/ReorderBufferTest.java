package io.tcpscope.analyzer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ReorderBufferTest {
    /** A spill directory of this test's own: other processes' temporary files do not count. */
    private static Path spillDir;

    @org.junit.jupiter.api.BeforeAll
    static void makeSpillDir() throws IOException {
        spillDir = Files.createTempDirectory("reorder-test");
    }

    private static long tempFiles(String prefix) throws IOException {
        try (Stream<Path> s = Files.list(spillDir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
        }
    }

    /** Ids in a random order, some with no text: the output is the texts in id order. */
    private static void shuffledComesOutInOrder(long memoryChars, int n, long seed, boolean expectSpill) throws IOException {
        List<Long> ids = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            ids.add(i);
        }
        Collections.shuffle(ids, new Random(seed));
        List<String> out = new ArrayList<>();
        long before = tempFiles("tcpscope-order");
        try (ReorderBuffer b = new ReorderBuffer(out::add, true, memoryChars, spillDir)) {
            long maxWaiting = 0;
            for (long id : ids) {
                b.put(id, id % 7 == 3 ? null : "line " + id + " ünïcødé\n");
                maxWaiting = Math.max(maxWaiting, b.waitingChars());
            }
            b.finish();
            assertTrue(maxWaiting <= memoryChars + 200, "memory bound held: " + maxWaiting);
            assertEquals(expectSpill, b.spills() > 0, "spills: " + b.spills());
        }
        List<String> expected = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            if (i % 7 != 3) {
                expected.add("line " + i + " ünïcødé\n");
            }
        }
        assertEquals(expected, out);
        assertEquals(before, tempFiles("tcpscope-order"), "runs are deleted once read");
    }

    @Test
    void inMemoryWhenUnderTheBound() throws IOException {
        shuffledComesOutInOrder(10_000_000, 5000, 1, false);
    }

    @Test
    void spillsToDiskAndMergesBackInOrder() throws IOException {
        shuffledComesOutInOrder(2_000, 5000, 2, true);
    }

    @Test
    void manyRunsAreMergedIntoOne() throws IOException {
        // ~40 characters a line and a 300-character bound: hundreds of spills, far beyond MAX_RUNS
        shuffledComesOutInOrder(300, 20_000, 3, true);
    }

    @Test
    void writesAtOnceWhatIsDueAndUnorderedWritesEverythingAtOnce() {
        List<String> out = new ArrayList<>();
        ReorderBuffer b = new ReorderBuffer(out::add, true, 1000);
        b.put(1, "b");
        assertEquals(List.of(), out);
        b.put(0, "a");
        assertEquals(List.of("a", "b"), out);
        List<String> live = new ArrayList<>();
        ReorderBuffer u = new ReorderBuffer(live::add, false, 1000);
        u.put(5, "x");
        u.put(2, "y");
        assertEquals(List.of("x", "y"), live);
    }

    @Test
    void emptyIdsWaitAsBitsBehindALongLivedOne() throws IOException {
        // A SYN flood's folded rows: id 0 (a long-lived connection) comes last, a million ids
        // render to nothing, a few to a line. A 10,000-character bound, and nothing spills.
        int n = 1_000_000;
        List<String> out = new ArrayList<>();
        try (ReorderBuffer b = new ReorderBuffer(out::add, true, 10_000, spillDir)) {
            for (long id = n; id >= 1; id--) { // descending: every one waits
                b.put(id, id % 100_000 == 0 ? "row " + id : null);
            }
            assertTrue(b.waitingChars() <= 10_000, "only the lines count: " + b.waitingChars());
            b.put(0, "row 0");
            assertEquals(0, b.spills());
            assertEquals(0, b.waitingChars());
            b.put(n + 1, (String) null);
            b.put(n + 3, "row " + (n + 3));
            b.put(n + 2, (String) null);
            b.finish();
        }
        List<String> expected = new ArrayList<>();
        expected.add("row 0");
        for (long id = 100_000; id <= n; id += 100_000) {
            expected.add("row " + id);
        }
        expected.add("row " + (n + 3));
        assertEquals(expected, out);
    }

    @Test
    void emptyIdsAheadOfAGapAreReleasedByFinish() {
        List<String> out = new ArrayList<>();
        ReorderBuffer b = new ReorderBuffer(out::add, true, 1000);
        for (long id = 5; id < 200_000; id++) { // ids 0-4 never come (a cut capture)
            b.put(id, id == 150_000 ? "x" : null);
        }
        b.put(3, "three");
        assertEquals(List.of(), out);
        b.finish();
        assertEquals(List.of("three", "x"), out);
    }

    @Test
    void spoolKeepsOrderInMemoryAndOnDisk() {
        for (long bound : new long[] {1_000_000, 50}) {
            try (Spool s = new Spool(bound)) {
                for (int i = 0; i < 100; i++) {
                    s.add("  [" + i + "] X: m\n" + (i % 10 == 0 ? "  [" + i + "] Y: n\n" : ""));
                }
                List<String> lines = new ArrayList<>();
                s.replay(lines::add);
                assertEquals(110, lines.size());
                assertEquals("  [0] X: m", lines.get(0));
                assertEquals("  [0] Y: n", lines.get(1));
                assertEquals("  [99] X: m", lines.get(109));
                assertEquals(bound == 50, s.spilled());
            }
        }
    }
}
