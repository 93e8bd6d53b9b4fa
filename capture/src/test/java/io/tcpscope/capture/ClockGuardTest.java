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

    /** The frames after a far one agree with it: the clock stepped (concatenated captures); nothing changed. */
    @Test
    void aConfirmedStepIsFollowed() throws CaptureException {
        long later = T0 + 3 * 365 * DAY;
        ClockGuard g = new ClockGuard(new Stamps(T0, T0 + S, later, later + S, later + 2 * S));
        assertEquals(List.of(T0, T0 + S, later, later + S, later + 2 * S), read(g));
        assertEquals(0, g.jumps());
        assertEquals(1, g.steps());
        assertTrue(g.report().contains("the clock stepped 1 time (first: +3.0 years at frame 3)"), g.report());
    }

    @Test
    void aFarLastFrameIsAGlitch() throws CaptureException {
        ClockGuard g = new ClockGuard(new Stamps(T0, T0 + S, T0 + 900 * DAY));
        assertEquals(List.of(T0, T0 + S, T0 + S), read(g));
        assertEquals(1, g.jumps());
    }

    /** Frames without a timestamp (0: pcapng simple packet blocks, gopacket/le-test100.pcapng) take the clock's. */
    @Test
    void untimedFramesTakeTheClock() throws CaptureException {
        ClockGuard g = new ClockGuard(new Stamps(0L, T0, 0L, T0 + S));
        assertEquals(List.of(T0, T0, T0, T0 + S), read(g), "the first takes the next frame's time");
        assertEquals(0, g.jumps());
        assertTrue(g.report().contains("2 frames without a timestamp"), g.report());
    }

    /** Two glitches in a row, far from the clock and from each other. */
    @Test
    void twoDifferentGlitchesInARow() throws CaptureException {
        ClockGuard g = new ClockGuard(new Stamps(T0, T0 + S, S, T0 + 900 * DAY, T0 + 2 * S));
        assertEquals(List.of(T0, T0 + S, T0 + S, T0 + S, T0 + 2 * S), read(g));
        assertEquals(2, g.jumps());
    }

    /** The held frame's bytes are its own: the read-ahead does not overwrite them. */
    @Test
    void theHeldFrameKeepsItsBytesAndNumber() throws CaptureException {
        PacketSource bytesSource = new PacketSource() {
            private final Frame frame = new Frame();
            private final byte[] buffer = new byte[1];
            private int i;
            private final long[] stamps = {T0, 2_164_247_948L * S, T0 + S};

            @Override
            public Frame next() {
                if (i == stamps.length) {
                    return null;
                }
                buffer[0] = (byte) (10 + i);
                frame.set(i + 1, stamps[i++], 1, 1, LinkType.ETHERNET, 0, buffer, 0);
                return frame;
            }

            @Override
            public String damage() {
                return null;
            }

            @Override
            public String description() {
                return "bytes";
            }

            @Override
            public void close() {
            }
        };
        ClockGuard g = new ClockGuard(bytesSource);
        assertEquals(10, g.next().buffer()[0]);
        Frame held = g.next();
        assertEquals(2, held.number());
        assertEquals(11, held.buffer()[held.offset()]);
        assertEquals(T0, held.timestampNanos());
        Frame last = g.next();
        assertEquals(3, last.number());
        assertEquals(12, last.buffer()[last.offset()]);
        assertNull(g.next());
    }

    @Test
    void stepsBackwardsAreCountedNotChangedAndOnlyLongOnesReported() throws CaptureException {
        ClockGuard small = new ClockGuard(new Stamps(T0, T0 + 5 * S, T0 + 5 * S - 40_000L, T0 + 6 * S));
        assertEquals(List.of(T0, T0 + 5 * S, T0 + 5 * S - 40_000L, T0 + 6 * S), read(small));
        assertEquals(1, small.backwards());
        assertNull(small.report(), "40 us back: a NIC queue or a merge, not worth a warning");
        ClockGuard g = new ClockGuard(new Stamps(T0, T0 + 5 * S, T0 + 2 * S, T0 + 6 * S, T0 + 5 * S));
        assertEquals(List.of(T0, T0 + 5 * S, T0 + 2 * S, T0 + 6 * S, T0 + 5 * S), read(g));
        assertEquals(2, g.backwards());
        assertTrue(g.report().contains("timestamps go backwards at 2 frames (largest: -3.000000s at frame 3)"), g.report());
    }
}
