package io.tcpscope.analyzer.engine;

import io.tcpscope.analyzer.decode.Addresses;
import io.tcpscope.analyzer.diagnosis.Diagnosis;
import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.ConnectionFlag;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.TcpState;
import io.tcpscope.analyzer.tcp.Transition;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What the capture showed of one connection (one incarnation of a 4-tuple), built once by the
 * {@link Pipeline} when the connection is over, and immutable: every report renders these and
 * never the tracker's mutable {@link Connection}. Built at capture time {@code builtNanos}; its
 * diagnoses were evaluated then.
 *
 * @param id          connection id: the order in which the pipeline first saw the connections, from 0
 * @param roleGuessed client and server were guessed (no SYN seen)
 * @param ipVersion   4 or 6
 * @param client      the endpoint that sent the first SYN (or the guessed one)
 * @param server      its peer
 * @param firstFrame  frame number of the first segment
 * @param lastFrame   frame number of the last segment
 * @param startNanos  capture time of the first segment
 * @param endNanos    capture time of the last segment
 * @param flags       facts worth a word, in {@link ConnectionFlag} order
 * @param diagnoses   the diagnoses that held when the record was built
 * @param end         why the pipeline let the connection go
 * @param builtNanos  capture time the record was built ("now" for its diagnoses and timers)
 * @param observations the results of the pipeline's {@link ConnectionObserver}s, in the order of
 *                    their factories (empty when no output asked for one)
 */
public record ConnectionRecord(long id, boolean roleGuessed, int ipVersion, Side client, Side server,
                               long firstFrame, long lastFrame, long startNanos, long endNanos,
                               Set<ConnectionFlag> flags, List<Diagnosis> diagnoses, End end, long builtNanos,
                               List<Object> observations) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;


    /** Why a connection's record was built. */
    public enum End {
        /**
         * Both endpoints CLOSED, or TIME_WAIT ended by its 2MSL timer on capture time; or both
         * ended (CLOSED or TIME_WAIT) when the flow table needed its slot.
         */
        OVER,
        /** A new SYN on the same 4-tuple started a new incarnation. */
        NEW_INCARNATION,
        /** Silent for longer than the idle timeout. */
        IDLE,
        /** The flow table was full and it was the least recently active connection. */
        EVICTED,
        /** The capture ended (or the run stopped) while it was open. */
        CAPTURE_END,
        /** Not over: a snapshot of a connection still open (live's raised diagnoses). */
        OPEN;

        /** Lower-case name for the reports. */
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ConnectionRecord {
        flags = Collections.unmodifiableSet(flags.isEmpty() ? EnumSet.noneOf(ConnectionFlag.class) : EnumSet.copyOf(flags));
        diagnoses = List.copyOf(diagnoses);
        observations = List.copyOf(observations);
    }

    /** A record without observer results. */
    public ConnectionRecord(long id, boolean roleGuessed, int ipVersion, Side client, Side server, long firstFrame,
                            long lastFrame, long startNanos, long endNanos, Set<ConnectionFlag> flags,
                            List<Diagnosis> diagnoses, End end, long builtNanos) {
        this(id, roleGuessed, ipVersion, client, server, firstFrame, lastFrame, startNanos, endNanos, flags, diagnoses,
                end, builtNanos, List.of());
    }

    /** The result of the observer of this type, or null when the pipeline had none. */
    public <T> T observation(Class<T> type) {
        for (Object o : observations) {
            if (type.isInstance(o)) {
                return type.cast(o);
            }
        }
        return null;
    }

    /**
     * One side of the connection as it stood when the record was built: its address, its
     * timeline, final state and every per-side counter the reports show.
     *
     * @param state the final state: CLOSED when nothing was known
     */
    public record Side(Endpoint.Role role, int ipVersion, long addressHi, long addressLo, int port,
                       List<Transition> timeline, TcpState state, boolean synSent, int isn, int synCount,
                       boolean activeOpener, long packets, long payloadBytes, long retransmissions,
                       long synRetransmissions, long synAckRetransmissions, long outOfOrderSegments,
                       long duplicates, long overlapSegments, long missedBytes, long keepalives,
                       long zeroWindowProbes, int windowScale, long duplicateAcks, long zeroWindows,
                       long lostSegments, AfterPeerFin afterPeerFin, Transition inconsistency) implements java.io.Serializable {
        private static final long serialVersionUID = 1L;


        public Side {
            timeline = List.copyOf(timeline);
        }

        /**
         * What this side sent after it received the peer's FIN (a CLOSE_WAIT side's activity,
         * for {@code tcpscope stuck}), and its RST of a host with no socket.
         *
         * @param bytes          payload bytes (its application still wrote)
         * @param keepalives     keepalive probes (its kernel, not its application)
         * @param windowUpdates  pure ACKs with a new window (its application read)
         * @param lastDataNanos  capture time of its last data or FIN since, or -1
         * @param bareRstFrame   frame of its first RST without ACK (no socket for the segment it answered), or -1
         */
        public record AfterPeerFin(long bytes, long keepalives, long windowUpdates, long lastDataNanos,
                                   long bareRstFrame) implements java.io.Serializable {
            private static final long serialVersionUID = 1L;

        }

        static Side of(Endpoint e) {
            return new Side(e.role(), e.ipVersion(), e.addressHi(), e.addressLo(), e.port(), e.timeline(),
                    e.stateOrClosed(), e.synSent(), e.isn(), e.synCount(), e.activeOpener(), e.packets(),
                    e.payloadBytes(), e.retransmissions(), e.synRetransmissions(), e.synAckRetransmissions(),
                    e.outOfOrderSegments(), e.duplicates(), e.overlapSegments(), e.missedBytes(), e.keepalives(),
                    e.zeroWindowProbes(), e.windowScale(), e.duplicateAcks(), e.zeroWindows(), e.lostSegments(),
                    new AfterPeerFin(e.bytesAfterPeerFin(), e.keepalivesAfterPeerFin(), e.windowUpdatesAfterPeerFin(),
                    e.lastDataAfterPeerFinNanos(), e.bareRstFrame()), e.inconsistency());
        }

        /** The address in RFC 5952 form. */
        public String ip() {
            return Addresses.format(ipVersion, addressHi, addressLo);
        }

        /** {@code 10.0.0.1:80} or {@code [2001:db8::1]:80}. */
        public String endpoint() {
            String ip = ip();
            return (ipVersion == 6 ? "[" + ip + "]" : ip) + ":" + port;
        }
    }

    /** Copies what a finished (or, for a snapshot, still open) connection shows. */
    public static ConnectionRecord of(Connection c, List<Diagnosis> diagnoses, End end, long builtNanos) {
        return of(c, diagnoses, end, builtNanos, List.of());
    }

    /** The same, carrying the results of the connection's observers. */
    public static ConnectionRecord of(Connection c, List<Diagnosis> diagnoses, End end, long builtNanos,
                                      List<Object> observations) {
        return new ConnectionRecord(c.id(), c.roleGuessed(), c.client().ipVersion(), Side.of(c.client()),
                Side.of(c.server()), c.firstFrame(), c.lastFrame(), c.startNanos(), c.endNanos(), c.flags(), diagnoses,
                end, builtNanos, observations);
    }

    /** The side with this role. */
    public Side side(Endpoint.Role role) {
        return role == Endpoint.Role.CLIENT ? client : server;
    }

    /** Whether it carries this flag. */
    public boolean has(ConnectionFlag flag) {
        return flags.contains(flag);
    }
}
