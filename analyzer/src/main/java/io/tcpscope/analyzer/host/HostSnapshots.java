package io.tcpscope.analyzer.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Several host snapshots at once ({@code --host-snapshot} given more than once): from both
 * ends of the connections, and from one host at several times. Immutable.
 *
 * <p>Snapshots are held oldest first: those with a time ({@link HostSnapshot#takenAtNanos()})
 * in time order, then those without one in the order given (their time is the caller's to
 * decide, e.g. the capture's end).
 */
public final class HostSnapshots {

    /** A socket and the snapshot it was seen in. */
    public record Seen(HostSnapshot snapshot, HostSocket socket) {
    }

    private final List<HostSnapshot> snapshots;

    public HostSnapshots(List<HostSnapshot> snapshots) {
        List<HostSnapshot> sorted = new ArrayList<>(snapshots);
        // stable: untimed snapshots keep their order, after the timed ones
        sorted.sort(Comparator.comparingLong(s -> s.takenAtNanos().orElse(Long.MAX_VALUE)));
        this.snapshots = List.copyOf(sorted);
    }

    /** Reads every file with {@link HostSnapshotParser#read}; the first unreadable one is the error. */
    public static HostSnapshots read(List<Path> files) throws HostSnapshotException {
        List<HostSnapshot> out = new ArrayList<>();
        for (Path f : files) {
            out.add(HostSnapshotParser.read(f));
        }
        return new HostSnapshots(out);
    }

    /** The snapshots, oldest first. */
    public List<HostSnapshot> snapshots() {
        return snapshots;
    }

    public boolean isEmpty() {
        return snapshots.isEmpty();
    }

    /**
     * The endpoint's socket (local end = version/hi/lo/port, peer = the rest, addresses as
     * {@link io.tcpscope.analyzer.decode.Addresses} holds them) in every snapshot that has
     * it, oldest first.
     */
    public List<Seen> endpoint(int version, long hi, long lo, int port, int peerVersion, long peerHi, long peerLo,
            int peerPort) {
        List<Seen> out = new ArrayList<>();
        for (HostSnapshot s : snapshots) {
            s.find(version, hi, lo, port, peerVersion, peerHi, peerLo, peerPort).ifPresent(x -> out.add(new Seen(s, x)));
        }
        return out;
    }

    /** The endpoint's socket in the latest snapshot that has it. */
    public Optional<Seen> latest(int version, long hi, long lo, int port, int peerVersion, long peerHi, long peerLo,
            int peerPort) {
        List<Seen> all = endpoint(version, hi, lo, port, peerVersion, peerHi, peerLo, peerPort);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }
}
