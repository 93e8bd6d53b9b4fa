package io.tcpscope.analyzer.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TombstonesTest {
    private static FlowKey key(int client, int port) {
        return new FlowKey().set(4, 0, 0x0A000000L | client, port, 0, 0xC0A80101L, 80);
    }

    @Test
    void remembersKeysInEitherDirectionWithTheirKindAndIsn() {
        Tombstones t = new Tombstones(10);
        t.add(key(1, 40000), Tombstones.EVICTED, 1234);
        FlowKey reversed = new FlowKey().set(4, 0, 0xC0A80101L, 80, 0, 0x0A000001L, 40000);
        assertEquals(Tombstones.EVICTED, t.kindOf(reversed));
        assertEquals(1234, t.isnOf(reversed));
        assertEquals(0, t.kindOf(key(1, 40001)));
        assertEquals(-1, t.isnOf(key(1, 40001)));
        t.add(key(1, 40000), Tombstones.OVER, -1); // replaces
        assertEquals(Tombstones.OVER, t.kindOf(key(1, 40000)));
        assertEquals(1, t.size());
        t.remove(key(1, 40000));
        assertEquals(0, t.kindOf(key(1, 40000)));
        assertEquals(0, t.size());
    }

    @Test
    void atTheLimitTheOldestIsForgottenFirst() {
        Tombstones t = new Tombstones(3);
        for (int i = 0; i < 5; i++) {
            t.add(key(i, 1000), Tombstones.OVER, i);
        }
        assertEquals(3, t.size());
        assertEquals(0, t.kindOf(key(0, 1000)));
        assertEquals(0, t.kindOf(key(1, 1000)));
        for (int i = 2; i < 5; i++) {
            assertEquals(Tombstones.OVER, t.kindOf(key(i, 1000)));
            assertEquals(i, t.isnOf(key(i, 1000)));
        }
    }

    @Test
    void randomOperationsAgreeWithAFifoModel() {
        Random r = new Random(11);
        int limit = 1000;
        Tombstones t = new Tombstones(limit);
        // The model: insertion order of (key, kind) with removals; the ring drops by age.
        ArrayDeque<long[]> ring = new ArrayDeque<>();
        Map<Long, Byte> live = new HashMap<>();
        for (int step = 0; step < 100_000; step++) {
            long k = r.nextInt(3000);
            FlowKey fk = key((int) (k / 64), 1024 + (int) (k % 64));
            if (r.nextInt(4) == 0) {
                t.remove(fk);
                live.remove(k);
            } else {
                byte kind = r.nextBoolean() ? Tombstones.OVER : Tombstones.EVICTED;
                t.add(fk, kind, k);
                live.remove(k);
                if (ring.size() == limit) {
                    long[] old = ring.pollFirst();
                    if (live.containsKey(old[0]) && live.get(old[0]) == (byte) old[1] && old[2] == 1) {
                        live.remove(old[0]);
                    }
                }
                // entries for k earlier in the ring are dead: mark them
                for (long[] e : ring) {
                    if (e[0] == k) {
                        e[2] = 0;
                    }
                }
                ring.addLast(new long[] {k, kind, 1});
                live.put(k, kind);
            }
            if (step % 997 == 0) {
                for (long q = 0; q < 3000; q += 7) {
                    FlowKey qk = key((int) (q / 64), 1024 + (int) (q % 64));
                    assertEquals(live.getOrDefault(q, (byte) 0), t.kindOf(qk), "step " + step + " key " + q);
                }
                assertEquals(live.size(), t.size(), "step " + step);
            }
        }
    }
}
