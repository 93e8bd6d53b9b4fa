package io.tcpscope.analyzer.reassembly;

/**
 * One direction of a connection, as sent by one endpoint: its sequence space and how the
 * captured segments fill it.
 *
 * <p>tcpscope does not keep payload, only ranges: the contiguous part of the stream seen
 * from the first sequence number, and a bounded list of out-of-order ranges seen beyond it
 * (segments the capture saw after a gap). Segments are classified as in order,
 * retransmission (every byte seen before), out of order (fills a gap, or lands beyond one)
 * or overlap (partly new). Bytes that the receiver acknowledged but the capture never saw
 * are holes: they are counted as {@link #missedBytes()} and skipped over.
 *
 * <p>Limit: {@link #MAX_RANGES} out-of-order ranges. When full, the oldest (lowest) range is
 * merged into the contiguous part as if the gap before it had been missed by the capture;
 * the gap counts as missed bytes and {@link #rangeOverflows()} counts the event.
 * Nothing here allocates but one {@link Gaps} object, at the first segment that is not in
 * order (or the first bytes missed), and its two range arrays, at the first out-of-order
 * segment: a stream the capture saw whole keeps 3 fields.
 */
public final class HalfStream {
    /** Out-of-order ranges kept per direction. */
    public static final int MAX_RANGES = 16;

    /** What a segment was, relative to what the capture had seen of this direction. */
    public enum SegmentClass { IN_ORDER, RETRANSMISSION, OUT_OF_ORDER, OVERLAP, EMPTY }

    /** End of the contiguous part: every sequence number before it was seen or skipped. */
    private int contiguousEnd;
    /** Highest sequence number end seen (exclusive). */
    private int highestEnd;
    /**
     * {@link #UNSTARTED} before {@link #start}; then null until the first segment not in order
     * or the first bytes missed (most streams never need one). (No boolean for "started": it
     * would take this object from 24 to 32 bytes.)
     */
    private Gaps gaps = UNSTARTED;

    /** The out-of-order ranges and the counters of what was not in order. */
    private static final class Gaps {
        /** Made at the first out-of-order range (a resend or an overlap needs none). */
        int[] rangeStart;
        int[] rangeEnd;
        int rangeCount;
        long missedBytes;
        long retransmittedSegments;
        long outOfOrderSegments;
        long overlapSegments;
        long rangeOverflows;
    }

    /** Read while there is no {@link Gaps}: nothing held, nothing counted (never written). */
    private static final Gaps NONE = new Gaps();
    /** {@link #gaps} of a stream not started (never written either). */
    private static final Gaps UNSTARTED = new Gaps();

    private Gaps r() {
        return gaps != null ? gaps : NONE;
    }

    /** Called only once started (never writes a shared default). */
    private Gaps w() {
        if (gaps == null || gaps == UNSTARTED) {
            gaps = new Gaps();
        }
        return gaps;
    }

    /** Starts the sequence space at {@code seq} (the ISN for a SYN, else the first seq seen). */
    public void start(int seq) {
        contiguousEnd = seq;
        highestEnd = seq;
        if (gaps == UNSTARTED) {
            gaps = null;
        } else if (gaps != null) {
            gaps.rangeCount = 0;
        }
    }

    public boolean started() {
        return gaps != UNSTARTED;
    }

    /** First sequence number not yet seen in order. */
    public int contiguousEnd() {
        return contiguousEnd;
    }

    /** One past the highest sequence number the sender was seen to use. */
    public int highestEnd() {
        return highestEnd;
    }

    public long missedBytes() {
        return r().missedBytes;
    }

    public long retransmittedSegments() {
        return r().retransmittedSegments;
    }

    public long outOfOrderSegments() {
        return r().outOfOrderSegments;
    }

    public long overlapSegments() {
        return r().overlapSegments;
    }

    public long rangeOverflows() {
        return r().rangeOverflows;
    }

    /** Whether [seq, end) had all been seen before this call. */
    private boolean seenBefore(int seq, int end) {
        if (SeqNum.le(end, contiguousEnd)) {
            return true;
        }
        Gaps g = r();
        for (int i = 0; i < g.rangeCount; i++) {
            if (SeqNum.ge(seq, g.rangeStart[i]) && SeqNum.le(end, g.rangeEnd[i])) {
                return true;
            }
        }
        return false;
    }

