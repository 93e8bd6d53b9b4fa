package io.tcpscope.analyzer.flow;

import io.tcpscope.analyzer.tcp.Connection;
import java.util.function.Predicate;

/**
 * Open connections keyed by {@link FlowKey}: open addressing with linear probing over
 * primitive arrays (the key's fields, its cached hash, the connection, two LRU links), so a
 * lookup compares longs in a few adjacent slots and allocates nothing. A slot number is
 * valid until the next {@link #add} or {@link #remove}.
 *
 * <p>Three least-recently-active lists run through the slots: <em>active</em> connections,
 * <em>embryonic</em> ones (never established: a SYN, a SYN-ACK, nothing more yet) and
 * <em>ended</em> ones (both endpoints CLOSED or in TIME_WAIT, see {@link Connection#ended()}),
 * each oldest first. {@link #touch} moves a connection to the young end of the list its
 * state puts it in (the owner says which). The owner evicts when {@link #full()}: {@link
 * #evictionCandidate()} is the oldest ended connection if there is one (it is over, not cut),
 * else the oldest embryonic one, else the least recently active one. Embryonic connections
 * are a queue of their own, as Linux keeps its SYN queue apart from the accept queue: a SYN
 * flood from spoofed sources pushes out its own half-opens, never the established or stuck
 * connections held beside them. The owner also puts there the connections seen in one
 * direction only (the pipeline's probation: an ACK flood's or a scan's spoofed segments), so
 * the list is the probation segment of a segmented LRU: a connection is promoted to the
 * active list when the owner stops saying {@code embryonic}.
 *
 * <p>Limit: {@code maxConnections} connections held at once; the slot arrays start small
 * and double when half full, so memory follows the connections open at once.
 */
public final class FlowTable {
    /** Largest default limit on connections held at once (a large heap); see {@link #defaultMaxConnections}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1 << 20;
    /**
     * Upper bound of the heap one connection held in the pipeline costs, everything included:
     * its {@link Connection} (endpoints, timelines, evidence), its slot here at the worst load
     * (half empty after a doubling), its share of the tombstones. {@code ConnectionBudgetTest}
     * measures established and never-established connections and fails if either costs more:
     * the one place to lower when connections shrink (the default limit follows).
     */
    public static final int BYTES_PER_CONNECTION = 1536;
    /** Share of the heap the default limit gives the connections held; the rest is for the reports' buffers and the GC. */
    public static final double HEAP_SHARE = 0.5;
    /** Smallest default limit, however small the heap. */
    public static final int MIN_DEFAULT_MAX_CONNECTIONS = 4096;

    /**
     * The limit when the user gave none ({@code --max-connections}): as many connections as
     * {@link #HEAP_SHARE} of {@code maxHeapBytes} holds at {@link #BYTES_PER_CONNECTION} each,
     * between {@link #MIN_DEFAULT_MAX_CONNECTIONS} and {@link #DEFAULT_MAX_CONNECTIONS}. So a
     * SYN flood meets eviction, not the end of the heap: with {@code -Xmx256m} about 84,000.
     */
    public static int defaultMaxConnections(long maxHeapBytes) {
        long n = (long) (maxHeapBytes * HEAP_SHARE) / BYTES_PER_CONNECTION;
        return (int) Math.max(MIN_DEFAULT_MAX_CONNECTIONS, Math.min(DEFAULT_MAX_CONNECTIONS, n));
    }

    /** {@link #defaultMaxConnections(long)} for this JVM's heap ({@code Runtime.maxMemory()}, set by -Xmx). */
    public static int defaultMaxConnections() {
        return defaultMaxConnections(Runtime.getRuntime().maxMemory());
    }
    private static final int INITIAL_SLOTS = 1024;

    private final int maxConnections;
    /** Longs per slot in {@link #keys}. */
    private static final int KEY = 5;
    private int mask;
    /**
     * The keys, {@value #KEY} longs per slot side by side (aHi, aLo, bHi, bLo, then
     * vlan << 40 | aPort << 24 | bPort << 8 | version), so that comparing a key reads one or two cache
     * lines, not one per field.
     */
    private long[] keys;
    private int[] hashes;
    private Connection[] values;
    /**
     * LRU links; index {@code capacity} heads the active list, {@code capacity + 1} the ended
     * list, {@code capacity + 2} the embryonic list.
     */
    private int[] prev;
    private int[] next;
    /** The list each slot is on: {@link #ACTIVE}, {@link #ENDED} or {@link #EMBRYONIC}. */
    private byte[] list;
    /** For a connection on the ended list: capture time it is due to leave, as the owner said at {@link #touch}. */
    private long[] due;
    private int size;
    private int endedSize;
    private int embryonicSize;

