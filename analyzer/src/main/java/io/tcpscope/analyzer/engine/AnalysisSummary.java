package io.tcpscope.analyzer.engine;

import io.tcpscope.analyzer.decode.DecodeResult;

/** Counters for the whole capture, reported in the summary. */
public final class AnalysisSummary {
    long frames;
    long tcpFrames;
    final long[] skipped = new long[DecodeResult.values().length];
    long firstNanos = -1;
    long lastNanos = -1;
    long lastFrame;
    long connections;
    long evictions;
    long records;
    long lateSegments;
    String damage;
    String clock;
    String filter;
    long filterFramesRead;
    boolean interrupted;

    /**
     * A summary from counts made elsewhere (the cluster job counts frames where it reads each
     * file and connections in each partition); {@code skipped} is indexed by {@link DecodeResult#ordinal()}.
     */
    public static AnalysisSummary of(long frames, long tcpFrames, long[] skipped, long firstNanos, long lastNanos,
                                     long lastFrame, long connections, long evictions, long records, long lateSegments) {
        AnalysisSummary s = new AnalysisSummary();
        s.frames = frames;
        s.tcpFrames = tcpFrames;
        System.arraycopy(skipped, 0, s.skipped, 0, s.skipped.length);
        s.firstNanos = firstNanos;
        s.lastNanos = lastNanos;
        s.lastFrame = lastFrame;
        s.connections = connections;
        s.evictions = evictions;
        s.records = records;
        s.lateSegments = lateSegments;
        return s;
    }

    public long frames() {
        return frames;
    }

    public long tcpFrames() {
        return tcpFrames;
    }

    /** Frames skipped for this reason. */
    public long skipped(DecodeResult reason) {
        return skipped[reason.ordinal()];
    }

    /** Capture time of the first frame, or -1 for an empty capture. */
    public long firstNanos() {
        return firstNanos;
    }

    /** Capture time of the last frame: "now" for every diagnosis. */
    public long lastNanos() {
        return lastNanos;
    }

    public long lastFrame() {
        return lastFrame;
    }

    public long connections() {
        return connections;
    }

    public long evictions() {
        return evictions;
    }

    /** Records emitted so far (one per connection once it is over). */
    public long records() {
        return records;
    }

    /**
     * TCP segments of connections already reported (over or evicted) that arrived later: counted,
     * not taken for a new connection.
     */
    public long lateSegments() {
        return lateSegments;
    }

    /** Why the capture ended early, or {@code null}. */
    public String damage() {
        return damage;
    }

    public void damage(String damage) {
        this.damage = damage;
    }

    /** What was wrong with the capture's timestamps (jumps, steps, going backwards), or {@code null}. */
    public String clock() {
        return clock;
    }

    public void clock(String clock) {
        this.clock = clock;
    }

    /** The {@code -f} expression applied frame by frame, or {@code null}. */
    public String filter() {
        return filter;
    }

    /** Frames of the file read under {@link #filter()}, kept or not ({@link #frames()} counts the kept ones). */
    public long filterFramesRead() {
        return filterFramesRead;
    }

    public void filter(String expression, long framesRead) {
        this.filter = expression;
        this.filterFramesRead = framesRead;
    }

    /** Whether reading stopped early on Ctrl-C or SIGTERM. */
    public boolean interrupted() {
        return interrupted;
    }

    public void interrupted(boolean interrupted) {
        this.interrupted = interrupted;
    }
}