    /**
     * Records a segment occupying [seq, seq + length) in sequence space (length counts SYN
     * and FIN) and says what it was.
     */
    public SegmentClass add(int seq, int length) {
        if (!started()) {
            start(seq);
        }
        if (length <= 0) {
            return SegmentClass.EMPTY;
        }
        int end = seq + length;
        SegmentClass result;
        if (seenBefore(seq, end)) {
            w().retransmittedSegments++;
            return SegmentClass.RETRANSMISSION;
        }
        if (SeqNum.le(seq, contiguousEnd)) {
            result = SeqNum.lt(seq, contiguousEnd) ? SegmentClass.OVERLAP : SegmentClass.IN_ORDER;
            if (result == SegmentClass.OVERLAP) {
                w().overlapSegments++;
            } else if (SeqNum.lt(seq, highestEnd)) {
                // Fills the start of a gap the capture saw past.
                result = SegmentClass.OUT_OF_ORDER;
                w().outOfOrderSegments++;
            }
            contiguousEnd = end;
            absorbRanges();
        } else {
            result = SegmentClass.OUT_OF_ORDER;
            w().outOfOrderSegments++;
            insertRange(seq, end);
        }
        highestEnd = SeqNum.max(highestEnd, end);
        return result;
    }

    /**
     * The receiver acknowledged everything before {@code ack}. Bytes up to there that the
     * capture never saw are holes: counted and skipped.
     *
     * @return the number of bytes newly counted as missed
     */
    public long acknowledged(int ack) {
        if (!started() || SeqNum.le(ack, contiguousEnd)) {
            return 0;
        }
        long missedNow = 0;
        int cursor = contiguousEnd;
        Gaps g = r();
        for (int i = 0; i < g.rangeCount && SeqNum.lt(g.rangeStart[i], ack); i++) {
            missedNow += SeqNum.distance(cursor, g.rangeStart[i]);
            cursor = SeqNum.max(cursor, g.rangeEnd[i]);
        }
        if (SeqNum.lt(cursor, ack)) {
            missedNow += SeqNum.distance(cursor, ack);
        }
        if (missedNow != 0) {
            w().missedBytes += missedNow;
        }
        contiguousEnd = ack;
        absorbRanges();
        highestEnd = SeqNum.max(highestEnd, contiguousEnd);
        return missedNow;
    }

    private void insertRange(int seq, int end) {
        Gaps g = w();
        if (g.rangeStart == null) {
            g.rangeStart = new int[MAX_RANGES + 1];
            g.rangeEnd = new int[MAX_RANGES + 1];
        }
        int[] rangeStart = g.rangeStart;
        int[] rangeEnd = g.rangeEnd;
        int i = 0;
        while (i < g.rangeCount && SeqNum.lt(rangeStart[i], seq)) {
            i++;
        }
        // One spare slot: insert and merge first, so a segment that touches a held range
        // needs no slot of its own.
        System.arraycopy(rangeStart, i, rangeStart, i + 1, g.rangeCount - i);
        System.arraycopy(rangeEnd, i, rangeEnd, i + 1, g.rangeCount - i);
        rangeStart[i] = seq;
        rangeEnd[i] = end;
        g.rangeCount++;
        mergeRanges(g);
        absorbRanges();
        if (g.rangeCount > MAX_RANGES) {
            g.rangeOverflows++;
            // Give up on the lowest gap: skip it as missed.
            g.missedBytes += SeqNum.distance(contiguousEnd, rangeStart[0]);
            contiguousEnd = rangeEnd[0];
            removeRange(g, 0);
            absorbRanges();
        }
    }

    private static void mergeRanges(Gaps g) {
        int[] rangeStart = g.rangeStart;
        int[] rangeEnd = g.rangeEnd;
        int w = 0;
        for (int r = 1; r < g.rangeCount; r++) {
            if (SeqNum.le(rangeStart[r], rangeEnd[w])) {
                rangeEnd[w] = SeqNum.max(rangeEnd[w], rangeEnd[r]);
            } else {
                w++;
                rangeStart[w] = rangeStart[r];
                rangeEnd[w] = rangeEnd[r];
            }
        }
        g.rangeCount = g.rangeCount == 0 ? 0 : w + 1;
    }

    /** Moves ranges that now touch the contiguous part into it. */
    private void absorbRanges() {
        Gaps g = gaps;
        if (g == null || g == UNSTARTED) {
            return;
        }
        while (g.rangeCount > 0 && SeqNum.le(g.rangeStart[0], contiguousEnd)) {
            contiguousEnd = SeqNum.max(contiguousEnd, g.rangeEnd[0]);
            removeRange(g, 0);
        }
    }

    private static void removeRange(Gaps g, int i) {
        System.arraycopy(g.rangeStart, i + 1, g.rangeStart, i, g.rangeCount - i - 1);
        System.arraycopy(g.rangeEnd, i + 1, g.rangeEnd, i, g.rangeCount - i - 1);
        g.rangeCount--;
    }

    /** Out-of-order ranges currently held. */
    public int rangeCount() {
        return r().rangeCount;
    }
}
