package io.tcpscope.capture;

import java.time.Instant;

/**
 * Watches a capture's timestamps and keeps a glitch from poisoning durations.
 *
 * <ul>
 * <li>A frame more than {@link #MAX_STEP_NANOS} (a day) ahead of or behind the capture's clock
 *     (the latest plausible timestamp so far) is held while the next frame is read. If the
 *     next frame is back near the clock, the held one was a <b>glitch</b>: its timestamp is
 *     replaced by the clock's, so that it is analyzed in place ({@code arkime/y2038-bgp.pcap}'s
 *     frame 3, 28 years ahead of frames 2 and 4, otherwise made a 251385-hour connection). The
 *     same when it is the last frame, or when the next one is far from both.</li>
 * <li>If the next frame agrees with the held one (within a day), the clock really
 *     <b>stepped</b> (captures concatenated, a sensor's clock set): the new base is followed from
 *     the held frame on, and nothing is changed.</li>
 * <li>A timestamp of 0 (no timestamp: a pcapng simple packet block) is analyzed at the
 *     clock's time (the first frame: at the next frame's) and never sets the clock.</li>
 * <li>A step <b>backwards</b> of less than a day is left as it is (merged captures, several
 *     NIC queues) and counted; only one of more than {@link #BACKWARDS_NOTE_NANOS} is reported.</li>
 * </ul>
 *
 * <p>The held frame is copied into a frame of the guard's own (its array grows only for a
 * larger frame than any before); the source's frame is otherwise passed through, with its
 * timestamp rewritten in place ({@link Frame#set}) for a glitch. Nothing is allocated per
 * frame. {@link #report()} describes what was seen in one line, or {@code null}.
 */
public final class ClockGuard extends ForwardingSource {
    /** Larger steps than this between frames are not believed without a second frame: one day. */
    public static final long MAX_STEP_NANOS = 86_400_000_000_000L;
    /** Steps backwards shorter than this are usual (NIC queues, merged taps) and not reported. */
    public static final long BACKWARDS_NOTE_NANOS = 1_000_000_000L;

    private final Frame held = new Frame();
    private byte[] heldBytes = new byte[0];
    /** The source's frame read ahead, to be returned (and judged) by the next call. */
    private Frame pending;
    private boolean sourceEnded;
    private boolean started;
    private long clock;

    private long jumps;
    private long firstJumpFrame;
    private long firstJumpNanos;
    private long firstJumpOriginal;
    private long steps;
    private long firstStepFrame;
    private long firstStepNanos;
    private long untimed;
    private long backwards;
    private long largestBackwardsNanos;
    private long largestBackwardsFrame;

    public ClockGuard(PacketSource source) {
        super(source);
    }

    @Override
    public Frame next() throws CaptureException {
        Frame f;
        if (pending != null) {
            f = pending;
            pending = null;
        } else {
            if (sourceEnded) {
                return null;
            }
            f = source.next();
            if (f == null) {
                sourceEnded = true;
                return null;
            }
        }
        return judge(f);
    }

    private Frame judge(Frame f) throws CaptureException {
        long ts = f.timestampNanos();
        if (ts == 0) {
            // No timestamp at all (a pcapng simple packet block, a writer that left it out):
            // analyzed at the clock's time, and not allowed to set the clock.
            if (started) {
                untimed++;
                f.set(f.number(), clock, f.capturedLength(), f.originalLength(), f.linkType(), f.interfaceId(),
                        f.buffer(), f.offset());
                return f;
            }
            // Before any time is known: take the next frame's, if it has one.
            hold(f);
            Frame next = source.next();
            if (next == null) {
                sourceEnded = true;
                return held;
            }
            pending = next;
            if (next.timestampNanos() != 0) {
                untimed++;
                held.set(held.number(), next.timestampNanos(), held.capturedLength(), held.originalLength(),
                        held.linkType(), held.interfaceId(), heldBytes, 0);
            }
            return held;
        }
        if (!started) {
            started = true;
            clock = ts;
            return f;
        }
        long step = ts - clock;
        if (step >= -MAX_STEP_NANOS && step <= MAX_STEP_NANOS) {
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
        // Far away: hold a copy, look at the next frame, then decide.
        hold(f);
        Frame next = source.next();
        if (next == null) {
            sourceEnded = true;
        } else {
            pending = next;
            long nextTs = next.timestampNanos();
            boolean nextNearClock = Math.abs(nextTs - clock) <= MAX_STEP_NANOS;
            if (!nextNearClock && Math.abs(nextTs - ts) <= MAX_STEP_NANOS) {
                if (steps++ == 0) {
                    firstStepFrame = held.number();
                    firstStepNanos = step;
                }
                clock = ts;
                return held;
            }
        }
        if (jumps++ == 0) {
            firstJumpFrame = held.number();
            firstJumpNanos = step;
            firstJumpOriginal = ts;
        }
        held.set(held.number(), clock, held.capturedLength(), held.originalLength(), held.linkType(),
                held.interfaceId(), heldBytes, 0);
        return held;
    }

    private void hold(Frame f) {
        int n = f.capturedLength();
        if (heldBytes.length < n) {
            heldBytes = new byte[Math.max(n, 2 * heldBytes.length)];
        }
        System.arraycopy(f.buffer(), f.offset(), heldBytes, 0, n);
        held.set(f.number(), f.timestampNanos(), n, f.originalLength(), f.linkType(), f.interfaceId(), heldBytes, 0);
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
        if (untimed > 0) {
            m.append(m.length() == 0 ? "" : "; ").append(untimed).append(untimed == 1 ? " frame" : " frames")
                    .append(" without a timestamp (0) analyzed at a neighbouring frame's time");
        }
        if (steps > 0) {
            m.append(m.length() == 0 ? "" : "; ").append("the clock stepped ").append(steps).append(steps == 1 ? " time" : " times")
                    .append(" (first: ").append(span(firstStepNanos)).append(" at frame ").append(firstStepFrame)
                    .append("): followed, as the frames after it agree");
        }
        if (largestBackwardsNanos >= BACKWARDS_NOTE_NANOS) {
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

}
