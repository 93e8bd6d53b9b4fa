package io.tcpscope.analyzer.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The capture-copy guard on its own. */
class DuplicateFilterTest {
    static final long T = 1_700_000_000_000_000_000L;
    final Sender f = new Sender(new DuplicateFilter());

    /** One sender's view of a filter (its state lives in its Endpoint). */
    static final class Sender {
        final DuplicateFilter filter;
        final Endpoint e = new Endpoint(Endpoint.Role.CLIENT, 4, 0, 1, 1000);

        Sender(DuplicateFilter filter) {
            this.filter = filter;
        }

        Sender() {
            this(new DuplicateFilter());
        }

        boolean isCopy(int ipId, int seq, int ack, int length, int flags, long tsVal, long nanos) {
            return filter.isCopy(e, ipId, seq, ack, length, flags, tsVal, nanos);
        }

        long duplicates() {
            return e.duplicates();
        }

        boolean idsRepeat() {
            return DuplicateFilter.idsRepeat(e);
        }
    }

    @Test
    void theSharedRingIsBoundedByTheHeap() {
        // 1/64 of the heap at 48 bytes an entry, a power of two between 2^12 and 2^20.
        assertEquals(1 << 13, DuplicateFilter.maxEntries(32L << 20));
        assertEquals(1 << 16, DuplicateFilter.maxEntries(256L << 20));
        assertEquals(1 << 18, DuplicateFilter.maxEntries(1L << 30));
        assertEquals(1 << 20, DuplicateFilter.maxEntries(64L << 30));
        assertEquals(1 << 12, DuplicateFilter.maxEntries(1L << 20));
        assertEquals(DuplicateFilter.maxEntries(Runtime.getRuntime().maxMemory()), DuplicateFilter.MAX_ENTRIES);
    }

    @Test
    void anExactCopyWithinTheWindowIsADuplicate() {
        assertFalse(f.isCopy(7, 100, 200, 10, 0x18, 5, T));
        assertTrue(f.isCopy(7, 100, 200, 10, 0x18, 5, T + 20_000));
        assertEquals(1, f.duplicates());
    }

    @Test
    void anyDifferingFieldMakesItAResend() {
        f.isCopy(7, 100, 200, 10, 0x18, 5, T);
        assertFalse(f.isCopy(8, 100, 200, 10, 0x18, 5, T + 1), "new IP ID: a resend");
        assertFalse(f.isCopy(7, 101, 200, 10, 0x18, 5, T + 1), "seq");
        assertFalse(f.isCopy(7, 100, 201, 10, 0x18, 5, T + 1), "ack");
        assertFalse(f.isCopy(7, 100, 200, 11, 0x18, 5, T + 1), "length");
        assertFalse(f.isCopy(7, 100, 200, 10, 0x10, 5, T + 1), "flags");
        assertFalse(f.isCopy(9, 100, 200, 10, 0x18, 6, T + 1), "TSval");
        assertEquals(0, f.duplicates());
    }

    @Test
    void theWindowIsFiftyMillisecondsAndForwardOnly() {
        f.isCopy(7, 100, 200, 10, 0x18, 5, T);
        assertTrue(f.isCopy(7, 100, 200, 10, 0x18, 5, T + DuplicateFilter.WINDOW_NANOS));
        Sender g = new Sender();
        g.isCopy(7, 100, 200, 10, 0x18, 5, T);
        assertFalse(g.isCopy(7, 100, 200, 10, 0x18, 5, T + DuplicateFilter.WINDOW_NANOS + 1));
        Sender h = new Sender();
        h.isCopy(7, 100, 200, 10, 0x18, 5, T);
        assertFalse(h.isCopy(7, 100, 200, 10, 0x18, 5, T - 1), "earlier than the original");
    }

    @Test
    void ipv6IsNeverADuplicate() {
        assertFalse(f.isCopy(-1, 100, 200, 10, 0x18, 5, T));
        assertFalse(f.isCopy(-1, 100, 200, 10, 0x18, 5, T));
        assertEquals(0, f.duplicates());
    }

    @Test
    void remembersTheLastFourSegments() {
        for (int i = 0; i < DuplicateFilter.RECENT; i++) {
            assertFalse(f.isCopy(i + 1, 100 + i, 200, 10, 0x18, 5, T + i));
        }
        assertTrue(f.isCopy(1, 100, 200, 10, 0x18, 5, T + 10), "oldest of four still remembered");
        assertFalse(f.isCopy(10, 110, 200, 10, 0x18, 5, T + 11)); // pushes out segment 0
        assertFalse(f.isCopy(1, 100, 200, 10, 0x18, 5, T + 12), "forgotten after a fifth");
    }

    @Test
    void ipIdZeroIdentifiesNothing() {
        // suricata-verify bug-78: no-socket RSTs with ID 0, the same seq, no timestamps, 30 ms apart,
        // each answering another data segment.
        assertFalse(f.isCopy(0, 108, 0, 0, 0x04, -1, T));
        assertFalse(f.isCopy(0, 108, 0, 0, 0x04, -1, T + 29_000_000L));
        assertFalse(f.isCopy(0, 108, 0, 0, 0x04, -1, T + 29_500_000L));
        assertEquals(0, f.duplicates());
    }

