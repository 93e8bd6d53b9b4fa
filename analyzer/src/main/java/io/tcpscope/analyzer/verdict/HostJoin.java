package io.tcpscope.analyzer.verdict;

import io.tcpscope.analyzer.diagnosis.Diagnosis;
import io.tcpscope.analyzer.diagnosis.DiagnosisCode;
import io.tcpscope.analyzer.report.Format;
import io.tcpscope.analyzer.host.HostSnapshot;
import io.tcpscope.analyzer.host.HostSnapshots;
import io.tcpscope.analyzer.host.HostSocket;
import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.ConnectionTracker;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.TcpState;
import io.tcpscope.analyzer.tcp.Transition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Fuses the capture with the kernel's own socket tables ({@code --host-snapshot}, issue 8
 * §2). Each endpoint of a connection is joined to its socket in the snapshots by 4-tuple
 * (its own address and port as the local end); the host's state is the truth for that
 * endpoint at the snapshot's time:
 * <ul>
 *   <li>a connection picked up mid-stream whose endpoint nothing in the capture moved takes
 *       CLOSE_WAIT or FIN_WAIT_2 from the host instead of the assumed ESTABLISHED
 *       ({@link ConnectionTracker#pickupFromHost}, basis {@code host}), when the snapshot was
 *       taken after the connection's first frame;</li>
 *   <li>otherwise a host state that differs from the state the timeline gives for the
 *       snapshot's time is {@link DiagnosisCode#HOST_DISAGREES}, naming both;</li>
 *   <li>sockets no connection joined are kept ({@link #unmatched()}): the capture never saw
 *       them.</li>
 * </ul>
 * A snapshot without a time ({@link HostSnapshot.TakenAt#UNKNOWN}) counts as taken at the
 * capture's end. Called by the pipeline when it builds a record; not on the per-packet path.
 */
public final class HostJoin {

    /** A socket of a snapshot that no captured connection joined. */
    public record Unseen(HostSnapshot snapshot, HostSocket socket) {
    }

    private HostSnapshots snapshots;
    private final Set<HostSocket> matched = Collections.newSetFromMap(new IdentityHashMap<>());

    public HostJoin(HostSnapshots snapshots) {
        this.snapshots = snapshots;
    }

    public HostSnapshots snapshots() {
        return snapshots;
    }

    /** One more snapshot (live's {@code --snapshot-every}): records built from now on are joined with it too. */
    public void add(HostSnapshot s) {
        List<HostSnapshot> all = new ArrayList<>(snapshots.snapshots());
        all.add(s);
        snapshots = new HostSnapshots(all);
    }

    private static long takenAt(HostSnapshot s) {
        return s.takenAtNanos().orElse(Long.MAX_VALUE);
    }

    /** The endpoint's socket in every snapshot that has it (oldest first), remembered as joined. */
    private List<HostSnapshots.Seen> join(Connection c, Endpoint e) {
        Endpoint p = c.peerOf(e);
        List<HostSnapshots.Seen> seen = snapshots.endpoint(e.ipVersion(), e.addressHi(), e.addressLo(), e.port(),
                p.ipVersion(), p.addressHi(), p.addressLo(), p.port());
        List<HostSnapshots.Seen> out = new ArrayList<>(seen.size());
        for (HostSnapshots.Seen s : seen) {
            if (takenAt(s.snapshot()) >= c.startNanos()) { // an earlier one may be an older incarnation
                matched.add(s.socket());
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Before the record is built: a mid-stream pickup's endpoint takes its state from the
     * latest snapshot that has it, when nothing in the capture moved it.
     */
    public void correct(Connection c, ConnectionTracker tracker) {
        for (Endpoint e : new Endpoint[] {c.client(), c.server()}) {
            List<HostSnapshots.Seen> seen = join(c, e);
            if (seen.isEmpty() || !e.onlyPickup()) {
                continue;
            }
            TcpState host = seen.get(seen.size() - 1).socket().state();
            if (host == TcpState.FIN_WAIT_2 && e.payloadBytes() > e.keepalives() + e.zeroWindowProbes()) {
                continue; // it sent data in the capture: no FIN came before it (HOST_DISAGREES says so)
            }
            if (host != null) {
                tracker.pickupFromHost(c, e, host);
            }
        }
    }

    /**
     * After the record's timers settled at {@code at}: HOST_DISAGREES for every snapshot whose
     * state for an endpoint differs from the timeline's state at the snapshot's time (the
     * final state for a snapshot at or after {@code at}) and is not entered within
     * {@link #SKEW_NANOS} after it.
     */
    public void disagreements(Connection c, long at, List<Diagnosis> out) {
        for (Endpoint e : new Endpoint[] {c.client(), c.server()}) {
            for (HostSnapshots.Seen s : join(c, e)) {
                TcpState host = s.socket().state();
                if (host == null) {
                    continue;
                }
                long t = takenAt(s.snapshot());
                TcpState inferred = stateAt(e, t, at);
                if (inferred == null || inferred == host || enteredWithin(e, t, at, host)) {
                    continue;
                }
                String when = t == Long.MAX_VALUE ? "at the capture's end" : "at " + Format.epochSeconds(t);
                String message = e.role().key() + " " + Format.endpoint(e) + ": host snapshot " + s.snapshot().source()
                        + " (" + when + ") says " + host + " (" + s.socket().ssState() + "), the capture implies "
                        + inferred + "; the host is the truth for this endpoint";
                out.add(new Diagnosis(DiagnosisCode.HOST_DISAGREES, e.role(), Math.min(t, at), 0, message));
            }
        }
    }

    /**
     * Allowed skew between a snapshot's time and the capture's clock: the capture lags the
     * kernel (packets wait in the capture buffer), and a snapshot of another host is stamped
     * with that host's clock.
     */
    static final long SKEW_NANOS = 1_000_000_000L;

    /** Whether the timeline enters {@code host} within {@link #SKEW_NANOS} after {@code t} (the record's timers included). */
    static boolean enteredWithin(Endpoint e, long t, long builtAt, TcpState host) {
        if (t == Long.MAX_VALUE) {
            return false;
        }
        for (Transition x : e.timeline()) {
            if (x.state() == host && x.timestampNanos() > t && x.timestampNanos() - t <= SKEW_NANOS) {
                return true;
            }
        }
        return false;
    }

    /** The endpoint's state at capture time {@code t}, or {@code null} before its first transition. */
    static TcpState stateAt(Endpoint e, long t, long builtAt) {
        if (t >= builtAt) {
            return e.stateOrClosed();
        }
        TcpState state = null;
        for (Transition x : e.timeline()) {
            if (x.timestampNanos() <= t) {
                state = x.state();
            }
        }
        return state;
    }

    /**
     * The non-listening sockets that no captured connection joined, each 4-tuple once: as the
     * latest snapshot that has it shows it (snapshots oldest first, then file order).
     */
    public List<Unseen> unmatched() {
        java.util.Map<String, Unseen> latest = new java.util.LinkedHashMap<>();
        for (HostSnapshot s : snapshots.snapshots()) {
            for (HostSocket x : s.sockets()) {
                if (!x.listening() && !matched.contains(x)) {
                    String key = x.local() + " " + x.peer();
                    latest.remove(key); // re-inserted: ordered by its latest sighting
                    latest.put(key, new Unseen(s, x));
                }
            }
        }
        return new ArrayList<>(latest.values());
    }
}
