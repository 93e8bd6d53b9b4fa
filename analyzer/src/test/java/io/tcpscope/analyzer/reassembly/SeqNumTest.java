package io.tcpscope.analyzer.reassembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Sequence numbers compare modulo 2^32 (RFC 9293 §3.4): properties checked on seeded random pairs near the wrap. */
class SeqNumTest {
    private static final long SEED = 0x5EC_9293L;

    /** A number near one of the boundaries where signed/unsigned comparisons go wrong: 0, 2^31, 2^32 - 1. */
    private static int nearBoundary(Random r) {
        int[] bases = {0, Integer.MIN_VALUE, -1, Integer.MAX_VALUE};
        return bases[r.nextInt(bases.length)] + r.nextInt(2001) - 1000;
    }

    @Test
    void wrapsAroundTwoToThe32() {
        int last = 0xFFFFFFFF;
        assertTrue(SeqNum.lt(last, 0), "2^32-1 < 0 after the wrap");
        assertTrue(SeqNum.gt(0, last));
        assertTrue(SeqNum.lt(0xFFFFFF00, 0x10));
        assertEquals(0x110, SeqNum.distance(0xFFFFFF00, 0x10));
        assertEquals(-0x110, SeqNum.distance(0x10, 0xFFFFFF00));
        assertEquals(0x10, SeqNum.max(0xFFFFFF00, 0x10));
        assertEquals(0x10, SeqNum.max(0x10, 0xFFFFFF00));
        assertEquals(4294967295L, SeqNum.unsigned(last));
        assertEquals(2147483648L, SeqNum.unsigned(Integer.MIN_VALUE));
        // Across the signed boundary too: 2^31 - 1 < 2^31.
        assertTrue(SeqNum.lt(Integer.MAX_VALUE, Integer.MIN_VALUE));
    }

    @Test
    void comparisonsAgreeWithDistanceOnRandomPairsNearTheBoundaries() {
        Random r = new Random(SEED);
        for (int i = 0; i < 200_000; i++) {
            int a = nearBoundary(r);
            int d = r.nextInt(1 << 20) - (1 << 19); // |d| well below 2^31
            int b = a + d;
            assertEquals(d, SeqNum.distance(a, b), () -> "distance " + a + " " + b);
            assertEquals(d > 0, SeqNum.lt(a, b), () -> "lt " + a + " " + b);
            assertEquals(d >= 0, SeqNum.le(a, b), () -> "le " + a + " " + b);
            assertEquals(d < 0, SeqNum.gt(a, b), () -> "gt " + a + " " + b);
            assertEquals(d <= 0, SeqNum.ge(a, b), () -> "ge " + a + " " + b);
            // antisymmetry and totality
            assertEquals(SeqNum.lt(a, b), SeqNum.gt(b, a));
            assertEquals(SeqNum.le(a, b), SeqNum.ge(b, a));
            assertTrue(SeqNum.le(a, b) || SeqNum.le(b, a));
            assertEquals(a == b, SeqNum.le(a, b) && SeqNum.ge(a, b));
            // max is the later one, and symmetric
            int m = SeqNum.max(a, b);
            assertEquals(d >= 0 ? b : a, m);
            assertEquals(m, SeqNum.max(b, a));
            assertTrue(SeqNum.ge(m, a) && SeqNum.ge(m, b));
            // unsigned is the value mod 2^32
            assertEquals(((long) a) & 0xFFFFFFFFL, SeqNum.unsigned(a));
            assertTrue(SeqNum.unsigned(a) >= 0 && SeqNum.unsigned(a) < (1L << 32));
        }
    }

    @Test
    void transitivityHoldsWithinHalfTheSpace() {
        Random r = new Random(SEED + 1);
        for (int i = 0; i < 100_000; i++) {
            int a = nearBoundary(r);
            int b = a + r.nextInt(1 << 29);
            int c = b + r.nextInt(1 << 29);
            assertTrue(SeqNum.le(a, b) && SeqNum.le(b, c));
            assertTrue(SeqNum.le(a, c), () -> a + " <= " + c);
            assertEquals(SeqNum.distance(a, b) + SeqNum.distance(b, c), SeqNum.distance(a, c));
        }
    }

    @Test
    void exactlyHalfTheSpaceApartIsNotSymmetric() {
        // The documented limit: valid while less than 2^31 apart. At exactly 2^31 both
        // a - b and b - a are Integer.MIN_VALUE, so each is "less" than the other.
        int a = 5;
        int b = a + Integer.MIN_VALUE;
        assertTrue(SeqNum.lt(a, b));
        assertTrue(SeqNum.lt(b, a));
        assertFalse(SeqNum.gt(a, b));
    }
}
