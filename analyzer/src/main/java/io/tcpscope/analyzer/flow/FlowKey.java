package io.tcpscope.analyzer.flow;

/**
 * A connection's 4-tuple without direction: both directions of a connection give equal keys
 * with equal hashes (gopacket's {@code Flow.FastHash}). A mutable flyweight: {@link #set}
 * orders the two endpoints (the lower address and port first) and computes the hash once, so
 * one lookup hashes once and allocates nothing. The flow table and the tombstone set copy the
 * fields they keep into their own primitive arrays.
 */
public final class FlowKey {
    int ipVersion;
    long aHi;
    long aLo;
    int aPort;
    long bHi;
    long bLo;
    int bPort;
    /** VLAN ids, {@code outer << 12 | inner} (24 bits, 0 untagged): distinct VLANs are distinct connections. */
    int vlan;
    int hash;

    /** Sets the key from one segment's source and destination, in either order; computes the hash. */
    public FlowKey set(int ipVersion, long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort) {
        return set(ipVersion, 0, srcHi, srcLo, srcPort, dstHi, dstLo, dstPort);
    }

    /**
     * Sets the key with the segment's VLAN ids ({@code TcpSegment.vlan}: {@code outer << 12 |
     * inner}, 0 untagged; only the low 24 bits count).
     */
    public FlowKey set(int ipVersion, int vlan, long srcHi, long srcLo, int srcPort, long dstHi, long dstLo,
                       int dstPort) {
        this.ipVersion = ipVersion;
        this.vlan = vlan & 0xFFFFFF;
        if (lessOrEqual(srcHi, srcLo, srcPort, dstHi, dstLo, dstPort)) {
            aHi = srcHi;
            aLo = srcLo;
            aPort = srcPort;
            bHi = dstHi;
            bLo = dstLo;
            bPort = dstPort;
        } else {
            aHi = dstHi;
            aLo = dstLo;
            aPort = dstPort;
            bHi = srcHi;
            bLo = srcLo;
            bPort = srcPort;
        }
        hash = hash(ipVersion | this.vlan << 8, aHi, aLo, aPort, bHi, bLo, bPort);
        return this;
    }

    private static boolean lessOrEqual(long xHi, long xLo, int xPort, long yHi, long yLo, int yPort) {
        if (xHi != yHi) {
            return Long.compareUnsigned(xHi, yHi) < 0;
        }
        if (xLo != yLo) {
            return Long.compareUnsigned(xLo, yLo) < 0;
        }
        return xPort <= yPort;
    }

    /** Hash of the ordered tuple (the ordering makes it direction-free). */
    static int hash(int v, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        long h = mix(aHi ^ v);
        h = mix(h ^ aLo);
        h = mix(h ^ (((long) aPort << 16) | bPort));
        h = mix(h ^ bHi);
        h = mix(h ^ bLo);
        return (int) (h ^ (h >>> 32));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        return z ^ (z >>> 29);
    }

    /** The cached hash, direction-free. */
    public int hash() {
        return hash;
    }

    public int ipVersion() {
        return ipVersion;
    }

    /** The VLAN ids, {@code outer << 12 | inner}, 0 untagged. */
    public int vlan() {
        return vlan;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowKey k && k.ipVersion == ipVersion && k.vlan == vlan && k.aHi == aHi && k.aLo == aLo && k.aPort == aPort
                && k.bHi == bHi && k.bLo == bLo && k.bPort == bPort;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "FlowKey[v" + ipVersion + (vlan == 0 ? "" : " vlan " + (vlan >>> 12) + "." + (vlan & 0xFFF)) + " " + Long.toHexString(aHi) + ":" + Long.toHexString(aLo) + "." + aPort + " "
                + Long.toHexString(bHi) + ":" + Long.toHexString(bLo) + "." + bPort + "]";
    }
}
