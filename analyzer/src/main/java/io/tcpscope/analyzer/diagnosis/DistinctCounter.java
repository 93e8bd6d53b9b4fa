package io.tcpscope.analyzer.diagnosis;

import java.nio.charset.StandardCharsets;

/**
 * Counts distinct values (a SYN flood's source addresses) in bounded memory: exactly up to
 * {@code exactLimit} values (their 64-bit hashes in an open-addressing set of longs), then by
 * a HyperLogLog estimate (Flajolet et al. 2007; below 5m linear counting, see {@link #count})
 * over m = {@code 2^}{@value #P} one-byte registers: 64 KiB whatever the count, a standard
 * error of {@code 1.04 / sqrt(2^16)} = 0.4%. When the exact
 * set fills, its hashes seed the registers and it is dropped, so the estimate covers every
 * value seen.
 *
 * <p>Hash: FNV-1a over the value's UTF-8 bytes, then the splitmix64 finalizer (FNV alone
 * spreads neighbouring addresses badly over the high bits HyperLogLog reads).
 */
public final class DistinctCounter {
    /** Register index bits: 2^16 registers. */
    static final int P = 16;
    private static final int M = 1 << P;
    /** Relative standard error of the estimate, 1.04 / sqrt(M). */
    public static final double STANDARD_ERROR = 1.04 / Math.sqrt(M);

    private final int exactLimit;
    /** The exact set (hash 0 stands for an empty slot; a value hashing to 0 is stored as 1). */
    private long[] set = new long[16];
    private int size;
    /** Non-null once estimating. */
    private byte[] registers;

    /** @param exactLimit values counted exactly before the estimate takes over */
    public DistinctCounter(int exactLimit) {
        if (exactLimit < 1) {
            throw new IllegalArgumentException("exactLimit " + exactLimit);
        }
        this.exactLimit = exactLimit;
    }

    /** The value's 64-bit hash as this counter takes it. */
    static long hash(String value) {
        long h = 0xcbf29ce484222325L;
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    /** splitmix64's finalizer. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    public void add(String value) {
        addHash(hash(value));
    }

    /** Adds a value by its hash (already well mixed). */
    void addHash(long h) {
        if (registers != null) {
            register(h);
            return;
        }
        long key = h == 0 ? 1 : h;
        int mask = set.length - 1;
        int i = (int) (key ^ (key >>> 32)) & mask;
        while (set[i] != 0) {
            if (set[i] == key) {
                return;
            }
            i = (i + 1) & mask;
        }
        if (size == exactLimit) {
            registers = new byte[M];
            for (long k : set) {
                if (k != 0) {
                    register(k);
                }
            }
            set = null;
            register(h);
            return;
        }
        set[i] = key;
        size++;
        if (size * 2 > set.length) {
            grow();
        }
    }

    private void grow() {
        long[] old = set;
        set = new long[old.length * 2];
        int mask = set.length - 1;
        for (long k : old) {
            if (k != 0) {
                int i = (int) (k ^ (k >>> 32)) & mask;
                while (set[i] != 0) {
                    i = (i + 1) & mask;
                }
                set[i] = k;
            }
        }
    }

    private void register(long h) {
        int index = (int) (h >>> (64 - P));
        // Rank: position of the first 1 bit in the remaining 64 - P bits (1-based), at most 64 - P + 1.
        long rest = h << P | (1L << (P - 1));
        int rank = Long.numberOfLeadingZeros(rest) + 1;
        if (rank > registers[index]) {
            registers[index] = (byte) rank;
        }
    }

    /** Whether {@link #count()} is an estimate (more than {@code exactLimit} distinct values seen). */
    public boolean estimated() {
        return registers != null;
    }

    /** The number of distinct values: exact, or the HyperLogLog estimate once {@link #estimated()}. */
    public long count() {
        if (registers == null) {
            return size;
        }
        double sum = 0;
        int zeros = 0;
        for (byte r : registers) {
            sum += Math.scalb(1.0, -r);
            if (r == 0) {
                zeros++;
            }
        }
        double alpha = 0.7213 / (1 + 1.079 / M);
        double e = alpha * M * (double) M / sum;
        if (e <= 5.0 * M && zeros > 0) {
            // Below 5m the raw estimate runs high (Heule et al. 2013, section 5.2: +1% at 3m
            // here); linear counting over the empty registers is within 0.6% there, so it is
            // taken instead of HyperLogLog++'s empirical bias tables.
            e = M * Math.log((double) M / zeros);
        }
        return Math.round(e);
    }
}
