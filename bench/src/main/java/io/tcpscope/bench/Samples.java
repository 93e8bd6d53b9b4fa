package io.tcpscope.bench;

import java.util.Arrays;

/**
 * The timed runs of one benchmark row: wall seconds, and bytes the measuring thread allocated
 * (for in-process runs) or the peak resident set (for external processes), per run.
 */
public final class Samples {
    private final double[] seconds;
    private final long[] allocatedBytes;
    private final long[] peakRssKb;
    private int count;

    public Samples(int capacity) {
        seconds = new double[capacity];
        allocatedBytes = new long[capacity];
        peakRssKb = new long[capacity];
    }

    /** Adds one run; {@code allocated} or {@code peakKb} is -1 when not measured. */
    public void add(double wallSeconds, long allocated, long peakKb) {
        seconds[count] = wallSeconds;
        allocatedBytes[count] = allocated;
        peakRssKb[count] = peakKb;
        count++;
    }

    public int count() {
        return count;
    }

    public double best() {
        double best = Double.NaN;
        for (int i = 0; i < count; i++) {
            best = i == 0 ? seconds[i] : Math.min(best, seconds[i]);
        }
        return best;
    }

    public double median() {
        return median(Arrays.copyOf(seconds, count));
    }

    /** Median bytes allocated by one run, or -1 when not measured. */
    public long medianAllocated() {
        return medianOf(allocatedBytes);
    }

    /** Largest peak RSS of the runs in KiB, or -1 when not measured. */
    public long peakRssKb() {
        long peak = -1;
        for (int i = 0; i < count; i++) {
            peak = Math.max(peak, peakRssKb[i]);
        }
        return peak;
    }

    private long medianOf(long[] values) {
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            if (values[i] < 0) {
                return -1;
            }
            v[i] = values[i];
        }
        return count == 0 ? -1 : Math.round(median(v));
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(v);
        int mid = v.length / 2;
        return (v.length & 1) == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }
}
