package io.tcpscope.analyzer.tcp;


/**
 * Guard: recognises the capture's own copies of a segment (two taps merged, a mirror port):
 * the same IPv4 Identification, sequence and acknowledgement numbers, length, flags and TCP
 * timestamp value, within {@link #WINDOW_NANOS} of the first. Linux gives every
 * transmission of a connected socket, a resend too, a new IP ID (and a resend sent within the
 * same millisecond keeps its TSval), so an identical copy is not the endpoint's. IPv6 has no
 * IP ID: there, copies cannot be told from resends and nothing is called a duplicate.
 *
 * <p>The ID tells packets apart only where the sender varies it. RFC 6864 §4.1 lets an
 * atomic datagram (DF set) carry any ID, and stacks use that: Linux sends ID 0 from sockets
 * without a peer (its no-socket RSTs, tcp_v4_send_reset, and SYN-ACKs of a request socket;
 * ip_select_ident_segs), others a constant. So ID 0 identifies nothing, and a sender seen
 * giving one ID to two different segments has IDs that identify nothing either. Such
 * segments are copies only with the same TCP timestamp value within
 * {@link #WINDOW_WITHOUT_ID_NANOS} (zeek tcp-ssh-dups: a BSD stack's ID 0, each segment four
 * times with one capture time); without the option, never (distinct RSTs answering distinct
 * segments are not copies of each other, suricata-verify bug-78).
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
    /**
     * Without an identifying IP ID: copies must carry the same TSval and be at most this far
     * apart (Linux's TSval ticks in milliseconds; no resend, not even a fast retransmit on a
     * LAN, follows its original within the same millisecond and the capture's 1 ms).
     */
    static final long WINDOW_WITHOUT_ID_NANOS = 1_000_000L;
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
    /** Set once the sender gave one IP ID to two different segments. */
    private boolean idsRepeat;

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
        // Without an identifying ID only the TCP timestamp can tell a copy: the same TSval,
        // closer together than any resend (a copy from a second tap is microseconds behind).
        boolean idIdentifies = ipId != 0 && !idsRepeat;
        if (!idIdentifies && tsVal < 0) {
            return false;
        }
        long window = idIdentifies ? WINDOW_NANOS : WINDOW_WITHOUT_ID_NANOS;
        long seqAck = ((long) seq << 32) | (ack & 0xFFFFFFFFL);
        long idLenFlags = ((long) ipId << 40) | ((long) (length & 0xFFFFFFF) << 8) | (flags & 0xFF);
        for (int i = 0; i < count * SLOTS; i += SLOTS) {
            if (recent[i] == seqAck && recent[i + 1] == idLenFlags && recent[i + 2] == tsVal
                    && nanos >= recent[i + 3] && nanos - recent[i + 3] <= window) {
                duplicates++;
                return true;
            }
            if (ipId != 0 && (recent[i + 1] >>> 40) == ipId) {
                // The same ID on another segment (or the same one much later): not an identifier.
                idsRepeat = true;
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

    /** Whether this sender's IP IDs have been seen to repeat on different segments. */
    boolean idsRepeat() {
        return idsRepeat;
    }

    long duplicates() {
        return duplicates;
    }

}
