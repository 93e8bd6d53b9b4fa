package io.tcpscope.analyzer.diagnosis;

import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.TcpState;
import io.tcpscope.analyzer.tcp.Transition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * TIME_WAIT accounting over the records: which side holds TIME_WAIT and until when ({@link
 * #of}), how many TIME_WAIT sockets each host holds at the end, and TIME_WAIT_PILEUP: one
 * host's TIME_WAIT sockets toward one peer service ({@code ip:port}), held by the connecting
 * side (each uses one ephemeral port), reaching {@link #pileupThreshold()}: half the Linux
 * ephemeral range 32768-60999 (28,232 ports), because Linux connect() takes even ports first
 * (odd ones are left to bind()), so from half the range on connect() searches and then fails
 * with EADDRNOTAVAIL (unless tcp_tw_reuse lets it take a TIME_WAIT port).
 */
public final class TimeWaits {
    /** Linux net.ipv4.ip_local_port_range default. */
    public static final int EPHEMERAL_LOW = 32768;
    public static final int EPHEMERAL_HIGH = 60999;
    /** Connection ids kept per pile-up. */
    public static final int MAX_IDS = 100;

    /** One side's TIME_WAIT: entered at {@code sinceNanos}, lasting until {@code untilNanos}. */
    public record Hold(Endpoint.Role holder, long sinceNanos, long untilNanos, boolean atEnd) {
    }

    /** One host's TIME_WAIT sockets toward one peer service at the end. */
    public record Pileup(String hostIp, String peer, long count, int threshold, List<Long> connections) {
        public String message() {
            return "host " + hostIp + " holds " + count + " TIME_WAIT sockets toward " + peer + " (threshold " + threshold
                    + ", half its ephemeral range " + EPHEMERAL_LOW + "-" + EPHEMERAL_HIGH
                    + "): new connections to it will run out of local ports";
        }
    }

    private final long timeWaitNanos;
    private final int threshold;
    private final Map<String, long[]> perHost = new TreeMap<>();
    private final Map<String, long[]> perPeer = new TreeMap<>();
    private final Map<String, TreeSet<Long>> peerIds = new TreeMap<>();

    public TimeWaits(long timeWaitNanos) {
        this(timeWaitNanos, (EPHEMERAL_HIGH - EPHEMERAL_LOW + 1) / 2);
    }

    /** @param threshold TIME_WAIT sockets toward one service for TIME_WAIT_PILEUP */
    public TimeWaits(long timeWaitNanos, int threshold) {
        this.timeWaitNanos = timeWaitNanos;
        this.threshold = threshold;
    }

    public int pileupThreshold() {
        return threshold;
    }

    /** Which side held TIME_WAIT, from when until when ({@code timeWaitNanos}: 2MSL), or null. */
    public static Hold of(ConnectionRecord r, long timeWaitNanos) {
        for (ConnectionRecord.Side s : new ConnectionRecord.Side[] {r.client(), r.server()}) {
            for (Transition t : s.timeline()) {
                if (t.state() == TcpState.TIME_WAIT) {
                    return new Hold(s.role(), t.timestampNanos(), t.timestampNanos() + timeWaitNanos,
                            s.state() == TcpState.TIME_WAIT);
                }
            }
        }
        return null;
    }

    public Hold of(ConnectionRecord r) {
        return of(r, timeWaitNanos);
    }

    public void add(ConnectionRecord r) {
        for (ConnectionRecord.Side s : new ConnectionRecord.Side[] {r.client(), r.server()}) {
            if (s.state() != TcpState.TIME_WAIT) {
                continue;
            }
            perHost.computeIfAbsent(s.ip(), k -> new long[1])[0]++;
            if (s.role() == Endpoint.Role.CLIENT) {
                String key = s.ip() + " " + r.server().endpoint();
                perPeer.computeIfAbsent(key, k -> new long[1])[0]++;
                TreeSet<Long> ids = peerIds.computeIfAbsent(key, k -> new TreeSet<>());
                ids.add(r.id());
                if (ids.size() > MAX_IDS) {
                    ids.pollLast();
                }
            }
        }
    }

    /** TIME_WAIT sockets per host at the end, by address. */
    public Map<String, Long> perHost() {
        Map<String, Long> out = new TreeMap<>();
        perHost.forEach((k, v) -> out.put(k, v[0]));
        return out;
    }

    public List<Pileup> pileups() {
        List<Pileup> out = new ArrayList<>();
        perPeer.forEach((k, v) -> {
            if (v[0] >= threshold) {
                int sp = k.indexOf(' ');
                out.add(new Pileup(k.substring(0, sp), k.substring(sp + 1), v[0], threshold, List.copyOf(peerIds.get(k))));
            }
        });
        return out;
    }
}
