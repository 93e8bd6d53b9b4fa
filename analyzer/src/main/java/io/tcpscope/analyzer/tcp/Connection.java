package io.tcpscope.analyzer.tcp;

import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * One TCP connection (one incarnation of a 4-tuple): its two endpoints and what the capture
 * showed of it. The client is the endpoint that sent the first SYN, or the guessed one when
 * {@link #roleGuessed()}.
 */
public final class Connection {
    private final long id;
    private final Endpoint client;
    private final Endpoint server;
    private final boolean roleGuessed;
    /** VLAN ids, {@code outer << 12 | inner}, 0 untagged (part of the connection's key). */
    private int vlan;
    /** The other direction's VLAN ids when they differ (routed between VLANs), else -1. */
    private int peerVlan = -1;
    private boolean openedByClient = true;
    private static final ConnectionFlag[] FLAGS = ConnectionFlag.values();

    static {
        if (FLAGS.length > 32) {
            throw new IllegalStateException("connection flags: widen flagBits");
        }
    }

    /** The flags, one bit per {@link ConnectionFlag#ordinal()} (an int, not an EnumSet: 32 bytes less per connection). */
    private int flagBits;

    long firstFrame;
    long lastFrame;
    long startNanos;
    long endNanos;
    boolean finished;
    /** What the diagnosis observer keeps of this connection (diagnosis/Evidence), or null. */
    private Object evidence;

    public Connection(long id, boolean roleGuessed,
                      int ipVersion, long clientHi, long clientLo, int clientPort,
                      long serverHi, long serverLo, int serverPort,
                      long firstFrame, long startNanos) {
        this.id = id;
        this.roleGuessed = roleGuessed;
        this.client = new Endpoint(Endpoint.Role.CLIENT, ipVersion, clientHi, clientLo, clientPort);
        this.server = new Endpoint(Endpoint.Role.SERVER, ipVersion, serverHi, serverLo, serverPort);
        this.firstFrame = firstFrame;
        this.lastFrame = firstFrame;
        this.startNanos = startNanos;
        this.endNanos = startNanos;
        if (roleGuessed) {
            flag(ConnectionFlag.ROLE_GUESSED);
        }
    }

    public long id() {
        return id;
    }

    public Endpoint client() {
        return client;
    }

    public Endpoint server() {
        return server;
    }

    public Endpoint endpoint(Endpoint.Role role) {
        return role == Endpoint.Role.CLIENT ? client : server;
    }

    public Endpoint peerOf(Endpoint e) {
        return e == client ? server : client;
    }

    /** The VLAN ids its frames carried ({@code TcpSegment.vlan}: {@code outer << 12 | inner}, 0 untagged). */
    public int vlan() {
        return vlan;
    }

    /** Sets the VLAN ids once, when the connection opens, with the direction they were seen in. */
    public void vlan(int vlan, boolean openedByClient) {
        this.vlan = vlan;
        this.openedByClient = openedByClient;
    }

    /** Whether {@link #vlan()} is the client's direction's (its first segment was the client's). */
    public boolean openedByClient() {
        return openedByClient;
    }

    /** The other direction's VLAN ids when it is seen on other VLANs than {@link #vlan()}, else -1. */
    public int peerVlan() {
        return peerVlan;
    }

    public void peerVlan(int vlan) {
        this.peerVlan = vlan;
    }

    public boolean roleGuessed() {
        return roleGuessed;
    }

    /** Its flags: a live view (adding to it flags the connection), in declaration order as an EnumSet iterates. */
    public Set<ConnectionFlag> flags() {
        return new FlagView();
    }

    /** Whether it has this flag. */
    public boolean has(ConnectionFlag flag) {
        return (flagBits & 1 << flag.ordinal()) != 0;
    }

    void flag(ConnectionFlag flag) {
        flagBits |= 1 << flag.ordinal();
    }

    /** {@link #flags()}: the bits as a set. */
    private final class FlagView extends AbstractSet<ConnectionFlag> {
        @Override
        public boolean contains(Object o) {
            return o instanceof ConnectionFlag f && has(f);
        }

        @Override
        public boolean add(ConnectionFlag f) {
            boolean had = has(f);
            flag(f);
            return !had;
        }

        @Override
        public boolean remove(Object o) {
            if (!contains(o)) {
                return false;
            }
            flagBits &= ~(1 << ((ConnectionFlag) o).ordinal());
            return true;
        }

        @Override
        public int size() {
            return Integer.bitCount(flagBits);
        }

        @Override
        public Iterator<ConnectionFlag> iterator() {
            return new Iterator<>() {
                private int left = flagBits;
                private int last = -1;

                @Override
                public boolean hasNext() {
                    return left != 0;
                }

                @Override
                public ConnectionFlag next() {
                    if (left == 0) {
                        throw new NoSuchElementException();
                    }
                    last = Integer.numberOfTrailingZeros(left);
                    left &= left - 1;
                    return FLAGS[last];
                }

                @Override
                public void remove() {
                    if (last < 0) {
                        throw new IllegalStateException();
                    }
                    flagBits &= ~(1 << last);
                    last = -1;
                }
            };
        }
    }

    /** The diagnosis evidence attached to it (written by a {@link SegmentObserver}), or null. */
    public Object evidence() {
        return evidence;
    }

    public void evidence(Object evidence) {
        this.evidence = evidence;
    }

    public long firstFrame() {
        return firstFrame;
    }

    public long lastFrame() {
        return lastFrame;
    }

    /** Capture time of the first segment, nanoseconds since the epoch. */
    public long startNanos() {
        return startNanos;
    }

    /** Capture time of the last segment. */
    public long endNanos() {
        return endNanos;
    }

    /** Whether {@link ConnectionTracker#finish} ran for it. */
    public boolean finished() {
        return finished;
    }

    /** Both endpoints are done with it: CLOSED or TIME_WAIT (or never had state). */
    public boolean ended() {
        return client.stateOrClosed().ended() && server.stateOrClosed().ended();
    }

    /** Whether the endpoint with this address and port is the client. */
    public boolean isClient(int ipVersion, long hi, long lo, int port) {
        return client.ipVersion() == ipVersion && client.addressHi() == hi && client.addressLo() == lo
                && client.port() == port;
    }
}
