package io.tcpscope.analyzer.report.html;

import io.tcpscope.analyzer.diagnosis.Diagnosis;
import io.tcpscope.analyzer.diagnosis.DiagnosisCode;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.tcp.ConnectionFlag;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.TcpState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The verdict computed from records alone (until {@code tcpscope stuck}'s culprits replace it
 * through {@link Verdict}): the CLOSE_WAIT endpoints of stuck half-closes (STUCK_FIN_WAIT_2, or
 * a side left in CLOSE_WAIT with its peer in FIN_WAIT_2), the servers of half-open handshakes
 * (HALF_OPEN, SYN cookies), the servers whose connections were reset or refused, and the hosts
 * holding TIME_WAIT endpoints at the end. Groups with one connection are listed too, largest
 * first (diagnosed ones before), at most {@link #MAX_PER_KIND} per kind.
 */
public final class RecordVerdict implements Verdict {
    public static final int MAX_PER_KIND = 5;

    private static final class Group {
        long connections;
        long example = -1;
        long longestNanos;
        long refused;
        long diagnosed;
    }

    private final Map<String, Group> stuck = new TreeMap<>();
    private final Map<String, Group> flood = new TreeMap<>();
    private final Map<String, Group> resets = new TreeMap<>();
    private final Map<String, Group> timeWait = new TreeMap<>();

    private static Group add(Map<String, Group> m, String key, long id) {
        Group g = m.computeIfAbsent(key, k -> new Group());
        g.connections++;
        if (g.example < 0 || id < g.example) {
            g.example = id;
        }
        return g;
    }

    @Override
    public void record(ConnectionRecord r) {
        boolean stuckSeen = false;
        for (Diagnosis d : r.diagnoses()) {
            if (d.code() == DiagnosisCode.STUCK_FIN_WAIT_2) {
                Endpoint.Role closeWait = d.endpoint() == Endpoint.Role.CLIENT ? Endpoint.Role.SERVER : Endpoint.Role.CLIENT;
                Group g = add(stuck, r.side(closeWait).endpoint(), r.id());
                g.longestNanos = Math.max(g.longestNanos, d.durationNanos());
                g.diagnosed++;
                stuckSeen = true;
            } else if (d.code() == DiagnosisCode.HALF_OPEN) {
                add(flood, r.server().endpoint(), r.id());
            }
        }
        if (!stuckSeen) {
            for (Endpoint.Role role : Endpoint.Role.values()) {
                ConnectionRecord.Side s = r.side(role);
                ConnectionRecord.Side peer = r.side(role == Endpoint.Role.CLIENT ? Endpoint.Role.SERVER : Endpoint.Role.CLIENT);
                if (s.state() == TcpState.CLOSE_WAIT && peer.state() == TcpState.FIN_WAIT_2) {
                    add(stuck, s.endpoint(), r.id());
                }
            }
        }
        if (r.has(ConnectionFlag.SYN_COOKIE) && r.diagnoses().stream().noneMatch(d -> d.code() == DiagnosisCode.HALF_OPEN)) {
            add(flood, r.server().endpoint(), r.id());
        }
        if (r.has(ConnectionFlag.RESET) || r.has(ConnectionFlag.REFUSED)) {
            Group g = add(resets, r.server().endpoint(), r.id());
            if (r.has(ConnectionFlag.REFUSED)) {
                g.refused++;
            }
        }
        for (Endpoint.Role role : Endpoint.Role.values()) {
            if (r.side(role).state() == TcpState.TIME_WAIT) {
                add(timeWait, r.side(role).ip(), r.id());
            }
        }
    }

    @Override
    public List<Finding> findings() {
        List<Finding> out = new ArrayList<>();
        top(stuck, (k, g) -> new Finding("stuck_half_close", k, g.connections, g.diagnosed > 0
                ? k + "'s application never closed: " + g.diagnosed + (g.diagnosed == 1 ? " connection" : " connections")
                + " stuck in CLOSE_WAIT with the peer in FIN_WAIT_2"
                + String.format(java.util.Locale.ROOT, " (up to %.1f s)", g.longestNanos / 1e9)
                + (g.connections > g.diagnosed ? ", " + (g.connections - g.diagnosed) + " more not yet past --stuck-after" : "")
                : k + ": " + g.connections + (g.connections == 1 ? " connection" : " connections")
                + " in CLOSE_WAIT with the peer in FIN_WAIT_2 when the capture ended (not yet past --stuck-after)",
                g.example), out);
        top(flood, (k, g) -> new Finding("flood", k, g.connections, k + " left " + g.connections
                + (g.connections == 1 ? " handshake" : " handshakes")
                + " half open (SYN-ACK never acknowledged, or answered with SYN cookies)", g.example), out);
        top(resets, (k, g) -> new Finding("resets", k, g.connections, g.connections
                + (g.connections == 1 ? " connection" : " connections") + " to " + k + " ended by RST"
                + (g.refused > 0 ? " (" + g.refused + " refused: no listener)" : ""), g.example), out);
        top(timeWait, (k, g) -> new Finding("time_wait", k, g.connections, k + " holds " + g.connections
                + " TIME_WAIT " + (g.connections == 1 ? "endpoint" : "endpoints") + " at the end", g.example), out);
        return out;
    }

    private static void top(Map<String, Group> m, java.util.function.BiFunction<String, Group, Finding> f,
                            List<Finding> out) {
        m.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, Group> e) -> -e.getValue().diagnosed)
                        .thenComparingLong(e -> -e.getValue().connections).thenComparing(Map.Entry::getKey))
                .limit(MAX_PER_KIND)
                .forEach(e -> out.add(f.apply(e.getKey(), e.getValue())));
    }
}
