package io.tcpscope.analyzer.flow;

import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.LruLinks;
import java.util.function.Consumer;

/**
 * Live connections keyed by the direction-free 4-tuple: both directions of a connection hash
 * and compare the same. Open addressing with linear probing over a {@code Connection[]}; the
 * key fields are read from the connection itself, so a lookup allocates nothing.
 *
 * <p>Limit: {@code maxConnections}. When a new connection would exceed it, the least
 * recently active one is evicted and handed to the eviction callback (a SYN flood cannot
 * exhaust memory). Growth doubles the slot array when it is half full, up to the limit.
 */
public final class FlowTable {
    /** Default limit on connections held at once. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1 << 20;

    private final int maxConnections;
    private final Consumer<Connection> onEvict;
    private Connection[] slots;
    private int size;
    private long evictions;

    // LRU list: head is the least recently active.
    private final Connection lruHead;

    public FlowTable(int maxConnections, Consumer<Connection> onEvict) {
        this.maxConnections = maxConnections;
        this.onEvict = onEvict;
        this.slots = new Connection[1024];
        this.lruHead = LruLinks.sentinel();
    }

    /** Hash of the direction-free tuple: symmetric in the two endpoints. */
    static int hash(int v, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        long a = mix(aHi * 31 + aLo) ^ (aPort * 0x9E3779B97F4A7C15L);
        long b = mix(bHi * 31 + bLo) ^ (bPort * 0x9E3779B97F4A7C15L);
        long h = mix((a + b) ^ (a * b) ^ v);
        return (int) (h ^ (h >>> 32));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    private static boolean sameEndpoint(Endpoint e, int v, long hi, long lo, int port) {
        return e.ipVersion() == v && e.addressHi() == hi && e.addressLo() == lo && e.port() == port;
    }

    private static boolean matches(Connection c, int v, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        Endpoint x = c.client();
        Endpoint y = c.server();
        return (sameEndpoint(x, v, aHi, aLo, aPort) && sameEndpoint(y, v, bHi, bLo, bPort))
                || (sameEndpoint(x, v, bHi, bLo, bPort) && sameEndpoint(y, v, aHi, aLo, aPort));
    }

    /** The live connection between these two endpoints (either order), or {@code null}. */
    public Connection find(int v, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        int mask = slots.length - 1;
        int i = hash(v, aHi, aLo, aPort, bHi, bLo, bPort) & mask;
        Connection c;
        while ((c = slots[i]) != null) {
            if (matches(c, v, aHi, aLo, aPort, bHi, bLo, bPort)) {
                return c;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    private static int hashOf(Connection c) {
        Endpoint x = c.client();
        Endpoint y = c.server();
        return hash(x.ipVersion(), x.addressHi(), x.addressLo(), x.port(), y.addressHi(), y.addressLo(), y.port());
    }

    /** Adds a connection whose tuple is not in the table. May evict the least recently active one. */
    public void add(Connection c) {
        if (size >= maxConnections) {
            Connection oldest = LruLinks.first(lruHead);
            if (oldest != null) {
                remove(oldest);
                evictions++;
                onEvict.accept(oldest);
            }
        }
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        insertSlot(c);
        size++;
        LruLinks.append(lruHead, c);
    }

    private void insertSlot(Connection c) {
        int mask = slots.length - 1;
        int i = hashOf(c) & mask;
        while (slots[i] != null) {
            i = (i + 1) & mask;
        }
        slots[i] = c;
    }

    private void grow() {
        Connection[] old = slots;
        slots = new Connection[old.length * 2];
        for (Connection c : old) {
            if (c != null) {
                insertSlot(c);
            }
        }
    }

    /** Removes a connection (backward-shift deletion keeps probe chains intact). */
    public void remove(Connection c) {
        int mask = slots.length - 1;
        int i = hashOf(c) & mask;
        while (slots[i] != null && slots[i] != c) {
            i = (i + 1) & mask;
        }
        if (slots[i] == null) {
            return;
        }
        slots[i] = null;
        size--;
        LruLinks.unlink(c);
        int j = (i + 1) & mask;
        while (slots[j] != null) {
            Connection moved = slots[j];
            int home = hashOf(moved) & mask;
            boolean shift = (j > i) ? (home <= i || home > j) : (home <= i && home > j);
            if (shift) {
                slots[i] = moved;
                slots[j] = null;
                i = j;
            }
            j = (j + 1) & mask;
        }
    }

    /** Marks a connection as just active (moves it to the young end of the LRU list). */
    public void touch(Connection c) {
        LruLinks.unlink(c);
        LruLinks.append(lruHead, c);
    }

    /** Visits every live connection, oldest activity first. */
    public void forEach(Consumer<Connection> visitor) {
        LruLinks.forEach(lruHead, visitor);
    }

    public int size() {
        return size;
    }

    public long evictions() {
        return evictions;
    }

    public int maxConnections() {
        return maxConnections;
    }
}
