package io.tcpscope.analyzer.flow;

/**
 * Keys of connections that left the flow table (over, or evicted), so that their late
 * segments are counted and not taken for a new connection picked up mid-stream. Bounded:
 * at most {@code limit} keys, the oldest forgotten first (a FIFO ring); open addressing
 * over primitive arrays, growing from a small size, so a lookup allocates nothing.
 *
 * <p>Behaviour at the limit: the oldest tombstone is dropped; a later segment of that
 * connection then starts a new (MIDSTREAM) connection, as without tombstones.
 */
public final class Tombstones {
    /** Why a key is here. */
    public static final byte OVER = 1;
    public static final byte EVICTED = 2;

    private static final int INITIAL = 256;

    private final int limit;
    // The ring, in insertion order: entry r holds one key (kind 0: removed).
    private long[] aHi;
    private long[] aLo;
    private long[] bHi;
    private long[] bLo;
    private int[] ports;
    private byte[] version;
    private int[] vlan;
    private int[] hashes;
    private byte[] kind;
    /** The client's ISN, or -1 when it sent no SYN: a resent SYN is not a new incarnation. */
    private long[] isn;
    private int ringStart;
    private int ringSize;
    /** Open-addressing index of ring positions, -1 empty. */
    private int[] index;
    private int live;

    public Tombstones(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit " + limit);
        }
        this.limit = limit;
        allocate(Math.min(INITIAL, Integer.highestOneBit(limit - 1 < 1 ? 1 : limit - 1) << 1));
    }

    private void allocate(int ring) {
        aHi = new long[ring];
        aLo = new long[ring];
        bHi = new long[ring];
        bLo = new long[ring];
        ports = new int[ring];
        version = new byte[ring];
        vlan = new int[ring];
        hashes = new int[ring];
        kind = new byte[ring];
        isn = new long[ring];
        index = new int[ring * 2];
        java.util.Arrays.fill(index, -1);
    }

    private int ringCapacity() {
        return kind.length;
    }

    private boolean keyAt(int r, FlowKey k) {
        return hashes[r] == k.hash && aLo[r] == k.aLo && bLo[r] == k.bLo && ports[r] == ((k.aPort << 16) | k.bPort)
                && aHi[r] == k.aHi && bHi[r] == k.bHi && version[r] == k.ipVersion && vlan[r] == k.vlan;
    }

    private int indexSlot(FlowKey k) {
        int m = index.length - 1;
        int i = k.hash & m;
        int r;
        while ((r = index[i]) >= 0) {
            if (keyAt(r, k)) {
                return i;
            }
            i = (i + 1) & m;
        }
        return -1;
    }

    /** Why this key is here ({@link #OVER}, {@link #EVICTED}), or 0 when it is not. */
    public byte kindOf(FlowKey k) {
        int i = indexSlot(k);
        return i < 0 ? 0 : kind[index[i]];
    }

    /** The client's ISN (unsigned) recorded with this key, or -1 (no SYN, or not here). */
    public long isnOf(FlowKey k) {
        int i = indexSlot(k);
        return i < 0 ? -1 : isn[index[i]];
    }

    /** Forgets this key (a new incarnation took it). */
    public void remove(FlowKey k) {
        int i = indexSlot(k);
        if (i >= 0) {
            kind[index[i]] = 0;
            deleteIndex(i);
            live--;
        }
    }

    /**
     * Remembers a key that left the table; drops the oldest when at the limit.
     *
     * @param clientIsn the client's ISN as an unsigned value, or -1 when it sent no SYN
     */
    public void add(FlowKey k, byte why, long clientIsn) {
        remove(k);
        if (ringSize == limit) {
            dropOldest();
        } else if (ringSize == ringCapacity()) {
            grow();
        }
        int r = (ringStart + ringSize) % ringCapacity();
        ringSize++;
        aHi[r] = k.aHi;
        aLo[r] = k.aLo;
        bHi[r] = k.bHi;
        bLo[r] = k.bLo;
        ports[r] = (k.aPort << 16) | k.bPort;
        version[r] = (byte) k.ipVersion;
        vlan[r] = k.vlan;
        hashes[r] = k.hash;
        kind[r] = why;
        isn[r] = clientIsn;
        int m = index.length - 1;
        int i = k.hash & m;
        while (index[i] >= 0) {
            i = (i + 1) & m;
        }
        index[i] = r;
        live++;
    }

    private void dropOldest() {
        int r = ringStart;
        if (kind[r] != 0) {
            int m = index.length - 1;
            int i = hashes[r] & m;
            while (index[i] != r) {
                i = (i + 1) & m;
            }
            deleteIndex(i);
            live--;
        }
        ringStart = (ringStart + 1) % ringCapacity();
        ringSize--;
    }

    private void deleteIndex(int slot) {
        int m = index.length - 1;
        int i = slot;
        index[i] = -1;
        int j = (i + 1) & m;
        while (index[j] >= 0) {
            int home = hashes[index[j]] & m;
            boolean shift = (j > i) ? (home <= i || home > j) : (home <= i && home > j);
            if (shift) {
                index[i] = index[j];
                index[j] = -1;
                i = j;
            }
            j = (j + 1) & m;
        }
    }

    private void grow() {
        int old = ringCapacity();
        long[] oaHi = aHi;
        long[] oaLo = aLo;
        long[] obHi = bHi;
        long[] obLo = bLo;
        int[] oPorts = ports;
        byte[] oVersion = version;
        int[] oVlan = vlan;
        int[] oHashes = hashes;
        byte[] oKind = kind;
        long[] oIsn = isn;
        int start = ringStart;
        int n = ringSize;
        allocate(old * 2);
        ringStart = 0;
        ringSize = 0;
        live = 0;
        for (int x = 0; x < n; x++) {
            int r = (start + x) % old;
            aHi[x] = oaHi[r];
            aLo[x] = oaLo[r];
            bHi[x] = obHi[r];
            bLo[x] = obLo[r];
            ports[x] = oPorts[r];
            version[x] = oVersion[r];
            vlan[x] = oVlan[r];
            hashes[x] = oHashes[r];
            kind[x] = oKind[r];
            isn[x] = oIsn[r];
            ringSize++;
            if (kind[x] != 0) {
                int m = index.length - 1;
                int i = hashes[x] & m;
                while (index[i] >= 0) {
                    i = (i + 1) & m;
                }
                index[i] = x;
                live++;
            }
        }
    }

    /** Keys remembered now. */
    public int size() {
        return live;
    }

    public int limit() {
        return limit;
    }
}
