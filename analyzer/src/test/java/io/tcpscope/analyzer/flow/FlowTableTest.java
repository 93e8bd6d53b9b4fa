package io.tcpscope.analyzer.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.tcpscope.analyzer.tcp.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FlowTableTest {
    private long nextId;

    /** A 4-tuple as the tests name it. */
    private record Key(int v, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        Key reversed() {
            return new Key(v, bHi, bLo, bPort, aHi, aLo, aPort);
        }

        /** The same tuple in either direction, for the model. */
        Key canonical() {
            int cmp = Long.compare(aHi, bHi) != 0 ? Long.compare(aHi, bHi)
                    : Long.compare(aLo, bLo) != 0 ? Long.compare(aLo, bLo) : Integer.compare(aPort, bPort);
            return cmp <= 0 ? this : reversed();
        }
    }

    private Connection connection(Key k) {
        return new Connection(nextId++, false, k.v(), k.aHi(), k.aLo(), k.aPort(), k.bHi(), k.bLo(), k.bPort(), 1, 0);
    }

    private static FlowKey key(Key k) {
        return new FlowKey().set(k.v(), k.aHi(), k.aLo(), k.aPort(), k.bHi(), k.bLo(), k.bPort());
    }

    private static Connection find(FlowTable t, Key k) {
        int slot = t.find(key(k));
        return slot < 0 ? null : t.get(slot);
    }

    private static int add(FlowTable t, Key k, Connection c) {
        return t.add(key(k), c);
    }

    private static void touch(FlowTable t, Key k, boolean ended) {
        t.touch(t.find(key(k)), ended);
    }

    private static List<Connection> order(FlowTable t, boolean ended) {
        List<Connection> out = new ArrayList<>();
        t.visit(ended, c -> out.add(c));
        return out;
    }

    private static Key v4(int a, int aPort, int b, int bPort) {
        return new Key(4, 0, a & 0xFFFFFFFFL, aPort, 0, b & 0xFFFFFFFFL, bPort);
    }

    private static Key v6(long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        return new Key(6, aHi, aLo, aPort, bHi, bLo, bPort);
    }

    @Test
    void hashIsTheSameInBothDirections() {
        Random r = new Random(1);
        for (int i = 0; i < 10_000; i++) {
            Key k = i % 2 == 0 ? v4(r.nextInt(), r.nextInt(65536), r.nextInt(), r.nextInt(65536))
                    : v6(r.nextLong(), r.nextLong(), r.nextInt(65536), r.nextLong(), r.nextLong(), r.nextInt(65536));
            Key x = k.reversed();
            assertEquals(key(k).hash(), key(x).hash());
            assertEquals(key(k), key(x));
        }
    }

    @Test
    void findsAConnectionFromEitherDirection() {
        FlowTable t = new FlowTable(100);
        Key k = v4(0x0A000001, 40000, 0x0A000002, 80);
        Connection c = connection(k);
        add(t, k, c);
        assertSame(c, find(t, k));
        assertSame(c, find(t, k.reversed()));
        // Same addresses, other port; swapped ports across endpoints: not the same tuple.
        assertNull(find(t, v4(0x0A000001, 40001, 0x0A000002, 80)));
        assertNull(find(t, v4(0x0A000001, 80, 0x0A000002, 40000)));
        assertEquals(1, t.size());
    }

    @Test
    void ipv6KeysUseAll128BitsAndAreApartFromIpv4() {
        FlowTable t = new FlowTable(100);
        long hi = 0x20010db800000000L;
        Key a = v6(hi, 1, 40000, hi, 2, 443);
        Key b = v6(hi + 1, 1, 40000, hi, 2, 443);   // differs only in the high 64 bits
        Key v4Same = new Key(4, 0, 1, 40000, 0, 2, 443);
        Key v6LowOnly = new Key(6, 0, 1, 40000, 0, 2, 443); // same numbers as v4Same, version 6
        Connection ca = connection(a);
        Connection cb = connection(b);
        Connection c4 = connection(v4Same);
        add(t, a, ca);
        add(t, b, cb);
        add(t, v4Same, c4);
        assertSame(ca, find(t, a));
        assertSame(ca, find(t, a.reversed()));
        assertSame(cb, find(t, b.reversed()));
        assertSame(c4, find(t, v4Same));
        assertNull(find(t, v6LowOnly));
        Connection c6 = connection(v6LowOnly);
        add(t, v6LowOnly, c6);
        assertSame(c6, find(t, v6LowOnly.reversed()));
        assertSame(c4, find(t, v4Same.reversed()));
    }

    @Test
    void randomInsertRemoveAgreesWithAHashMap() {
        Random r = new Random(42);
        FlowTable t = new FlowTable(1 << 20);
        Map<Key, Connection> model = new HashMap<>();
        List<Key> live = new ArrayList<>();
        for (int step = 0; step < 200_000; step++) {
            int op = r.nextInt(10);
            if (op < 5 || live.isEmpty()) {
                // Small address space: many collisions and long probe chains.
                Key k = r.nextBoolean()
                        ? v4(0x0A000000 | r.nextInt(8), 40000 + r.nextInt(64), 0x0A000100 | r.nextInt(4), 80 + r.nextInt(2))
                        : v6(0x20010db8L << 32, r.nextInt(8), 40000 + r.nextInt(64), 0x20010db8L << 32, 0x100 + r.nextInt(4), 443);
                if (r.nextBoolean()) {
                    k = k.reversed();
                }
                if (model.containsKey(k.canonical())) {
                    assertSame(model.get(k.canonical()), find(t, k));
                    continue;
                }
                Connection c = connection(k);
                add(t, k, c);
                model.put(k.canonical(), c);
                live.add(k);
            } else if (op < 8) {
                int i = r.nextInt(live.size());
                Key k = live.get(i);
                live.set(i, live.get(live.size() - 1));
                live.remove(live.size() - 1);
                model.remove(k.canonical());
                assertTrue(t.remove(key(k)));
                assertNull(find(t, k));
                assertNull(find(t, k.reversed()));
            } else {
                Key k = live.get(r.nextInt(live.size()));
                assertSame(model.get(k.canonical()), find(t, r.nextBoolean() ? k : k.reversed()));
            }
            assertEquals(model.size(), t.size());
            if (step % 5000 == 0) {
                for (Map.Entry<Key, Connection> e : model.entrySet()) {
                    assertSame(e.getValue(), find(t, e.getKey()), "step " + step);
                    assertSame(e.getValue(), find(t, e.getKey().reversed()), "step " + step);
                }
            }
        }
        for (Map.Entry<Key, Connection> e : model.entrySet()) {
            assertSame(e.getValue(), find(t, e.getKey()));
        }
    }

    @Test
    void removingAnAbsentConnectionChangesNothing() {
        FlowTable t = new FlowTable(10);
        Key k = v4(1, 2, 3, 4);
        Connection c = connection(k);
        add(t, k, c);
        assertFalse(t.remove(key(v4(5, 6, 7, 8))));
        assertEquals(1, t.size());
        assertSame(c, find(t, k));
    }

    @Test
    void theEvictionCandidateIsTheOldestEndedElseTheLeastRecentlyActive() {
        FlowTable t = new FlowTable(3);
        Key ka = v4(1, 1000, 9, 80);
        Key kb = v4(2, 1000, 9, 80);
        Key kc = v4(3, 1000, 9, 80);
        Connection a = connection(ka);
        Connection b = connection(kb);
        Connection c = connection(kc);
        add(t, ka, a);
        add(t, kb, b);
        add(t, kc, c);
        assertTrue(t.full());
        assertThrows(IllegalStateException.class, () -> add(t, v4(4, 1000, 9, 80), connection(v4(4, 1000, 9, 80))));
        touch(t, ka, false);                  // activity now b, c, a
        assertSame(b, t.get(t.evictionCandidate()));
        assertEquals(List.of(b, c, a), order(t, false));
        touch(t, ka, true);                   // a ended: it goes first, though most recent
        touch(t, kc, true);
        assertSame(a, t.get(t.evictionCandidate()));
        assertTrue(t.ended(t.evictionCandidate()));
        assertEquals(List.of(b), order(t, false));
        assertEquals(List.of(a, c), order(t, true));
        assertEquals(2, t.endedSize());
        t.remove(t.evictionCandidate());
        assertNull(find(t, ka));
        assertSame(c, t.get(t.evictionCandidate()));
        touch(t, kc, false);                  // back to active (a retraction), young end
        assertEquals(0, t.endedSize());
        assertEquals(List.of(b, c), order(t, false));
        assertSame(b, t.get(t.evictionCandidate()));
        assertFalse(t.full());
    }

    @Test
    void neverEstablishedConnectionsLeaveBeforeActiveOnesAndAfterEndedOnes() {
        FlowTable t = new FlowTable(4);
        Key established = v4(1, 1000, 9, 80);
        Key syn1 = v4(2, 1000, 9, 80);
        Key syn2 = v4(3, 1000, 9, 80);
        Key over = v4(4, 1000, 9, 80);
        Connection e = connection(established);
        Connection s1 = connection(syn1);
        Connection s2 = connection(syn2);
        Connection o = connection(over);
        add(t, established, e);
        t.touch(t.find(key(established)), false, false, Long.MAX_VALUE); // the oldest activity of all
        add(t, syn1, s1);
        t.touch(t.find(key(syn1)), false, true, Long.MAX_VALUE);
        add(t, syn2, s2);
        t.touch(t.find(key(syn2)), false, true, Long.MAX_VALUE);
        assertEquals(2, t.embryonicSize());
        assertSame(s1, t.get(t.evictionCandidate()), "a SYN queue of its own: the established one stays");
        assertTrue(t.embryonic(t.evictionCandidate()));
        add(t, over, o);
        t.touch(t.find(key(over)), true, false, 5);
        assertSame(o, t.get(t.evictionCandidate()), "an ended one leaves first");
        t.remove(t.evictionCandidate());
        t.touch(t.find(key(syn1)), false, true, Long.MAX_VALUE); // a SYN-ACK retransmission: young end
        assertSame(s2, t.get(t.evictionCandidate()));
        t.touch(t.find(key(syn2)), false, false, Long.MAX_VALUE); // the handshake completed
        assertEquals(1, t.embryonicSize());
        assertSame(s1, t.get(t.evictionCandidate()));
        t.remove(t.evictionCandidate());
        assertEquals(0, t.embryonicSize());
        assertSame(e, t.get(t.evictionCandidate()), "then the least recently active");
        List<Connection> all = new ArrayList<>();
        t.forEach(all::add);
        assertEquals(List.of(e, s2), all);
        FlowTable big = new FlowTable(1 << 16);
        List<Connection> embryonic = new ArrayList<>();
        for (int i = 0; i < 3000; i++) { // growth (from 1024 slots) keeps the three lists and their order
            Key k = v4(100 + i, 2000, 9, 80);
            Connection c = connection(k);
            big.add(key(k), c);
            boolean half = i % 3 != 0;
            big.touch(big.find(key(k)), false, half, Long.MAX_VALUE);
            if (half) {
                embryonic.add(c);
            }
        }
        List<Connection> seen = new ArrayList<>();
        big.visitEmbryonic(c -> seen.add(c));
        assertEquals(embryonic, seen);
        assertEquals(embryonic.size(), big.embryonicSize());
        assertSame(embryonic.get(0), big.get(big.evictionCandidate()));
    }

    @Test
    void theDefaultLimitFollowsTheHeap() {
        assertEquals(FlowTable.MIN_DEFAULT_MAX_CONNECTIONS, FlowTable.defaultMaxConnections(1L << 20));
        assertEquals(FlowTable.DEFAULT_MAX_CONNECTIONS, FlowTable.defaultMaxConnections(64L << 30));
        long heap = 256L << 20;
        int n = FlowTable.defaultMaxConnections(heap);
        assertTrue((long) n * FlowTable.BYTES_PER_CONNECTION <= heap * FlowTable.HEAP_SHARE, "within its share: " + n);
        assertTrue((long) (n + 1) * FlowTable.BYTES_PER_CONNECTION > heap * FlowTable.HEAP_SHARE, "all of it: " + n);
    }

    @Test
    void lruOrderSurvivesRemovalShiftsAndGrowth() {
        Random r = new Random(7);
        FlowTable t = new FlowTable(1 << 20);
        java.util.LinkedHashMap<Key, Connection> active = new java.util.LinkedHashMap<>();
        java.util.LinkedHashMap<Key, Connection> ended = new java.util.LinkedHashMap<>();
        List<Key> live = new ArrayList<>();
        for (int step = 0; step < 50_000; step++) {
            int op = r.nextInt(10);
            if (op < 4 || live.isEmpty()) {
                Key k = v4(0x0A000000 | r.nextInt(64), 40000 + r.nextInt(64), 0x0A000100, 80).canonical();
                if (active.containsKey(k) || ended.containsKey(k)) {
                    continue;
                }
                Connection c = connection(k);
                add(t, k, c);
                active.put(k, c);
                live.add(k);
            } else if (op < 6) {
                int i = r.nextInt(live.size());
                Key k = live.get(i);
                live.set(i, live.get(live.size() - 1));
                live.remove(live.size() - 1);
                active.remove(k);
                ended.remove(k);
                assertTrue(t.remove(key(k)));
            } else {
                Key k = live.get(r.nextInt(live.size()));
                boolean toEnded = r.nextInt(3) == 0;
                Connection c = active.containsKey(k) ? active.remove(k) : ended.remove(k);
                (toEnded ? ended : active).put(k, c);
                touch(t, k, toEnded);
            }
            if (step % 1000 == 0) {
                assertEquals(new ArrayList<>(active.values()), order(t, false), "step " + step);
                assertEquals(new ArrayList<>(ended.values()), order(t, true), "step " + step);
            }
        }
        assertEquals(new ArrayList<>(active.values()), order(t, false));
        assertEquals(new ArrayList<>(ended.values()), order(t, true));
        assertEquals(active.size() + ended.size(), t.size());
    }

    @Test
    void growsPastTheInitialSlotsAndKeepsEverything() {
        FlowTable t = new FlowTable(1 << 20);
        List<Key> keys = new ArrayList<>();
        List<Connection> conns = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            Key k = v4(0x0A000000 + i / 1000, 30000 + i % 1000, 0x0A640001, 443);
            keys.add(k);
            Connection c = connection(k);
            conns.add(c);
            add(t, k, c);
        }
        assertEquals(20_000, t.size());
        for (int i = 0; i < keys.size(); i++) {
            assertSame(conns.get(i), find(t, keys.get(i).reversed()));
        }
        // Remove every other one after growth; the rest stay findable.
        for (int i = 0; i < keys.size(); i += 2) {
            assertTrue(t.remove(key(keys.get(i))));
        }
        assertEquals(10_000, t.size());
        for (int i = 0; i < keys.size(); i++) {
            if (i % 2 == 0) {
                assertNull(find(t, keys.get(i)));
            } else {
                assertSame(conns.get(i), find(t, keys.get(i)));
            }
        }
    }
}
