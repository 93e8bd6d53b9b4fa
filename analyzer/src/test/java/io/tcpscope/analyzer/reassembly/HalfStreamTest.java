package io.tcpscope.analyzer.reassembly;

import static io.tcpscope.analyzer.reassembly.HalfStream.SegmentClass.EMPTY;
import static io.tcpscope.analyzer.reassembly.HalfStream.SegmentClass.IN_ORDER;
import static io.tcpscope.analyzer.reassembly.HalfStream.SegmentClass.OUT_OF_ORDER;
import static io.tcpscope.analyzer.reassembly.HalfStream.SegmentClass.OVERLAP;
import static io.tcpscope.analyzer.reassembly.HalfStream.SegmentClass.RETRANSMISSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * One direction's sequence space. Every scenario runs from an ISN far from the wrap and from
 * one just below 2^32 (0xFFFFFF00), so that the stream crosses zero.
 */
class HalfStreamTest {

    private static HalfStream at(int isn) {
        HalfStream h = new HalfStream();
        h.start(isn);
        return h;
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 0xFFFFFF00, 0xFFFFFFC0})
    void inOrderSegmentsExtendTheContiguousPart(int isn) {
        HalfStream h = at(isn);
        assertEquals(IN_ORDER, h.add(isn, 100));
        assertEquals(IN_ORDER, h.add(isn + 100, 200));
        assertEquals(isn + 300, h.contiguousEnd());
        assertEquals(isn + 300, h.highestEnd());
        assertEquals(0, h.rangeCount());
        assertEquals(0, h.missedBytes());
        assertEquals(0, h.retransmittedSegments() + h.outOfOrderSegments() + h.overlapSegments());
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 0xFFFFFF00})
    void addStartsAtTheFirstSeqWhenNotStarted(int isn) {
        HalfStream h = new HalfStream();
        assertFalse(h.started());
        assertEquals(IN_ORDER, h.add(isn, 10));
        assertTrue(h.started());
        assertEquals(isn + 10, h.contiguousEnd());
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 0xFFFFFF00})
    void emptySegmentsChangeNothing(int isn) {
        HalfStream h = at(isn);
        h.add(isn, 100);
        assertEquals(EMPTY, h.add(isn + 100, 0));
        assertEquals(EMPTY, h.add(isn + 5000, 0));
        assertEquals(isn + 100, h.contiguousEnd());
        assertEquals(isn + 100, h.highestEnd());
        assertEquals(0, h.rangeCount());
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 0xFFFFFF00})
    void fullDuplicateIsARetransmission(int isn) {
        HalfStream h = at(isn);
        h.add(isn, 100);
        h.add(isn + 100, 100);
        assertEquals(RETRANSMISSION, h.add(isn + 100, 100));
        assertEquals(RETRANSMISSION, h.add(isn, 200));      // spans two earlier segments
        assertEquals(RETRANSMISSION, h.add(isn + 10, 20));  // strictly inside
        assertEquals(3, h.retransmittedSegments());
        assertEquals(isn + 200, h.contiguousEnd());
        assertEquals(0, h.outOfOrderSegments());
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 0xFFFFFF00})
    void partlyNewSegmentIsAnOverlap(int isn) {
        HalfStream h = at(isn);
        h.add(isn, 100);
        assertEquals(OVERLAP, h.add(isn + 50, 100));
        assertEquals(1, h.overlapSegments());
        assertEquals(isn + 150, h.contiguousEnd());
        assertEquals(isn + 150, h.highestEnd());
        assertEquals(0, h.retransmittedSegments());
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 0xFFFFFF00, 0xFFFFFF9C})
    void outOfOrderThenTheGapIsFilled(int isn) {
        HalfStream h = at(isn);
        assertEquals(IN_ORDER, h.add(isn, 100));
        assertEquals(OUT_OF_ORDER, h.add(isn + 200, 100));   // gap [100, 200)
        assertEquals(isn + 100, h.contiguousEnd());
        assertEquals(isn + 300, h.highestEnd());
        assertEquals(1, h.rangeCount());
        assertEquals(RETRANSMISSION, h.add(isn + 220, 50));  // inside the held range
        assertEquals(OUT_OF_ORDER, h.add(isn + 100, 100));   // fills the gap
        assertEquals(isn + 300, h.contiguousEnd());
        assertEquals(0, h.rangeCount());
        assertEquals(2, h.outOfOrderSegments());
        assertEquals(1, h.retransmittedSegments());
        assertEquals(0, h.missedBytes());
        assertEquals(IN_ORDER, h.add(isn + 300, 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 0xFFFFFF00})
    void rangesMergeWhenTheyTouch(int isn) {
        HalfStream h = at(isn);
        h.add(isn + 100, 50);
        h.add(isn + 200, 50);
        assertEquals(2, h.rangeCount());
        assertEquals(OUT_OF_ORDER, h.add(isn + 150, 50));    // joins both ranges
        assertEquals(1, h.rangeCount());
        assertEquals(RETRANSMISSION, h.add(isn + 100, 150)); // one range now
        assertEquals(OUT_OF_ORDER, h.add(isn, 100));
        assertEquals(isn + 250, h.contiguousEnd());
        assertEquals(0, h.rangeCount());
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 0xFFFFFF00})
    void acknowledgedBytesNeverSeenAreHoles(int isn) {
        HalfStream h = at(isn);
        h.add(isn, 100);
        h.add(isn + 300, 100);   // held: [300, 400); holes [100, 300) and [400, 500)
        assertEquals(300, h.acknowledged(isn + 500));
        assertEquals(300, h.missedBytes());
        assertEquals(isn + 500, h.contiguousEnd());
        assertEquals(isn + 500, h.highestEnd());
        assertEquals(0, h.rangeCount());
        // An old or repeated ACK adds nothing.
        assertEquals(0, h.acknowledged(isn + 500));
        assertEquals(0, h.acknowledged(isn + 50));
        assertEquals(300, h.missedBytes());
        // After the skipped hole, the stream continues in order.
        assertEquals(IN_ORDER, h.add(isn + 500, 10));
        assertEquals(RETRANSMISSION, h.add(isn + 150, 10));
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 0xFFFFFF00})
    void ackEndingInsideAHeldRangeAbsorbsIt(int isn) {
        HalfStream h = at(isn);
        h.add(isn, 100);
        h.add(isn + 200, 100);
        h.add(isn + 400, 100);
        assertEquals(100, h.acknowledged(isn + 250)); // only the hole [100, 200)
        assertEquals(isn + 300, h.contiguousEnd());
        assertEquals(1, h.rangeCount());
        assertEquals(isn + 500, h.highestEnd());
    }

    @Test
    void acknowledgedBeforeAnythingSeenIsNothing() {
        HalfStream h = new HalfStream();
        assertEquals(0, h.acknowledged(12345));
        assertFalse(h.started());
        assertEquals(0, h.missedBytes());
    }

    /** MAX_RANGES ranges [isn + 200k + 100, isn + 200k + 150), k = 0..15: gaps [200k, 200k + 100) before each. */
    private static HalfStream fullOfRanges(int isn) {
        HalfStream h = at(isn);
        for (int k = 0; k < HalfStream.MAX_RANGES; k++) {
            assertEquals(OUT_OF_ORDER, h.add(isn + 200 * k + 100, 50));
        }
        assertEquals(HalfStream.MAX_RANGES, h.rangeCount());
        assertEquals(0, h.rangeOverflows());
        return h;
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 0xFFFFFF00})
    void overflowSkipsTheLowestGapAsMissed(int isn) {
        HalfStream h = fullOfRanges(isn);
        int beyond = isn + 200 * HalfStream.MAX_RANGES + 100;
        assertEquals(OUT_OF_ORDER, h.add(beyond, 50));
        // Documented: the oldest (lowest) range joins the contiguous part, its gap counts as missed.
        assertEquals(1, h.rangeOverflows());
        assertEquals(100, h.missedBytes());
        assertEquals(isn + 150, h.contiguousEnd());
        assertEquals(HalfStream.MAX_RANGES, h.rangeCount());
        assertEquals(beyond + 50, h.highestEnd());
        // The skipped gap, delivered later, is old news.
        assertEquals(RETRANSMISSION, h.add(isn, 100));
        // Everything else still fills in exactly.
        for (int k = 1; k <= HalfStream.MAX_RANGES; k++) {
            h.add(isn + 200 * k - 50, 150);
        }
        assertEquals(beyond + 50, h.contiguousEnd());
        assertEquals(0, h.rangeCount());
        assertEquals(100, h.missedBytes());
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 0xFFFFFF00})
    void segmentExtendingAHeldRangeNeedsNoNewSlot(int isn) {
        HalfStream h = fullOfRanges(isn);
        // Extends range 5 ([1100, 1150)) to [1100, 1160): no new range is needed.
        assertEquals(OUT_OF_ORDER, h.add(isn + 200 * 5 + 150, 10));
        assertEquals(0, h.rangeOverflows());
        assertEquals(0, h.missedBytes());
        assertEquals(isn, h.contiguousEnd());
        assertEquals(HalfStream.MAX_RANGES, h.rangeCount());
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 0xFFFFFF00})
    void overflowDoesNotCountTheNewSegmentAsMissed(int isn) {
        HalfStream h = fullOfRanges(isn);
        // Lands inside the lowest gap [0, 100) and needs a 17th slot: the lowest gap, now
        // [0, 20), is given up (20 bytes missed), never the 10 bytes just seen.
        h.add(isn + 20, 10);
        assertEquals(1, h.rangeOverflows());
        assertEquals(20, h.missedBytes());
        assertEquals(isn + 30, h.contiguousEnd());
        assertEquals(HalfStream.MAX_RANGES, h.rangeCount());
    }

    // ---------------------------------------------------------------- properties

    private record Seg(int offset, int length) {
    }

    /** Splits [0, total) into random segments of 1..maxLen bytes. */
    private static List<Seg> segment(Random r, int total, int maxLen) {
        List<Seg> out = new ArrayList<>();
        int off = 0;
        while (off < total) {
            int len = Math.min(total - off, 1 + r.nextInt(maxLen));
            out.add(new Seg(off, len));
            off += len;
        }
        return out;
    }

    /** Splits [0, total) into k pieces at random cut points. */
    private static List<Seg> cut(Random r, int total, int k) {
        java.util.TreeSet<Integer> cuts = new java.util.TreeSet<>();
        while (cuts.size() < Math.min(k, total) - 1) {
            cuts.add(1 + r.nextInt(total - 1));
        }
        List<Seg> out = new ArrayList<>();
        int prev = 0;
        for (int c : cuts) {
            out.add(new Seg(prev, c - prev));
            prev = c;
        }
        out.add(new Seg(prev, total - prev));
        return out;
    }

    /**
     * Adds exact duplicates (any number) and at most 4 re-segmented copies (overlaps), then
     * shuffles. With at most 24 pieces, at most 12 + 4 separate ranges can be held at once:
     * below {@link HalfStream#MAX_RANGES}, so the overflow rule never applies.
     */
    private static List<Seg> scramble(Random r, List<Seg> segs, int total) {
        List<Seg> out = new ArrayList<>(segs);
        int duplicates = r.nextInt(segs.size() + 1);
        for (int i = 0; i < duplicates; i++) {
            out.add(segs.get(r.nextInt(segs.size())));
        }
        int copies = r.nextInt(5);
        for (int i = 0; i < copies; i++) {
            int start = r.nextInt(total);
            out.add(new Seg(start, 1 + r.nextInt(Math.min(total - start, 3000))));
        }
        Collections.shuffle(out, r);
        return out;
    }

    private static int isnNearWrap(Random r) {
        return r.nextBoolean() ? 0xFFFFFF00 + r.nextInt(0x100) : r.nextInt();
    }

    @Test
    void anyOrderWithDuplicatesEndsContiguousWithNothingMissed() {
        Random r = new Random(20240601L);
        for (int round = 0; round < 2000; round++) {
            int isn = isnNearWrap(r);
            int total = 1 + r.nextInt(30_000);
            List<Seg> segs = cut(r, total, 1 + r.nextInt(24));
            List<Seg> order = scramble(r, segs, total);
            HalfStream h = at(isn);
            BitSet seen = new BitSet(total);
            for (Seg s : order) {
                boolean allSeen = seen.nextClearBit(s.offset()) >= s.offset() + s.length();
                HalfStream.SegmentClass cls = h.add(isn + s.offset(), s.length());
                int roundNo = round;
                assertEquals(allSeen, cls == RETRANSMISSION,
                        () -> "round " + roundNo + " isn " + Integer.toHexString(isn) + " seg " + s + " was " + cls);
                seen.set(s.offset(), s.offset() + s.length());
            }
            int end = isn + total;
            int roundNo = round;
            assertEquals(0, h.rangeOverflows(), () -> "round " + roundNo);
            assertEquals(end, h.contiguousEnd(), () -> "round " + roundNo + " isn " + Integer.toHexString(isn));
            assertEquals(end, h.highestEnd());
            assertEquals(0, h.rangeCount());
            assertEquals(0, h.missedBytes(), () -> "round " + roundNo);
            // The final ACK covers exactly what was seen: nothing missed.
            assertEquals(0, h.acknowledged(end));
        }
    }

    @Test
    void largeStreamsReorderedWithinAWindowLoseNothing() {
        Random r = new Random(77L);
        for (int round = 0; round < 200; round++) {
            int isn = isnNearWrap(r);
            int total = 50_000 + r.nextInt(200_000);
            List<Seg> segs = segment(r, total, 1448);
            // Local reordering: each segment moves at most 8 places (< MAX_RANGES gaps at once).
            List<Seg> order = new ArrayList<>(segs);
            for (int i = 0; i + 8 < order.size(); i += 8) {
                Collections.shuffle(order.subList(i, i + 8), r);
            }
            for (int i = 0; i < order.size() / 10; i++) {
                int at = r.nextInt(order.size());
                order.add(Math.min(order.size(), at + r.nextInt(4)), order.get(at)); // a duplicate, a little later
            }
            HalfStream h = at(isn);
            for (Seg s : order) {
                h.add(isn + s.offset(), s.length());
            }
            assertEquals(isn + total, h.contiguousEnd());
            assertEquals(0, h.missedBytes());
            assertEquals(0, h.rangeOverflows());
            assertEquals(order.size() - segs.size(), h.retransmittedSegments());
        }
    }
}
