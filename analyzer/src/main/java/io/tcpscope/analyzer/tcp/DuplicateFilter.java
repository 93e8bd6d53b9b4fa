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
 * <p>Memory: one filter per tracker holds the remembered segments of every sender in one ring,
 * oldest overwritten first; a sender keeps only a few bytes in its {@link Endpoint} (the
 * number of its newest entry, the IP IDs of its last {@link #RECENT} segments, and where its
 * own ring of {@link #RECENT} stands). A sender's entries are chained newest to oldest, so
 * it is compared, as before, with its own last {@link #RECENT} segments and no others, in
 * the same order. An entry of the shared ring is overwritten only when it is older than
 * {@link #KEEP_NANOS} (no copy can match it any more; the IP IDs that tell whether a sender's
 * IDs repeat stay with the sender); a ring full of younger entries doubles, up to
 * {@link #MAX_ENTRIES}, then the oldest goes anyway (more segments than that within 0.1 s of
 * capture time; a copy of one of them is then counted as a resend). Exact as long as capture
 * time does not go backwards by more than {@link #KEEP_NANOS} - {@link #WINDOW_NANOS}.
 */
final class DuplicateFilter {
    /** How many recent segments of one sender are remembered. */
    static final int RECENT = 4;
    /** Copies of one packet from two capture points are microseconds apart; a resend never is this close. */
    static final long WINDOW_NANOS = 50_000_000L;
    /**
     * Without an identifying IP ID: copies must carry the same TSval and be at most this far
     * apart (Linux's TSval ticks in milliseconds; no resend, not even a fast retransmit on a
     * LAN, follows its original within the same millisecond and the capture's 1 ms).
     */
    static final long WINDOW_WITHOUT_ID_NANOS = 1_000_000L;
    /** How long an entry of the shared ring is kept at least (capture time, behind the newest). */
    static final long KEEP_NANOS = 2 * WINDOW_NANOS;
    /**
     * Entries of the shared ring at most (48 bytes each): what 1/64 of the Java heap holds, a
     * power of two between 2^12 and 2^20 (-Xmx256m: 2^16, the segments of 0.1 s at 650,000
     * packets/s; -Xmx32m: 2^13). A fixed 2^20 (48 MB, and twice that while it doubles) ran a
     * small heap out of memory on a dense capture.
     */
    static final int MAX_ENTRIES = maxEntries(Runtime.getRuntime().maxMemory());
    private static final int INITIAL_ENTRIES = 256;

    /** {@link #MAX_ENTRIES} for a heap of {@code maxHeapBytes}. */
    static int maxEntries(long maxHeapBytes) {
        long n = Math.max(1 << 12, Math.min(1 << 20, maxHeapBytes / 64 / (SLOTS * 8 + 8 + 8)));
        return Integer.highestOneBit((int) n);
    }
    /** Longs per entry: seq|ack, id|length|flags, TSval, capture time. */
    private static final int SLOTS = 4;

    private long[] data;
    /** Per entry: its serial number (the count of entries before it) and its sender's previous entry's. */
    private int[] serial;
    private int[] previous;
    private int mask;
    /** Serial number of the next entry. */
    private int nextSerial = 1;
    private long newestNanos = Long.MIN_VALUE;
    /** The chain of the sender being checked, newest first (reused). */
    private final int[] chain = new int[RECENT];

    DuplicateFilter() {
        allocate(INITIAL_ENTRIES);
    }

    private void allocate(int entries) {
        mask = entries - 1;
        data = new long[entries * SLOTS];
        serial = new int[entries];
        previous = new int[entries];
    }

    /**
     * Whether this segment from {@code e} is a copy of one of its {@link #RECENT} last;
     * remembers it otherwise.
     *
     * @param ipId  IPv4 Identification, or negative for IPv6 (never a duplicate)
     * @param tsVal TCP timestamp value, or -1 without the option
     */
    boolean isCopy(Endpoint e, int ipId, int seq, int ack, int length, int flags, long tsVal, long nanos) {
        if (ipId < 0) {
            return false;
        }
        int ring = e.dupRing;
        boolean idsRepeat = (ring & IDS_REPEAT) != 0;
        // Without an identifying ID only the TCP timestamp can tell a copy: the same TSval,
        // closer together than any resend (a copy from a second tap is microseconds behind).
        boolean idIdentifies = ipId != 0 && !idsRepeat;
        if (!idIdentifies && tsVal < 0) {
            return false;
        }
        long window = idIdentifies ? WINDOW_NANOS : WINDOW_WITHOUT_ID_NANOS;
        long seqAck = ((long) seq << 32) | (ack & 0xFFFFFFFFL);
        long idLenFlags = ((long) ipId << 40) | ((long) (length & 0xFFFFFFF) << 8) | (flags & 0xFF);
        int count = ring & COUNT_MASK;
        int next = ring >>> NEXT_SHIFT & 3;
        // Its entries newest first; 0 where the shared ring has overwritten one (and all older).
        int s = e.dupLast;
        for (int k = 0; k < count; k++) {
            boolean held = s != 0 && serial[s & mask] == s;
            chain[k] = held ? s : 0;
            s = held ? previous[s & mask] : 0;
        }
        long ids = e.dupIds;
        // In the order of the sender's own ring, slot 0 first.
        for (int j = 0; j < count; j++) {
            int entry = chain[(next - 1 - j) & 3];
            if (entry != 0) {
                int i = (entry & mask) * SLOTS;
                if (data[i] == seqAck && data[i + 1] == idLenFlags && data[i + 2] == tsVal
                        && nanos >= data[i + 3] && nanos - data[i + 3] <= window) {
                    e.countDuplicate();
                    e.dupRing = (byte) ring;
                    return true;
                }
            }
            if (ipId != 0 && (int) (ids >>> (16 * j) & 0xFFFF) == ipId) {
                // The same ID on another segment (or the same one much later): not an identifier.
                idsRepeat = true;
                ring |= IDS_REPEAT;
            }
        }
        int entry = remember(seqAck, idLenFlags, tsVal, nanos, e.dupLast);
        e.dupLast = entry;
        e.dupIds = ids & ~(0xFFFFL << (16 * next)) | (long) (ipId & 0xFFFF) << (16 * next);
        count = Math.min(count + 1, RECENT);
        next = (next + 1) % RECENT;
        e.dupRing = (byte) (ring & IDS_REPEAT | next << NEXT_SHIFT | count);
        return false;
    }

    /** Bits of {@link Endpoint#dupRing}: how many of its entries are remembered (0-4), ... */
    static final int COUNT_MASK = 0x7;
    /** ... the slot its next one takes in its own ring of {@link #RECENT} ... */
    static final int NEXT_SHIFT = 3;
    /** ... and whether its IP IDs were seen to repeat on different segments. */
    static final int IDS_REPEAT = 0x20;

    private int remember(long seqAck, long idLenFlags, long tsVal, long nanos, int previousEntry) {
        newestNanos = Math.max(newestNanos, nanos);
        int s = nextSerial;
        int slot = s & mask;
        int old = serial[slot];
        if (old != 0 && data[slot * SLOTS + 3] > newestNanos - KEEP_NANOS && mask + 1 < MAX_ENTRIES) {
            grow();
            slot = s & mask;
        }
        int i = slot * SLOTS;
        data[i] = seqAck;
        data[i + 1] = idLenFlags;
        data[i + 2] = tsVal;
        data[i + 3] = nanos;
        serial[slot] = s;
        previous[slot] = previousEntry;
        nextSerial = s + 1 == 0 ? 1 : s + 1;
        return s;
    }

    /** Doubles the shared ring; every entry keeps its serial number, at its place in the larger ring. */
    private void grow() {
        long[] oldData = data;
        int[] oldSerial = serial;
        int[] oldPrevious = previous;
        allocate((mask + 1) * 2);
        for (int slot = 0; slot < oldSerial.length; slot++) {
            int s = oldSerial[slot];
            if (s != 0) {
                int to = s & mask;
                System.arraycopy(oldData, slot * SLOTS, data, to * SLOTS, SLOTS);
                serial[to] = s;
                previous[to] = oldPrevious[slot];
            }
        }
    }

    /** Whether this sender's IP IDs have been seen to repeat on different segments. */
    static boolean idsRepeat(Endpoint e) {
        return (e.dupRing & IDS_REPEAT) != 0;
    }

    /** Entries the shared ring can hold now. */
    int capacity() {
        return mask + 1;
    }
}
