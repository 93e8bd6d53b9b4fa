package io.tcpscope.capture.file;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TimestampsTest {
    private static long convert(long units, int tsresol) {
        long perUnit = Timestamps.nanosPerUnit(tsresol);
        long viaGeneral = Timestamps.unitsToNanos(units, tsresol);
        if (perUnit != 0) {
            assertEquals(units * perUnit, viaGeneral, "fast path and general path agree");
        }
        return viaGeneral;
    }

    @Test
    void powersOfTen() {
        assertEquals(1_500_000_000L, convert(1_500_000L, 6));
        assertEquals(1_500_000_000L, convert(1_500_000_000L, 9));
        assertEquals(1_500_000_000L, convert(1_500L, 3));
        assertEquals(7_000_000_000L, convert(7, 0));
        assertEquals(1_500_000_000L, convert(1_500_000_000_123L, 12));  // picoseconds: rounded down
        assertEquals(1L, convert(10_000_000_000L, 19));
        assertEquals(0L, convert(-1L, 127));
        // unsigned: 2^64 - 1 units of 10^-19 s = 1.8446744073709551615 s
        assertEquals(1_844_674_407L, convert(-1L, 19));
        assertEquals(184_467_440L, convert(-1L, 20));
    }

    @Test
    void powersOfTwo() {
        assertEquals(976_562L, convert(1, 0x8A));                      // 1/1024 s = 976562.5 ns
        assertEquals(1_700_000_000_500_000_000L, convert(1024L * 1_700_000_000L + 512, 0x8A));
        assertEquals(3_500_000_000L, convert((3L << 40) | (1L << 39), 0x80 | 40));
        assertEquals(500_000_000L, convert(Long.MIN_VALUE, 0x80 | 64));  // 2^63 / 2^64 s
        assertEquals(1_500_000_000L, convert((1L << 63) | (1L << 62), 0x80 | 63));
        assertEquals(7_000_000_000L, convert(7, 0x80));
        assertEquals(0L, convert(1, 0x80 | 127));
    }
}
