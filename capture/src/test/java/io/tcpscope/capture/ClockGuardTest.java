package io.tcpscope.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClockGuardTest {
    static final long S = 1_000_000_000L;
    static final long DAY = 86_400 * S;
    static final long T0 = 1_259_261_324L * S;

    /** Frames with these timestamps, numbered from 1. */
    static final class Stamps implements PacketSource {
        private final long[] stamps;
        private final Frame frame = new Frame();
        private final byte[] bytes = new byte[1];
        private int i;

        Stamps(long... stamps) {
            this.stamps = stamps;
        }

        @Override
        public Frame next() {
            if (i == stamps.length) {
                return null;
            }
            frame.set(i + 1, stamps[i++], 1, 1, LinkType.ETHERNET, 0, bytes, 0);
            return frame;
        }

        @Override
        public String damage() {
            return null;
        }

        @Override
        public String description() {
            return "stamps";
        }

        @Override
        public void close() {
        }
    }

    static List<Long> read(ClockGuard g) throws CaptureException {
        List<Long> out = new ArrayList<>();
        for (Frame f = g.next(); f != null; f = g.next()) {
            out.add(f.timestampNanos());
        }
        return out;
    }

    @Test
    void aStraightClockIsLeftAlone() throws CaptureException {
        ClockGuard g = new ClockGuard(new Stamps(T0, T0 + S, T0 + 2 * S));
        assertEquals(List.of(T0, T0 + S, T0 + 2 * S), read(g));
        assertNull(g.report());
    }

    /** arkime/y2038-bgp.pcap: frame 3 is 28 years ahead of frames 2 and 4. */
    @Test
    void aLoneJumpIsAnalyzedAtTheClock() throws CaptureException {
        long future = 2_164_247_948L * S;
        ClockGuard g = new ClockGuard(new Stamps(T0, T0 + 12_000_000L, future, T0 + 16_000_000L));
        assertEquals(List.of(T0, T0 + 12_000_000L, T0 + 12_000_000L, T0 + 16_000_000L), read(g));
        assertEquals(1, g.jumps());
        assertTrue(g.report().contains("first: frame 3, +28.7 years"), g.report());
    }

    @Test
    void aJumpBackIsAnalyzedAtTheClockToo() throws CaptureException {
        ClockGuard g = new ClockGuard(new Stamps(T0, T0 - 400 * DAY, T0 + S));
        assertEquals(List.of(T0, T0, T0 + S), read(g));
        assertEquals(1, g.jumps());
    }

    /** Three frames agreeing on a new base: the clock was set; believed from the third on. */
    @Test
    void aRealStepIsAcceptedAfterAgreement() throws CaptureException {
        long later = T0 + 10 * DAY;
        ClockGuard g = new ClockGuard(new Stamps(T0, later, later + S, later + 2 * S, later + 3 * S));
        assertEquals(List.of(T0, T0, T0, later + 2 * S, later + 3 * S), read(g));
        assertEquals(2, g.jumps());
        assertEquals(1, g.steps());
        assertTrue(g.report().contains("the clock stepped 1 time (first: +10.0 days at frame 4)"), g.report());
    }

    @Test
    void smallStepsBackwardsAreCountedNotChanged() throws CaptureException {
        ClockGuard g = new ClockGuard(new Stamps(T0, T0 + 5 * S, T0 + 2 * S, T0 + 6 * S, T0 + 5 * S));
        assertEquals(List.of(T0, T0 + 5 * S, T0 + 2 * S, T0 + 6 * S, T0 + 5 * S), read(g));
        assertEquals(2, g.backwards());
        assertTrue(g.report().contains("timestamps go backwards at 2 frames (largest: -3.000000s at frame 3)"), g.report());
    }
}
