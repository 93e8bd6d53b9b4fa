package io.tcpscope.cluster;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * Each frame's number in the merged capture, as {@code analyze F1 F2 ...} numbers it, computed
 * where each file is read, without merging the files.
 *
 * <p>{@code CaptureSet} merges k-way by (timestamp, file index), frames of a file in file
 * order. That merge equals a sort by (merge key, file index, frame in file), where a frame's
 * merge key is the largest timestamp of its file up to and including it (a frame whose
 * timestamp steps backwards waits behind the frame before it, as in the k-way merge). Merge
 * keys never decrease within a file, so a frame's number is its position in its file plus,
 * for every other file, how many of that file's frames sort before it: all of a file that
 * ends before this one starts, none of one that starts after it ends, and for files whose
 * time ranges overlap, a binary search in that file's merge keys (collected only for the
 * files that overlap another: a rotated set has none or a few; two taps side by side send 8
 * bytes per frame).
 */
final class FrameNumbers implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long[] frames;
    private final long[] first;
    private final long[] last;
    /** Frames of files that end before file i starts (in merge order). */
    private final long[] base;
    /** Files overlapping file i. */
    private final int[][] overlapping;
    /** Merge keys of each file that overlaps another (else null). */
    private final long[][] keys;

    /** @param files in set order ({@code index} = position) */
    FrameNumbers(List<FileStats> files) {
        int n = files.size();
        frames = new long[n];
        first = new long[n];
        last = new long[n];
        base = new long[n];
        overlapping = new int[n][];
        keys = new long[n][];
        for (int i = 0; i < n; i++) {
            FileStats f = files.get(i);
            frames[i] = f.frames;
            first[i] = f.firstNanos;
            last[i] = f.maxNanos;
        }
        for (int i = 0; i < n; i++) {
            int[] over = new int[n];
            int count = 0;
            for (int j = 0; j < n; j++) {
                if (j == i || frames[j] == 0 || frames[i] == 0) {
                    continue;
                }
                if (last[j] < first[i] || (last[j] == first[i] && j < i)) {
                    base[i] += frames[j];
                } else if (first[j] > last[i] || (first[j] == last[i] && j > i)) {
                    continue;
                } else {
                    over[count++] = j;
                }
            }
            overlapping[i] = Arrays.copyOf(over, count);
        }
    }

    /** Whether file {@code j}'s merge keys are needed ({@link #keys(int, long[])}). */
    boolean needsKeys(int j) {
        for (int[] over : overlapping) {
            for (int k : over) {
                if (k == j) {
                    return true;
                }
            }
        }
        return false;
    }

    void keys(int j, long[] mergeKeys) {
        keys[j] = mergeKeys;
    }

    /**
     * @param file     file index
     * @param position 1-based frame number in the file
     * @param mergeKey the frame's merge key (largest timestamp of its file so far)
     * @return the frame's number in the merged capture, from 1
     */
    long number(int file, long position, long mergeKey) {
        long n = position + base[file];
        for (int j : overlapping[file]) {
            n += before(j, mergeKey, j < file);
        }
        return n;
    }

    /** Frames of file j whose merge key is below {@code key} (or equal, when j comes first). */
    private long before(int j, long key, boolean inclusive) {
        if (key < first[j]) {
            return 0;
        }
        if (key > last[j] || (key == last[j] && inclusive)) {
            return frames[j];
        }
        long[] k = keys[j];
        int lo = 0;
        int hi = k.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (k[mid] < key || (inclusive && k[mid] == key)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Frames of all files: the number of the merged capture's last frame. */
    long total() {
        long t = 0;
        for (long f : frames) {
            t += f;
        }
        return t;
    }
}
