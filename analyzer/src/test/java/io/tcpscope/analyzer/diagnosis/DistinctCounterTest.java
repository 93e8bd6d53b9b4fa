package io.tcpscope.analyzer.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Exact up to the limit, then a HyperLogLog estimate within a few standard errors of a known count. */
class DistinctCounterTest {
    /** The i-th of a run of distinct dotted IPv4 addresses, as SynFloods adds them. */
    static String address(int i) {
        int a = 0x0b000000 + i * 7;
        return (a >>> 24) + "." + (a >>> 16 & 0xff) + "." + (a >>> 8 & 0xff) + "." + (a & 0xff);
    }

    @Test
    void exactUpToTheLimitWhateverTheRepeats() {
        DistinctCounter c = new DistinctCounter(1000);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 1000; i++) {
                c.add(address(i));
            }
        }
        assertFalse(c.estimated());
        assertEquals(1000, c.count());
        c.add(address(999));
        assertFalse(c.estimated(), "a repeat does not go past the limit");
        c.add(address(1000));
        assertTrue(c.estimated());
    }

    @ParameterizedTest
    @ValueSource(ints = {70_000, 200_000, 1_000_000, 3_000_000})
    void theEstimateIsWithinFourStandardErrors(int n) {
        DistinctCounter c = new DistinctCounter(SynFloods.MAX_SOURCES);
        for (int i = 0; i < n; i++) {
            c.add(address(i));
            if ((i & 3) == 0) {
                c.add(address(i / 2)); // repeats change nothing
            }
        }
        assertTrue(c.estimated());
        double error = (c.count() - n) / (double) n;
        System.out.printf("distinct counter: %d distinct, estimated %d (%+.2f%%)%n", n, c.count(), 100 * error);
        assertTrue(Math.abs(error) <= 4 * DistinctCounter.STANDARD_ERROR, n + " estimated as " + c.count());
    }

    @Test
    void theSameValuesGiveTheSameEstimate() {
        DistinctCounter a = new DistinctCounter(100);
        DistinctCounter b = new DistinctCounter(100);
        for (int i = 0; i < 50_000; i++) {
            a.add(address(i));
            b.add(address(49_999 - i));
        }
        assertEquals(a.count(), b.count(), "order does not matter");
    }
}
