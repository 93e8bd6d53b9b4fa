package io.tcpscope.capture;

import java.time.Instant;

/**
 * Watches a capture's timestamps and keeps a glitch from poisoning durations.
 *
 * <ul>
 * <li>A frame more than {@link #MAX_STEP_NANOS} (a day) ahead of or behind the capture's clock
 *     (the latest plausible timestamp so far) is a <b>jump</b>: its timestamp is replaced by the
 *     clock's, so that it is analyzed in place (as {@code arkime/y2038-bgp.pcap}'s frame 3, 28
 *     years ahead of frames 2 and 4, which otherwise made a 251385-hour connection).</li>
 * <li>When {@link #STEP_AGREEMENT} frames in a row agree on a new time base (within a day of
 *     each other), the clock really <b>stepped</b> (a sensor's clock was set): the new base is
 *     taken from the last of them on; the earlier ones stay replaced.</li>
 * <li>A step <b>backwards</b> of less than a day is left as it is (merged captures, reordering
 *     across interfaces) and counted.</li>
 * </ul>
 *
 * <p>Rewrites the source's frame in place ({@link Frame#set}); allocates nothing per frame.
 * {@link #report()} describes what was seen in one line, or {@code null}.
 */
public final class ClockGuard implements PacketSource {
    /** Larger steps than this between frames are not believed: one day. */
    public static final long MAX_STEP_NANOS = 86_400_000_000_000L;
    /** Frames in a row that must agree on a new time base before it is believed. */
    public static final int STEP_AGREEMENT = 3;

    private final PacketSource source;
    private boolean started;
    private long clock;
    private long candidateBase;
    private int candidateCount;

    private long jumps;
    private long firstJumpFrame;
    private long firstJumpNanos;
    private long firstJumpOriginal;
    private long steps;
    private long firstStepFrame;
    private long firstStepNanos;
    private long backwards;
    private long largestBackwardsNanos;
    private long largestBackwardsFrame;

    public ClockGuard(PacketSource source) {
        this.source = source;
    }

    /** The source whose frames this guards. */
    public PacketSource source() {
        return source;
    }

    @Override
    public Frame next() throws CaptureException {
        Frame f = source.next();
        if (f == null) {
            return null;
        }
        long ts = f.timestampNanos();
        if (!started) {
            started = true;
            clock = ts;
            return f;
        }
        long step = ts - clock;
        if (step >= -MAX_STEP_NANOS && step <= MAX_STEP_NANOS) {
            candidateCount = 0;
            if (step < 0) {
                backwards++;
                if (-step > largestBackwardsNanos) {
                    largestBackwardsNanos = -step;
                    largestBackwardsFrame = f.number();
                }
            } else {
                clock = ts;
            }
            return f;
        }
        if (candidateCount > 0 && Math.abs(ts - candidateBase) <= MAX_STEP_NANOS) {
            candidateCount++;
        } else {
            candidateBase = ts;
            candidateCount = 1;
        }
        if (candidateCount >= STEP_AGREEMENT) {
            if (steps++ == 0) {
                firstStepFrame = f.number();
                firstStepNanos = ts - clock;
            }
            clock = ts;
            candidateCount = 0;
            return f;
        }
        if (jumps++ == 0) {
            firstJumpFrame = f.number();
            firstJumpNanos = step;
            firstJumpOriginal = ts;
        }
        f.set(f.number(), clock, f.capturedLength(), f.originalLength(), f.linkType(), f.interfaceId(),
                f.buffer(), f.offset());
        return f;
    }

    /** Frames whose timestamp was replaced by the clock's. */
    public long jumps() {
        return jumps;
    }

    /** Times the clock was found to have stepped to a new base. */
    public long steps() {
        return steps;
    }

    /** Frames stamped earlier than one before them (by less than a day). */
    public long backwards() {
        return backwards;
    }

    /** One line about the clock for stderr and the summary, or {@code null} when it ran straight. */
    public String report() {
        StringBuilder m = new StringBuilder();
        if (jumps > 0) {
            m.append(jumps).append(jumps == 1 ? " frame" : " frames").append(" stamped more than a day away from the frames")
                    .append(" around (first: frame ").append(firstJumpFrame).append(", ").append(span(firstJumpNanos))
                    .append(", ").append(Instant.ofEpochSecond(0, firstJumpOriginal))
                    .append(") analyzed at the time of the frame before");
        }
        if (steps > 0) {
            m.append(m.length() == 0 ? "" : "; ").append("the clock stepped ").append(steps).append(steps == 1 ? " time" : " times")
                    .append(" (first: ").append(span(firstStepNanos)).append(" at frame ").append(firstStepFrame)
                    .append("): durations across it include the step");
        }
        if (backwards > 0) {
            m.append(m.length() == 0 ? "" : "; ").append("timestamps go backwards at ").append(backwards)
                    .append(backwards == 1 ? " frame" : " frames").append(" (largest: ").append(span(-largestBackwardsNanos))
                    .append(" at frame ").append(largestBackwardsFrame).append(")");
        }
        return m.length() == 0 ? null : m.toString();
    }

    /** A signed span: "+28.7 years", "-3.2 days", "-0.015000s". */
    static String span(long nanos) {
        String sign = nanos < 0 ? "-" : "+";
        double s = Math.abs((double) nanos) / 1e9;
        if (s >= 365.25 * 86400) {
            return sign + String.format(java.util.Locale.ROOT, "%.1f years", s / (365.25 * 86400));
        }
        if (s >= 86400) {
            return sign + String.format(java.util.Locale.ROOT, "%.1f days", s / 86400);
        }
        return sign + String.format(java.util.Locale.ROOT, "%.6fs", s);
    }

    @Override
    public String damage() {
        return source.damage();
    }

    @Override
    public String description() {
        return source.description();
    }

    @Override
    public void breakLoop() {
        source.breakLoop();
    }

    @Override
    public void close() {
        source.close();
    }
}
