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
 * Nothing here allocates but the two range arrays, once, at the first out-of-order segment.
 */
public final class HalfStream {
    /** Out-of-order ranges kept per direction. */
    public static final int MAX_RANGES = 16;

    /** What a segment was, relative to what the capture had seen of this direction. */
    public enum SegmentClass { IN_ORDER, RETRANSMISSION, OUT_OF_ORDER, OVERLAP, EMPTY }

    private boolean started;
    /** End of the contiguous part: every sequence number before it was seen or skipped. */
    private int contiguousEnd;
    /** Highest sequence number end seen (exclusive). */
    private int highestEnd;
    /** Allocated at the first out-of-order segment: most streams never need them. */
    private int[] rangeStart;
    private int[] rangeEnd;
    private int rangeCount;

    private long missedBytes;
    private long retransmittedSegments;
    private long outOfOrderSegments;
    private long overlapSegments;
    private long rangeOverflows;

    /** Starts the sequence space at {@code seq} (the ISN for a SYN, else the first seq seen). */
    public void start(int seq) {
        started = true;
        contiguousEnd = seq;
        highestEnd = seq;
        rangeCount = 0;
    }

    public boolean started() {
        return started;
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
        return missedBytes;
    }

    public long retransmittedSegments() {
        return retransmittedSegments;
    }

    public long outOfOrderSegments() {
        return outOfOrderSegments;
    }

    public long overlapSegments() {
        return overlapSegments;
    }

    public long rangeOverflows() {
        return rangeOverflows;
    }

    /** Whether [seq, end) had all been seen before this call. */
    private boolean seenBefore(int seq, int end) {
        if (SeqNum.le(end, contiguousEnd)) {
            return true;
        }
        for (int i = 0; i < rangeCount; i++) {
            if (SeqNum.ge(seq, rangeStart[i]) && SeqNum.le(end, rangeEnd[i])) {
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
        if (!started) {
            start(seq);
        }
        if (length <= 0) {
            return SegmentClass.EMPTY;
        }
        int end = seq + length;
        SegmentClass result;
        if (seenBefore(seq, end)) {
            retransmittedSegments++;
            return SegmentClass.RETRANSMISSION;
        }
        if (SeqNum.le(seq, contiguousEnd)) {
            result = SeqNum.lt(seq, contiguousEnd) ? SegmentClass.OVERLAP : SegmentClass.IN_ORDER;
            if (result == SegmentClass.OVERLAP) {
                overlapSegments++;
            } else if (SeqNum.lt(seq, highestEnd)) {
                // Fills the start of a gap the capture saw past.
                result = SegmentClass.OUT_OF_ORDER;
                outOfOrderSegments++;
            }
            contiguousEnd = end;
            absorbRanges();
        } else {
            result = SegmentClass.OUT_OF_ORDER;
            outOfOrderSegments++;
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
        if (!started || SeqNum.le(ack, contiguousEnd)) {
            return 0;
        }
        long missedNow = 0;
        int cursor = contiguousEnd;
        for (int i = 0; i < rangeCount && SeqNum.lt(rangeStart[i], ack); i++) {
            missedNow += SeqNum.distance(cursor, rangeStart[i]);
            cursor = SeqNum.max(cursor, rangeEnd[i]);
        }
        if (SeqNum.lt(cursor, ack)) {
            missedNow += SeqNum.distance(cursor, ack);
        }
        missedBytes += missedNow;
        contiguousEnd = ack;
        absorbRanges();
        highestEnd = SeqNum.max(highestEnd, contiguousEnd);
        return missedNow;
    }

    private void insertRange(int seq, int end) {
        if (rangeStart == null) {
            rangeStart = new int[MAX_RANGES + 1];
            rangeEnd = new int[MAX_RANGES + 1];
        }
        int i = 0;
        while (i < rangeCount && SeqNum.lt(rangeStart[i], seq)) {
            i++;
        }
        // One spare slot: insert and merge first, so a segment that touches a held range
        // needs no slot of its own.
        System.arraycopy(rangeStart, i, rangeStart, i + 1, rangeCount - i);
        System.arraycopy(rangeEnd, i, rangeEnd, i + 1, rangeCount - i);
        rangeStart[i] = seq;
        rangeEnd[i] = end;
        rangeCount++;
        mergeRanges();
        absorbRanges();
        if (rangeCount > MAX_RANGES) {
            rangeOverflows++;
            // Give up on the lowest gap: skip it as missed.
            missedBytes += SeqNum.distance(contiguousEnd, rangeStart[0]);
            contiguousEnd = rangeEnd[0];
            removeRange(0);
            absorbRanges();
        }
    }

    private void mergeRanges() {
        int w = 0;
        for (int r = 1; r < rangeCount; r++) {
            if (SeqNum.le(rangeStart[r], rangeEnd[w])) {
                rangeEnd[w] = SeqNum.max(rangeEnd[w], rangeEnd[r]);
            } else {
                w++;
                rangeStart[w] = rangeStart[r];
                rangeEnd[w] = rangeEnd[r];
            }
        }
        rangeCount = rangeCount == 0 ? 0 : w + 1;
    }

    /** Moves ranges that now touch the contiguous part into it. */
    private void absorbRanges() {
        while (rangeCount > 0 && SeqNum.le(rangeStart[0], contiguousEnd)) {
            contiguousEnd = SeqNum.max(contiguousEnd, rangeEnd[0]);
            removeRange(0);
        }
    }

    private void removeRange(int i) {
        System.arraycopy(rangeStart, i + 1, rangeStart, i, rangeCount - i - 1);
        System.arraycopy(rangeEnd, i + 1, rangeEnd, i, rangeCount - i - 1);
        rangeCount--;
    }

    /** Out-of-order ranges currently held. */
    public int rangeCount() {
        return rangeCount;
    }
}