    private static final byte ACTIVE = 0;
    private static final byte ENDED = 1;
    private static final byte EMBRYONIC = 2;
    private static final int LISTS = 3;

    public FlowTable(int maxConnections) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections " + maxConnections);
        }
        this.maxConnections = maxConnections;
        allocate(INITIAL_SLOTS);
    }

    private void allocate(int capacity) {
        mask = capacity - 1;
        keys = new long[capacity * KEY];
        hashes = new int[capacity];
        values = new Connection[capacity];
        prev = new int[capacity + LISTS];
        next = new int[capacity + LISTS];
        list = new byte[capacity];
        due = new long[capacity];
        for (int head = capacity; head < capacity + LISTS; head++) {
            prev[head] = head;
            next[head] = head;
        }
    }

    private int capacity() {
        return mask + 1;
    }

    private int head(boolean ended) {
        return ended ? capacity() + 1 : capacity();
    }

    private int head(byte which) {
        return capacity() + which;
    }

    private static byte listOf(boolean ended, boolean embryonic) {
        return ended ? ENDED : embryonic ? EMBRYONIC : ACTIVE;
    }

    private static long portsAndVersion(FlowKey k) {
        return (long) k.vlan << 40 | (long) k.aPort << 24 | (long) k.bPort << 8 | (k.ipVersion & 0xFF);
    }

    private boolean keyAt(int i, FlowKey k) {
        if (hashes[i] != k.hash) {
            return false;
        }
        int j = i * KEY;
        long[] w = keys;
        return w[j + 1] == k.aLo && w[j + 3] == k.bLo && w[j + 4] == portsAndVersion(k) && w[j] == k.aHi
                && w[j + 2] == k.bHi;
    }

    /** The slot holding this key's connection, or -1. */
    public int find(FlowKey k) {
        int i = k.hash & mask;
        while (values[i] != null) {
            if (keyAt(i, k)) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    /** The connection in a slot {@link #find} returned. */
    public Connection get(int slot) {
        return values[slot];
    }

    /** Whether {@link #add} needs a connection to leave first. */
    public boolean full() {
        return size >= maxConnections;
    }

    /**
     * Adds a connection under a key not in the table, at the young end of the active list.
     *
     * @return its slot
     * @throws IllegalStateException when {@link #full()}
     */
    public int add(FlowKey k, Connection c) {
        if (full()) {
            throw new IllegalStateException("flow table full (" + maxConnections + ")");
        }
        if ((size + 1) * 2 > capacity()) {
            grow();
        }
        int i = k.hash & mask;
        while (values[i] != null) {
            i = (i + 1) & mask;
        }
        int j = i * KEY;
        keys[j] = k.aHi;
        keys[j + 1] = k.aLo;
        keys[j + 2] = k.bHi;
        keys[j + 3] = k.bLo;
        keys[j + 4] = portsAndVersion(k);
        hashes[i] = k.hash;
        values[i] = c;
        list[i] = ACTIVE;
        due[i] = Long.MAX_VALUE;
        append(head(ACTIVE), i);
        size++;
        return i;
    }

    private void grow() {
        long[] oKeys = keys;
        int[] oHashes = hashes;
        Connection[] oValues = values;
        int[] oNext = next;
        byte[] oList = list;
        long[] oDue = due;
        int oldCapacity = capacity();
        allocate(oldCapacity * 2);
        // Re-insert list by list, oldest first, so every LRU order survives.
        for (int head = oldCapacity; head < oldCapacity + LISTS; head++) {
            for (int j = oNext[head]; j != head; j = oNext[j]) {
                int i = oHashes[j] & mask;
                while (values[i] != null) {
                    i = (i + 1) & mask;
                }
                System.arraycopy(oKeys, j * KEY, keys, i * KEY, KEY);
                hashes[i] = oHashes[j];
                values[i] = oValues[j];
                list[i] = oList[j];
                due[i] = oDue[j];
                append(head(oList[j]), i);
            }
        }
    }

    private void append(int head, int i) {
        int last = prev[head];
        prev[i] = last;
        next[i] = head;
        next[last] = i;
        prev[head] = i;
    }

    private void unlink(int i) {
        next[prev[i]] = next[i];
        prev[next[i]] = prev[i];
    }

    /**
     * Marks the connection in {@code slot} as just active: to the young end of the ended list
     * when {@code ended}, else of the active list.
     */
    public void touch(int slot, boolean ended) {
        touch(slot, ended, false, Long.MAX_VALUE);
    }

    /**
     * {@link #touch(int, boolean)}, and for an ended connection the capture time at which it
     * is due to leave ({@link #visitEndedDue}; {@code Long.MAX_VALUE}: never by that visit).
     */
    public void touch(int slot, boolean ended, long dueNanos) {
        touch(slot, ended, false, dueNanos);
    }

    /**
     * {@link #touch(int, boolean, long)}; a connection not ended goes to the embryonic list
     * when {@code embryonic} (never established), else to the active list.
     */
    public void touch(int slot, boolean ended, boolean embryonic, long dueNanos) {
        due[slot] = dueNanos;
        unlink(slot);
        byte to = listOf(ended, embryonic);
        byte from = list[slot];
        if (from != to) {
            count(from, -1);
            count(to, 1);
            list[slot] = to;
        }
        append(head(to), slot);
    }

    private void count(byte which, int delta) {
        if (which == ENDED) {
            endedSize += delta;
        } else if (which == EMBRYONIC) {
            embryonicSize += delta;
        }
    }

    /** Removes the connection in {@code slot} (backward-shift deletion keeps probe chains intact). */
    public void remove(int slot) {
        int i = slot;
        unlink(i);
        count(list[i], -1);
        values[i] = null;
        size--;
        int j = (i + 1) & mask;
        while (values[j] != null) {
            int home = hashes[j] & mask;
            boolean shift = (j > i) ? (home <= i || home > j) : (home <= i && home > j);
            if (shift) {
                move(j, i);
                i = j;
            }
            j = (j + 1) & mask;
        }
    }

    private void move(int from, int to) {
        System.arraycopy(keys, from * KEY, keys, to * KEY, KEY);
        hashes[to] = hashes[from];
        values[to] = values[from];
        list[to] = list[from];
        due[to] = due[from];
        prev[to] = prev[from];
        next[to] = next[from];
        next[prev[to]] = to;
        prev[next[to]] = to;
        values[from] = null;
    }

    /** Removes this key's connection, if held. */
    public boolean remove(FlowKey k) {
        int slot = find(k);
        if (slot < 0) {
            return false;
        }
        remove(slot);
        return true;
    }

    /**
     * The slot to empty when {@link #full()}: the oldest ended connection, else the oldest
     * embryonic one, else the least recently active; -1 when empty.
     */
    public int evictionCandidate() {
        for (byte which : new byte[] {ENDED, EMBRYONIC, ACTIVE}) {
            int oldest = next[head(which)];
            if (oldest != head(which)) {
                return oldest;
            }
        }
        return -1;
    }

    /** The due time given at the last {@link #touch(int, boolean, long)} of the connection in {@code slot}. */
    public long due(int slot) {
        return due[slot];
    }

    /** Whether the connection in {@code slot} is on the ended list. */
    public boolean ended(int slot) {
        return list[slot] == ENDED;
    }

    /** Whether the connection in {@code slot} is on the embryonic list (never established, not ended). */
    public boolean embryonic(int slot) {
        return list[slot] == EMBRYONIC;
    }

    /**
     * Visits the connections of one list, oldest activity first, while {@code visitor} returns
     * true. The visitor must not add or remove. The list not ended is the active one: see
     * {@link #visitEmbryonic} for the never-established connections.
     */
    public void visit(boolean endedList, Predicate<Connection> visitor) {
        visit(head(endedList), visitor);
    }

    /** {@link #visit} over the embryonic list. */
    public void visitEmbryonic(Predicate<Connection> visitor) {
        visit(head(EMBRYONIC), visitor);
    }

    private void visit(int head, Predicate<Connection> visitor) {
        for (int i = next[head]; i != head; i = next[i]) {
            if (!visitor.test(values[i])) {
                return;
            }
        }
    }

    /**
     * Visits, oldest activity first, the connections of the ended list whose due time (given
     * at {@link #touch(int, boolean, long)}) is {@code <= now}; with {@code prefixOnly}, stops
     * at the first one not due. Compares the table's own longs: the connections not due are
     * not read. The visitor must not add or remove.
     */
    public void visitEndedDue(long now, boolean prefixOnly, java.util.function.Consumer<Connection> visitor) {
        int head = head(true);
        for (int i = next[head]; i != head; i = next[i]) {
            if (due[i] <= now) {
                visitor.accept(values[i]);
            } else if (prefixOnly) {
                return;
            }
        }
    }

    /** Visits every connection held: the active ones, the embryonic ones, then the ended ones, each oldest first. */
    public void forEach(java.util.function.Consumer<Connection> visitor) {
        visit(false, c -> {
            visitor.accept(c);
            return true;
        });
        visitEmbryonic(c -> {
            visitor.accept(c);
            return true;
        });
        visit(true, c -> {
            visitor.accept(c);
            return true;
        });
    }

    public int size() {
        return size;
    }

    /** Connections on the ended list. */
    public int endedSize() {
        return endedSize;
    }

    /** Connections on the embryonic list. */
    public int embryonicSize() {
        return embryonicSize;
    }

    public int maxConnections() {
        return maxConnections;
    }
}
