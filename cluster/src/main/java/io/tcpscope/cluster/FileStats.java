package io.tcpscope.cluster;

import io.tcpscope.analyzer.decode.DecodeResult;
import java.io.Serializable;
import java.util.Comparator;

/**
 * What one pass over one capture file found: how many frames, their first and latest
 * timestamps, how each decoded. Its position in the set ({@link #index}) is given on the
 * driver, in {@code CaptureSet}'s order.
 */
final class FileStats implements Serializable {
    private static final long serialVersionUID = 1L;

    /** {@code CaptureSet}'s set order: files with frames first, by first timestamp, then name, then path. */
    static final Comparator<FileStats> SET_ORDER = Comparator
            .comparing((FileStats f) -> f.frames == 0)
            .thenComparingLong(f -> f.frames == 0 ? 0 : f.firstNanos)
            .thenComparing(f -> f.name)
            .thenComparing(f -> f.path);

    final String path;
    final String name;
    long frames;
    long tcpFrames;
    final long[] skipped = new long[DecodeResult.values().length];
    long firstNanos = -1;
    /** Largest timestamp of the file (its last frame's merge key, see {@link FrameNumbers}). */
    long maxNanos = Long.MIN_VALUE;
    String damage;
    int index = -1;

    FileStats(String path) {
        this.path = path;
        int slash = path.lastIndexOf('/');
        this.name = slash >= 0 ? path.substring(slash + 1) : path;
    }
}
