package io.tcpscope.analyzer.tcp;


/**
 * Guard: recognises the capture's own copies of a segment (two taps merged, a mirror port):
 * the same IPv4 Identification, sequence and acknowledgement numbers, length, flags and TCP
 * timestamp value, within {@link #WINDOW_NANOS} of the first. Linux gives every
 * transmission, a resend too, a new IP ID (and a resend sent within the same millisecond
 * keeps its TSval), so an identical copy is not the endpoint's. IPv6 has no IP ID: there,
 * copies cannot be told from resends and nothing is called a duplicate.
 *
 * <p>Limit: remembers the last {@link #RECENT} segments of one sender, in one {@code long[]}
 * made at its first IPv4 segment (one entry) and grown to {@link #RECENT} at the second.
 * Only entries filled are compared (the ring no longer starts with blank entries, which an
 * all-zero segment matched).
 */
final class DuplicateFilter {
    /** How many recent segments are remembered. */
    static final int RECENT = 4;
    /** Copies of one packet from two capture points are microseconds apart; a resend never is this close. */
    static final long WINDOW_NANOS = 50_000_000L;
    private static final int SLOTS = 4;

    /**
     * Per remembered segment: seq|ack, id|length|flags, TSval, capture time. One entry at
     * first (most connections of a SYN flood send one segment), {@link #RECENT} from the
     * second segment on.
     */
    private long[] recent = new long[SLOTS];
    private int count;
    private int next;
    private long duplicates;

    /**
     * Whether this segment is a copy of one remembered; remembers it otherwise.
     *
     * @param ipId  IPv4 Identification, or negative for IPv6 (never a duplicate)
     * @param tsVal TCP timestamp value, or -1 without the option
     */
    boolean isCopy(int ipId, int seq, int ack, int length, int flags, long tsVal, long nanos) {
        if (ipId < 0) {
            return false;
        }
        long seqAck = ((long) seq << 32) | (ack & 0xFFFFFFFFL);
        long idLenFlags = ((long) ipId << 40) | ((long) (length & 0xFFFFFFF) << 8) | (flags & 0xFF);
        for (int i = 0; i < count * SLOTS; i += SLOTS) {
            if (recent[i] == seqAck && recent[i + 1] == idLenFlags && recent[i + 2] == tsVal
                    && nanos >= recent[i + 3] && nanos - recent[i + 3] <= WINDOW_NANOS) {
                duplicates++;
                return true;
            }
        }
        if (count < RECENT && count * SLOTS == recent.length) {
            recent = java.util.Arrays.copyOf(recent, RECENT * SLOTS);
        }
        int i = next * SLOTS;
        recent[i] = seqAck;
        recent[i + 1] = idLenFlags;
        recent[i + 2] = tsVal;
        recent[i + 3] = nanos;
        next = (next + 1) % RECENT;
        count = Math.min(count + 1, RECENT);
        return false;
    }

    long duplicates() {
        return duplicates;
    }

}
