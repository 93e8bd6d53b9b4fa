package io.tcpscope.analyzer.verdict;

import java.util.List;
import java.util.Map;

/**
 * One group of {@code tcpscope stuck}: the endpoint to blame and what it holds.
 *
 * @param kind            CLOSE_WAIT (the application that does not close: the culprit of a stuck
 *                        half-close), FIN_WAIT_2 (sides left waiting whose peer is not known to be in
 *                        CLOSE_WAIT), TIME_WAIT (holders per host), SYN_RECEIVED (half-open per listener)
 * @param ip              the endpoint's address
 * @param port            its port when it is the accepting side (a service), or {@code null} for a
 *                        connecting side (grouped by host)
 * @param role            {@code server} (accepting side) or {@code client}
 * @param stuck           connections in the state at the end whose culprit has been silent for at least
 *                        {@code --stuck-after} (for TIME_WAIT and SYN_RECEIVED: all of them)
 * @param held            all connections in the state at the end (stuck or not yet)
 * @param oldestNanos     age of the oldest one's state at the capture's end (a lower bound for a state
 *                        that predates the capture)
 * @param medianNanos     median age
 * @param peers           the peers ({@code ip:port}), sorted, all of them
 * @param peerStates      what the peers hold: state name, or {@code none} (no socket any more), with counts
 * @param connections     ids of the captured connections (sockets only a host snapshot shows have none)
 * @param notCaptured     sockets only a host snapshot shows
 * @param process         the process holding the culprit's sockets ({@code ss -p}), or {@code null}
 * @param bytesSinceFin   payload bytes the culprit sent after the peer's FIN (its application wrote)
 * @param keepalives      keepalive probes it sent after the FIN (its kernel)
 * @param windowUpdates   window updates it sent after the FIN (its application read)
 * @param orphanResets    its late segments answered by RST from a peer whose orphan timed out
 * @param verdict         one line for people
 * @param next            what happens next, from the OS profile, or {@code null}
 */
public record Culprit(String kind, String ip, Integer port, String role, int stuck, int held, long oldestNanos,
                      long medianNanos, List<String> peers, Map<String, Integer> peerStates, List<Long> connections,
                      int notCaptured, String process, long bytesSinceFin, long keepalives, long windowUpdates,
                      int orphanResets, String verdict, String next) {

    public Culprit {
        peers = List.copyOf(peers);
        peerStates = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(peerStates));
        connections = List.copyOf(connections);
    }

    /** {@code ip:port} for a service, {@code ip} for a host. */
    public String endpoint() {
        String a = ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip;
        return port == null ? a : a + ":" + port;
    }

    /** Whether this is a stuck half-close (what makes {@code stuck} exit 1). */
    public boolean stuckHalfClose() {
        return (kind.equals("CLOSE_WAIT") || kind.equals("FIN_WAIT_2")) && stuck > 0;
    }
}
