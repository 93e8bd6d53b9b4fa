package io.tcpscope.analyzer.host;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The TCP sockets of one host at one moment, read from {@code ss} output by
 * {@link HostSnapshotParser}. Immutable.
 *
 * <p>Lookups are by 4-tuple and direction-aware: a socket is found by its own (local)
 * address and port and its peer's. {@link #connection} takes the two ends of a connection
 * in either order and says which one is this host's.
 */
public final class HostSnapshot {

    /** Where {@link #takenAtNanos()} came from. */
    public enum TakenAt {
        /** The file's {@code # taken at} header line. */
        HEADER,
        /** The file's modification time (no header). */
        FILE_MTIME,
        /** Not known (no header, no file time: e.g. read from a pipe): the caller decides (the capture's end). */
        UNKNOWN
    }

    /** A socket found for a connection, and which end of it is this host's. */
    public record Match(HostSocket socket, boolean firstIsLocal) {
    }

    private record Key(int version, long lhi, long llo, int lport, int peerVersion, long phi, long plo, int pport) {
        static Key of(HostAddress l, HostAddress p) {
            return new Key(l.ipVersion(), l.hi(), l.lo(), l.port(), p.ipVersion(), p.hi(), p.lo(), p.port());
        }
    }

    private final String source;
    private final String host;
    private final OptionalLong takenAtNanos;
    private final TakenAt takenAt;
    private final List<HostSocket> sockets;
    private final int skippedLines;
    private final Map<Key, HostSocket> byTuple;

    HostSnapshot(String source, String host, OptionalLong takenAtNanos, TakenAt takenAt, List<HostSocket> sockets,
            int skippedLines) {
        this.source = source;
        this.host = host;
        this.takenAtNanos = takenAtNanos;
        this.takenAt = takenAt;
        this.sockets = List.copyOf(sockets);
        this.skippedLines = skippedLines;
        Map<Key, HostSocket> index = new HashMap<>();
        for (HostSocket s : this.sockets) {
            if (!s.listening()) {
                index.putIfAbsent(Key.of(s.local(), s.peer()), s); // the first line wins, as ss lists them
            }
        }
        this.byTuple = Collections.unmodifiableMap(index);
    }

    /** The file (or description) it was read from, for messages. */
    public String source() {
        return source;
    }

    /** The {@code # host} header's name, or {@code null}. */
    public String host() {
        return host;
    }

    /** When ss ran, in nanoseconds since the epoch (capture clock), or empty; see {@link #takenAt()}. */
    public OptionalLong takenAtNanos() {
        return takenAtNanos;
    }

    /** Where {@link #takenAtNanos()} came from. */
    public TakenAt takenAt() {
        return takenAt;
    }

    /** Every TCP socket in the order of the file. */
    public List<HostSocket> sockets() {
        return sockets;
    }

    /** Lines of other protocols (an {@code ss -an} Netid column other than tcp) that were skipped. */
    public int skippedLines() {
        return skippedLines;
    }

    /** The non-listening socket with this local and peer end, if any. */
    public Optional<HostSocket> find(HostAddress local, HostAddress peer) {
        return Optional.ofNullable(byTuple.get(Key.of(local, peer)));
    }

    /**
     * The non-listening socket whose local end is (version, hi, lo, port) and whose peer is
     * (peerVersion, ...), addresses as {@link io.tcpscope.analyzer.decode.Addresses} holds them.
     */
    public Optional<HostSocket> find(int version, long hi, long lo, int port, int peerVersion, long peerHi,
            long peerLo, int peerPort) {
        return Optional.ofNullable(byTuple.get(new Key(version, hi, lo, port, peerVersion, peerHi, peerLo, peerPort)));
    }

    /**
     * This host's socket of the connection between A and B, given in either order: the
     * socket with local A and peer B ({@code firstIsLocal}) or local B and peer A.
     */
    public Optional<Match> connection(int versionA, long hiA, long loA, int portA, int versionB, long hiB, long loB,
            int portB) {
        HostSocket s = byTuple.get(new Key(versionA, hiA, loA, portA, versionB, hiB, loB, portB));
        if (s != null) {
            return Optional.of(new Match(s, true));
        }
        s = byTuple.get(new Key(versionB, hiB, loB, portB, versionA, hiA, loA, portA));
        return s != null ? Optional.of(new Match(s, false)) : Optional.empty();
    }

    /** The listening sockets, in file order. */
    public List<HostSocket> listeners() {
        List<HostSocket> out = new ArrayList<>();
        for (HostSocket s : sockets) {
            if (s.listening()) {
                out.add(s);
            }
        }
        return out;
    }

    /** The listener that takes connections to this address and port (an exact bind before a wildcard), if any. */
    public Optional<HostSocket> listenerFor(int version, long hi, long lo, int port) {
        HostSocket wildcard = null;
        for (HostSocket s : sockets) {
            if (s.listening() && s.local().accepts(version, hi, lo, port)) {
                if (!s.local().anyAddress()) {
                    return Optional.of(s);
                }
                if (wildcard == null) {
                    wildcard = s;
                }
            }
        }
        return Optional.ofNullable(wildcard);
    }

    @Override
    public String toString() {
        return source + " (" + sockets.size() + " sockets" + (host != null ? ", host " + host : "") + ")";
    }
}
