package io.tcpscope.capture.file;

/**
 * Exact integer conversions of capture-file timestamps to nanoseconds since the epoch. No
 * floating point: every result is the exact value, rounded down when the file's unit is
 * finer than a nanosecond.
 */
final class Timestamps {
    private Timestamps() {
    }

    static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** Bit 7 of pcapng {@code if_tsresol}: set means the unit is 2^-n seconds, clear 10^-n. */
    static final int TSRESOL_POWER_OF_TWO = 0x80;
    /** The exponent bits of {@code if_tsresol}. */
    static final int TSRESOL_EXPONENT_MASK = 0x7F;
    /** pcapng's default {@code if_tsresol}: microseconds. */
    static final int TSRESOL_MICROSECONDS = 6;

    private static final long[] POWERS_OF_TEN = {
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L,
        1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L,
        10_000_000_000_000L, 100_000_000_000_000L, 1_000_000_000_000_000L,
        10_000_000_000_000_000L, 100_000_000_000_000_000L, 1_000_000_000_000_000_000L,
    };

    /**
     * The multiplier that turns units of the given {@code if_tsresol} into nanoseconds, or
     * 0 when the conversion is not a plain multiplication (units finer than 1 ns, or powers
     * of two other than 2^0); then use {@link #unitsToNanos(long, int)}.
     */
    static long nanosPerUnit(int tsresol) {
        int exponent = tsresol & TSRESOL_EXPONENT_MASK;
        if ((tsresol & TSRESOL_POWER_OF_TWO) != 0) {
            return exponent == 0 ? NANOS_PER_SECOND : 0;
        }
        return exponent <= 9 ? POWERS_OF_TEN[9 - exponent] : 0;
    }

    /**
     * Converts a count of timestamp units (an unsigned 64-bit value) to nanoseconds.
     *
     * @param units   the pcapng timestamp (high and low words joined), unsigned
     * @param tsresol the interface's {@code if_tsresol} byte
     */
    static long unitsToNanos(long units, int tsresol) {
        int exponent = tsresol & TSRESOL_EXPONENT_MASK;
        if ((tsresol & TSRESOL_POWER_OF_TWO) == 0) {
            if (exponent <= 9) {
                return units * POWERS_OF_TEN[9 - exponent];
            }
            int divisorExponent = exponent - 9;
            if (divisorExponent < POWERS_OF_TEN.length) {
                return Long.divideUnsigned(units, POWERS_OF_TEN[divisorExponent]);
            }
            // 2^64 < 10^20: only 10^19 can leave anything
            return divisorExponent == POWERS_OF_TEN.length
                ? Long.divideUnsigned(units, POWERS_OF_TEN[POWERS_OF_TEN.length - 1]) / 10 : 0;
        }
        // units / 2^exponent seconds = whole seconds + fraction / 2^exponent
        if (exponent == 0) {
            return units * NANOS_PER_SECOND;
        }
        if (exponent >= 64) {
            // units < 2^64 <= 2^exponent: under one second. Result = units * 1e9 >> exponent.
            long high = unsignedMultiplyHigh(units, NANOS_PER_SECOND);
            return exponent >= 128 ? 0 : high >>> (exponent - 64);
        }
        long seconds = units >>> exponent;
        long fraction = units & ((1L << exponent) - 1);
        // fraction * 1e9 as a 128-bit product, shifted right by exponent (< 64)
        long high = unsignedMultiplyHigh(fraction, NANOS_PER_SECOND);
        long low = fraction * NANOS_PER_SECOND;
        long fractionNanos = (low >>> exponent) | (high << (64 - exponent));
        return seconds * NANOS_PER_SECOND + fractionNanos;
    }

    /** High 64 bits of the unsigned 128-bit product (Java 17 has only the signed one). */
    private static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }
}
