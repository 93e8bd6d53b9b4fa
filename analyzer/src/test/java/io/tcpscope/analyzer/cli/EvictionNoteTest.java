package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * When the flow table's limit (given, or by default from the heap) evicted connections,
 * {@code analyze} says so on stderr, with the limit and how to hold more; when nothing was
 * evicted it says nothing of it.
 */
class EvictionNoteTest {
    private static final String NOTE = "connections were evicted from the flow table";

    @Test
    void evictionsAreNotedWithTheLimitAndTheWayOut() {
        String capture = CliRun.fixture("many-connections").toString();
        CliRun fifty = CliRun.of("analyze", "--max-connections", "50", capture);
        assertEquals(0, fifty.exit(), fifty.err());
        assertTrue(fifty.err().contains("tcpscope: note: 190 " + NOTE + ", which holds 50 at once (flagged EVICTED);"
                + " to hold more give --max-connections N"), fifty.err());
        assertEquals(1, fifty.errLines().stream().filter(l -> l.contains(NOTE)).count(), fifty.err());
        assertTrue(fifty.out().contains("evicted from the flow table (limit reached): 190"), fifty.out());

        CliRun all = CliRun.of("analyze", capture);
        assertEquals(0, all.exit(), all.err());
        assertFalse(all.err().contains(NOTE), all.err());
        assertFalse(all.out().contains("evicted from the flow table"), all.out());
    }
}