    @Test
    void aSenderThatReusesOneIdOnDifferentSegmentsHasNoIdentifyingIds() {
        assertFalse(f.isCopy(4242, 100, 200, 0, 0x10, -1, T));
        assertFalse(f.isCopy(4242, 100, 300, 0, 0x10, -1, T + 1_000_000L), "another ACK, the same ID");
        assertTrue(f.idsRepeat());
        assertFalse(f.isCopy(4242, 100, 300, 0, 0x10, -1, T + 2_000_000L), "identical, but the ID proves nothing");
        assertEquals(0, f.duplicates());
    }

    @Test
    void withoutAnIdentifyingIdTheSameTsvalWithinAMillisecondIsACopy() {
        // zeek tcp-ssh-dups: ID 0, each segment four times at one capture time.
        assertFalse(f.isCopy(0, 100, 200, 10, 0x18, 777, T));
        assertTrue(f.isCopy(0, 100, 200, 10, 0x18, 777, T));
        assertTrue(f.isCopy(0, 100, 200, 10, 0x18, 777, T + DuplicateFilter.WINDOW_WITHOUT_ID_NANOS));
        assertFalse(f.isCopy(0, 100, 200, 10, 0x18, 777, T + DuplicateFilter.WINDOW_WITHOUT_ID_NANOS + 1),
                "later than a copy can be, without an ID to prove it");
        assertFalse(f.isCopy(0, 100, 200, 10, 0x18, 778, T + 2), "another TSval: a resend");
    }

    @Test
    void aVaryingIdStillFindsCopies() {
        assertFalse(f.isCopy(4242, 100, 200, 0, 0x10, -1, T));
        assertFalse(f.isCopy(4243, 100, 300, 0, 0x10, -1, T + 1_000_000L));
        assertTrue(f.isCopy(4243, 100, 300, 0, 0x10, -1, T + 1_000_100L));
        assertFalse(f.idsRepeat());
    }

    @Test
    void anAllZeroSegmentIsNotACopyOfNothing() {
        assertFalse(f.isCopy(0, 0, 0, 0, 0, 0, T));
    }

    @Test
    void sendersSharingTheFilterSeeOnlyTheirOwnSegments() {
        Sender other = new Sender(f.filter);
        assertFalse(f.isCopy(7, 100, 200, 10, 0x18, 5, T));
        assertFalse(other.isCopy(7, 100, 200, 10, 0x18, 5, T + 1), "the same fields from another sender");
        assertTrue(other.isCopy(7, 100, 200, 10, 0x18, 5, T + 2));
        assertTrue(f.isCopy(7, 100, 200, 10, 0x18, 5, T + 3));
        assertEquals(1, f.duplicates());
        assertEquals(1, other.duplicates());
    }

    @Test
    void theSharedRingGrowsWhileItsEntriesAreYoungAndReusesOldOnes() {
        DuplicateFilter shared = new DuplicateFilter();
        int start = shared.capacity();
        Sender[] senders = new Sender[4 * start];
        for (int i = 0; i < senders.length; i++) {
            senders[i] = new Sender(shared);
            assertFalse(senders[i].isCopy(1 + (i & 0x7fff), i, 0, 0, 0x10, -1, T + i));
        }
        assertTrue(shared.capacity() >= senders.length, "every entry is within the window: none overwritten");
        for (int i = 0; i < senders.length; i++) {
            assertTrue(senders[i].isCopy(1 + (i & 0x7fff), i, 0, 0, 0x10, -1, T + senders.length + i), "sender " + i);
        }
        int grown = shared.capacity();
        // Segments far apart: each old entry can match nothing, so it is overwritten instead of growing.
        long later = T + DuplicateFilter.KEEP_NANOS * 10;
        for (int i = 0; i < 3 * grown; i++) {
            new Sender(shared).isCopy(7, i, 0, 0, 0x10, -1, later + i * (DuplicateFilter.KEEP_NANOS + 1));
        }
        assertEquals(grown, shared.capacity());
    }

    @Test
    void anOverwrittenEntryStillCountsItsIpIdAsSeen() {
        DuplicateFilter shared = new DuplicateFilter();
        Sender s = new Sender(shared);
        assertFalse(s.isCopy(4242, 100, 200, 0, 0x10, -1, T));
        long later = T + DuplicateFilter.KEEP_NANOS * 10;
        int capacity = shared.capacity();
        for (int i = 0; i < 2 * capacity; i++) {
            new Sender(shared).isCopy(7, i, 0, 0, 0x10, -1, later + i * (DuplicateFilter.KEEP_NANOS + 1));
        }
        assertEquals(capacity, shared.capacity(), "its entry was overwritten");
        assertFalse(s.isCopy(4242, 100, 300, 0, 0x10, -1, later + 3L * capacity * DuplicateFilter.KEEP_NANOS),
                "another ACK, the same ID");
        assertTrue(s.idsRepeat(), "the ID was remembered with the sender, not in the shared ring");
    }
}
