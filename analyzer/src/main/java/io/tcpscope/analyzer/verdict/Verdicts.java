package io.tcpscope.analyzer.verdict;

import io.tcpscope.analyzer.diagnosis.Diagnosis;
import io.tcpscope.analyzer.diagnosis.DiagnosisCode;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.engine.RecordSink;
import io.tcpscope.analyzer.host.HostSnapshot;
import io.tcpscope.analyzer.host.HostSnapshots;
import io.tcpscope.analyzer.host.HostSocket;
import io.tcpscope.analyzer.report.Format;
import io.tcpscope.analyzer.tcp.ConnectionFlag;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.TcpState;
import io.tcpscope.analyzer.tcp.Transition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The verdicts of {@code tcpscope stuck} (issue 8 §1): from the records (and the host
 * snapshots' sockets the capture never saw), grouped by the endpoint to blame.
 *
 * <ul>
 *   <li><b>CLOSE_WAIT</b>: the culprit of a stuck half-close is the side in CLOSE_WAIT (it got
 *       the peer's FIN and its application never closed). Grouped by its service
 *       ({@code ip:port}) when it is the accepting side (a listener on that port in its host's
 *       snapshot; without one, the record's server role), else by its host ({@code ip}, port
 *       {@code null}: a client that never closes its pooled connections). A connection is
 *       <em>stuck</em> when the culprit has sent no data and no FIN for at least
 *       {@code --stuck-after} at the capture's end (keepalives and window updates are its
 *       kernel's, not its application's). Late segments answered by a RST without ACK from a
 *       peer that no longer has the socket ({@link DiagnosisCode#ORPHAN_RESET}) are counted
 *       with the culprit.</li>
 *   <li><b>FIN_WAIT_2</b>: sides left in FIN_WAIT_2 whose peer is not known to be in
 *       CLOSE_WAIT (the reverse view: who is kept waiting), grouped like the culprits.</li>
 *   <li><b>TIME_WAIT</b> holders per host, <b>SYN_RECEIVED</b> (half-open) per listener.</li>
 * </ul>
 * Records are kept only when they can matter (a side in one of these states, a flag or
 * diagnosis of issue 8 §3), so memory follows the problems, not the capture.
 */
public final class Verdicts implements RecordSink {
    /** Linux {@code net.ipv4.tcp_fin_timeout} default: how long an orphan stays in FIN_WAIT_2. */
    public static final long LINUX_FIN_TIMEOUT_NANOS = 60_000_000_000L;
    /** Peers listed per culprit at most. */
    public static final int MAX_PEERS = 20;

    /** A connection consistent with a half-close from before the capture, which the wire cannot show. */
    public record Possible(long id, String client, String server, long clientKeepalives, long serverKeepalives,
                           long silentNanos) {
    }

    /** What {@link #build} found. */
    public record Result(List<Culprit> culprits, List<Culprit> groups, List<Culprit> resets,
                         List<Possible> possiblyStuck, int orphanResets, int notCaptured, int notYetStuck) {

        /** Connections of stuck half-closes (the {@code stuck} of the summary). */
        public int stuck() {
            int n = 0;
            for (Culprit c : culprits) {
                n += c.kind().equals("CLOSE_WAIT") ? c.stuck() : 0;
            }
            return n;
        }

        /** Whether a stuck half-close was found (exit code 1). */
        public boolean found() {
            return culprits.stream().anyMatch(Culprit::stuckHalfClose);
        }
    }

    private final List<ConnectionRecord> kept = new ArrayList<>();

    @Override
    public void record(ConnectionRecord r) {
        if (matters(r.client()) || matters(r.server()) || r.has(ConnectionFlag.IDLE_SINCE_CAPTURE_START)
                || r.diagnoses().stream().anyMatch(d -> d.code() == DiagnosisCode.ORPHAN_RESET)) {
            kept.add(r);
        }
    }

    private static boolean matters(ConnectionRecord.Side s) {
        TcpState t = s.state();
        return t == TcpState.CLOSE_WAIT || t == TcpState.FIN_WAIT_2 || t == TcpState.TIME_WAIT
                || t == TcpState.SYN_RECEIVED;
    }

    /** One connection (or host socket) in a group. */
    private record Item(String kind, String ip, Integer port, String role, String peer, String peerState, long ageNanos,
                        long silentNanos, long id, String process, long bytes, long keepalives, long windowUpdates) {
    }

    private static final class Group {
        final List<Item> items = new ArrayList<>();
        int orphanResets;
        String kind;
        String ip;
        Integer port;
        String role;
    }

    /**
     * @param startNanos      capture time of the first frame (-1 without frames)
     * @param endNanos        the capture's end: its last frame, or the later end the file or
     *                        {@code --capture-end} gives
     * @param stuckAfterNanos silence of the culprit before a connection counts as stuck
     * @param hosts           the host snapshots joined in the pipeline, or {@code null}
     */
    public Result build(long startNanos, long endNanos, long stuckAfterNanos, HostJoin hosts) {
        Map<String, Group> groups = new LinkedHashMap<>();
        List<Possible> possible = new ArrayList<>();
        int orphanResets = 0;
        kept.sort(Comparator.comparingLong(ConnectionRecord::id));
        for (ConnectionRecord r : kept) {
            for (Endpoint.Role role : Endpoint.Role.values()) {
                ConnectionRecord.Side e = r.side(role);
                ConnectionRecord.Side p = r.side(role == Endpoint.Role.CLIENT ? Endpoint.Role.SERVER : Endpoint.Role.CLIENT);
                TcpState st = e.state();
                boolean accepting = accepting(hosts, e, r);
                if (st == TcpState.CLOSE_WAIT) {
                    long entered = enteredNanos(e);
                    long since = Math.max(entered, e.afterPeerFin().lastDataNanos());
                    add(groups, new Item("CLOSE_WAIT", e.ip(), accepting ? e.port() : null, accepting ? "server" : "client",
                            p.endpoint(), peerState(hosts, p, e), endNanos - entered, endNanos - since, r.id(),
                            process(hosts, e, p), e.afterPeerFin().bytes(), e.afterPeerFin().keepalives(),
                            e.afterPeerFin().windowUpdates()));
                } else if (st == TcpState.FIN_WAIT_2 && p.state() != TcpState.CLOSE_WAIT) {
                    long entered = enteredNanos(e);
                    add(groups, new Item("FIN_WAIT_2", e.ip(), accepting ? e.port() : null, accepting ? "server" : "client",
                            p.endpoint(), peerState(hosts, p, e), endNanos - entered, endNanos - Math.max(entered,
                            p.afterPeerFin().lastDataNanos()), r.id(), process(hosts, e, p), 0, 0, 0));
                } else if (st == TcpState.TIME_WAIT) {
                    long entered = enteredNanos(e);
                    add(groups, new Item("TIME_WAIT", e.ip(), null, accepting ? "server" : "client", p.endpoint(),
                            p.state().name(), endNanos - entered, Long.MAX_VALUE, r.id(), null, 0, 0, 0));
                } else if (st == TcpState.SYN_RECEIVED) {
                    long entered = enteredNanos(e);
                    add(groups, new Item("SYN_RECEIVED", e.ip(), e.port(), "server", p.endpoint(), p.state().name(),
                            endNanos - entered, Long.MAX_VALUE, r.id(), null, 0, 0, 0));
                }
            }
            for (Diagnosis d : r.diagnoses()) {
                if (d.code() == DiagnosisCode.ORPHAN_RESET) {
                    ConnectionRecord.Side x = r.side(d.endpoint());
                    boolean accepting = accepting(hosts, x, r);
                    Group g = group(groups, "CLOSE_WAIT", x.ip(), accepting ? x.port() : null, accepting ? "server" : "client");
                    g.orphanResets++;
                    orphanResets++;
                }
            }
            if (r.has(ConnectionFlag.IDLE_SINCE_CAPTURE_START) && r.client().state() == TcpState.ESTABLISHED
                    && r.server().state() == TcpState.ESTABLISHED) {
                possible.add(new Possible(r.id(), r.client().endpoint(), r.server().endpoint(), r.client().keepalives(),
                        r.server().keepalives(), endNanos - Math.max(startNanos, r.startNanos())));
            }
        }
        int notCaptured = 0;
        if (hosts != null) {
            notCaptured = unseen(hosts, groups, startNanos, endNanos);
        }
        List<Culprit> culprits = new ArrayList<>();
        List<Culprit> others = new ArrayList<>();
        int notYetStuck = 0;
        List<Culprit> resets = new ArrayList<>();
        List<Group> sorted = new ArrayList<>(groups.values());
        sorted.sort(Comparator.comparing((Group g) -> kindOrder(g.kind)).thenComparing(g -> g.ip)
                .thenComparingInt(g -> g.port == null ? -1 : g.port));
        for (Group g : sorted) {
            Culprit c = culprit(g, stuckAfterNanos);
            if (g.kind.equals("CLOSE_WAIT") || g.kind.equals("FIN_WAIT_2")) {
                if (c.stuck() > 0) {
                    culprits.add(c);
                } else {
                    notYetStuck += c.held(); // in the state, but silent for less than --stuck-after
                    if (c.orphanResets() > 0) {
                        resets.add(c); // no stuck connection left: what the RSTs show of it
                    }
                }
            } else {
                others.add(c);
            }
        }
        return new Result(culprits, others, resets, possible, orphanResets, notCaptured, notYetStuck);
    }

    private static int kindOrder(String kind) {
        switch (kind) {
            case "CLOSE_WAIT": return 0;
            case "FIN_WAIT_2": return 1;
            case "TIME_WAIT": return 2;
            default: return 3;
        }
    }

    /** The host sockets no captured connection joined: CLOSE-WAIT, FIN-WAIT-2, TIME-WAIT, SYN-RECV ones join their groups. */
    private static int unseen(HostJoin hosts, Map<String, Group> groups, long startNanos, long endNanos) {
        HostSnapshots all = hosts.snapshots();
        long span = startNanos < 0 ? 0 : endNanos - startNanos;
        Set<HostSocket> consumed = Collections.newSetFromMap(new IdentityHashMap<>());
        List<HostJoin.Unseen> unseen = hosts.unmatched();
        for (HostJoin.Unseen u : unseen) {
            HostSocket s = u.socket();
            if (s.state() == TcpState.CLOSE_WAIT) {
                Optional<HostSnapshots.Seen> reverse = reverse(all, s);
                reverse.ifPresent(x -> consumed.add(x.socket()));
            }
        }
        int n = 0;
        for (HostJoin.Unseen u : unseen) {
            HostSocket s = u.socket();
            if (s.state() == null || consumed.contains(s)) {
                continue;
            }
            boolean accepting = u.snapshot().listenerFor(s.local().ipVersion(), s.local().hi(), s.local().lo(),
                    s.local().port()).isPresent();
            long silent = Math.max(span, s.lastSendMillis().orElse(0) * 1_000_000L);
            String peer = s.peer().toString();
            switch (s.state()) {
                case CLOSE_WAIT:
                    add(groups, new Item("CLOSE_WAIT", s.local().ip(), accepting ? s.local().port() : null,
                            accepting ? "server" : "client", peer, reverseState(all, s), silent, silent, -1,
                            s.process(), 0, 0, 0));
                    n++;
                    break;
                case FIN_WAIT_2:
                    add(groups, new Item("FIN_WAIT_2", s.local().ip(), accepting ? s.local().port() : null,
                            accepting ? "server" : "client", peer, reverseState(all, s), span, span, -1, s.process(),
                            0, 0, 0));
                    n++;
                    break;
                case TIME_WAIT:
                    add(groups, new Item("TIME_WAIT", s.local().ip(), null, accepting ? "server" : "client", peer,
                            reverseState(all, s), span, Long.MAX_VALUE, -1, null, 0, 0, 0));
                    n++;
                    break;
                case SYN_RECEIVED:
                    add(groups, new Item("SYN_RECEIVED", s.local().ip(), s.local().port(), "server", peer,
                            reverseState(all, s), span, Long.MAX_VALUE, -1, null, 0, 0, 0));
                    n++;
                    break;
                default:
                    break;
            }
        }
        return n;
    }

    private static Optional<HostSnapshots.Seen> reverse(HostSnapshots all, HostSocket s) {
        return all.latest(s.peer().ipVersion(), s.peer().hi(), s.peer().lo(), s.peer().port(), s.local().ipVersion(),
                s.local().hi(), s.local().lo(), s.local().port());
    }

    /** The peer's state in the snapshots: its state, {@code none} when its host's snapshot lacks it, else {@code unknown}. */
    private static String reverseState(HostSnapshots all, HostSocket s) {
        Optional<HostSnapshots.Seen> r = reverse(all, s);
        if (r.isPresent() && r.get().socket().state() != null) {
            return r.get().socket().state().name();
        }
        return covers(all, s.peer().ipVersion(), s.peer().hi(), s.peer().lo()) ? "none" : "unknown";
    }

    /** Whether some snapshot is of the host with this address (a socket of it has the address as its local end). */
    static boolean covers(HostSnapshots all, int version, long hi, long lo) {
        for (HostSnapshot snap : all.snapshots()) {
            for (HostSocket x : snap.sockets()) {
                if (x.local().ipVersion() == version && x.local().hi() == hi && x.local().lo() == lo) {
                    return true;
                }
            }
        }
        return false;
    }

    private static long enteredNanos(ConnectionRecord.Side e) {
        List<Transition> t = e.timeline();
        return t.isEmpty() ? -1 : t.get(t.size() - 1).timestampNanos();
    }

    /** Whether the side is the accepting one: its host's snapshot has a listener on its port; else its record's role. */
    private static boolean accepting(HostJoin hosts, ConnectionRecord.Side e, ConnectionRecord r) {
        if (hosts != null) {
            for (HostSnapshot snap : hosts.snapshots().snapshots()) {
                if (covers(snap, e)) {
                    return snap.listenerFor(e.ipVersion(), e.addressHi(), e.addressLo(), e.port()).isPresent();
                }
            }
        }
        return e.role() == Endpoint.Role.SERVER;
    }

    private static boolean covers(HostSnapshot snap, ConnectionRecord.Side e) {
        for (HostSocket x : snap.sockets()) {
            if (x.local().ipVersion() == e.ipVersion() && x.local().hi() == e.addressHi()
                    && x.local().lo() == e.addressLo()) {
                return true;
            }
        }
        return false;
    }

    /** The peer's state: its host's snapshot when one has it (or lacks it: {@code none}), else the capture's. */
    private static String peerState(HostJoin hosts, ConnectionRecord.Side p, ConnectionRecord.Side e) {
        if (hosts != null) {
            Optional<HostSnapshots.Seen> s = hosts.snapshots().latest(p.ipVersion(), p.addressHi(), p.addressLo(),
                    p.port(), e.ipVersion(), e.addressHi(), e.addressLo(), e.port());
            if (s.isPresent() && s.get().socket().state() != null) {
                return s.get().socket().state().name();
            }
            if (covers(hosts.snapshots(), p.ipVersion(), p.addressHi(), p.addressLo())) {
                return "none";
            }
        }
        List<Transition> t = p.timeline();
        if (t.size() == 1 && t.get(0).basis() == Transition.Basis.ASSUMED && p.state() == TcpState.ESTABLISHED) {
            return "unknown"; // only a mid-stream pickup's assumption
        }
        return p.state() == TcpState.CLOSED ? "none" : p.state().name();
    }

    private static String process(HostJoin hosts, ConnectionRecord.Side e, ConnectionRecord.Side p) {
        if (hosts == null) {
            return null;
        }
        return hosts.snapshots().latest(e.ipVersion(), e.addressHi(), e.addressLo(), e.port(), p.ipVersion(),
                p.addressHi(), p.addressLo(), p.port()).map(s -> s.socket().process()).orElse(null);
    }

    private static void add(Map<String, Group> groups, Item item) {
        group(groups, item.kind(), item.ip(), item.port(), item.role()).items.add(item);
    }

    private static Group group(Map<String, Group> groups, String kind, String ip, Integer port, String role) {
        return groups.computeIfAbsent(kind + " " + ip + " " + port, k -> {
            Group g = new Group();
            g.kind = kind;
            g.ip = ip;
            g.port = port;
            g.role = role;
            return g;
        });
    }

    private static Culprit culprit(Group g, long stuckAfterNanos) {
        List<Item> items = g.items;
        int stuck = 0;
        List<Long> ages = new ArrayList<>();
        List<String> peers = new ArrayList<>();
        Map<String, Integer> peerStates = new TreeMap<>();
        List<Long> ids = new ArrayList<>();
        int notCaptured = 0;
        String process = null;
        long bytes = 0;
        long keepalives = 0;
        long windowUpdates = 0;
        for (Item i : items) {
            if (i.silentNanos() >= stuckAfterNanos) {
                stuck++;
            }
            ages.add(i.ageNanos());
            peers.add(i.peer());
            peerStates.merge(i.peerState(), 1, Integer::sum);
            if (i.id() >= 0) {
                ids.add(i.id());
            } else {
                notCaptured++;
            }
            if (process == null) {
                process = i.process();
            }
            bytes += i.bytes();
            keepalives += i.keepalives();
            windowUpdates += i.windowUpdates();
        }
        Collections.sort(ages);
        Collections.sort(peers);
        long oldest = ages.isEmpty() ? 0 : ages.get(ages.size() - 1);
        long median = ages.isEmpty() ? 0 : ages.size() % 2 == 1 ? ages.get(ages.size() / 2)
                : (ages.get(ages.size() / 2 - 1) + ages.get(ages.size() / 2)) / 2;
        String endpoint = new Culprit(g.kind, g.ip, g.port, g.role, 0, 0, 0, 0, List.of(), Map.of(), List.of(), 0,
                null, 0, 0, 0, 0, "", null).endpoint();
        String verdict;
        String next = null;
        String peerPhrase = peerPhrase(peerStates);
        switch (g.kind) {
            case "CLOSE_WAIT": {
                String who = g.port != null ? endpoint : endpoint + " (connecting side, e.g. a client's connection pool)";
                if (items.isEmpty()) {
                    verdict = endpoint + ": " + g.orphanResets + " late segment" + (g.orphanResets == 1 ? " was" : "s were")
                            + " answered by RST from peers that had closed and gone (orphaned FIN_WAIT_2): its"
                            + " application had left those connections in CLOSE_WAIT";
                } else {
                    verdict = who + " left " + items.size() + (items.size() == 1 ? " connection" : " connections")
                            + (g.port == null ? " to " + services(peers) : "") + " in CLOSE_WAIT (oldest "
                            + Format.seconds(oldest) + "): its application is not closing sockets; " + peerPhrase;
                    if (stuck < items.size()) {
                        verdict += "; " + (items.size() - stuck) + " of them silent for less than --stuck-after";
                    }
                    if (stuck == 0) {
                        verdict = endpoint + ": " + items.size() + " in CLOSE_WAIT, silent for less than --stuck-after"
                                + (g.orphanResets > 0 ? "; " + g.orphanResets + " late segments answered by RST" : "");
                    }
                }
                next = "next: a peer that closed with close() (orphaned) drops its FIN_WAIT_2 after tcp_fin_timeout"
                        + " (Linux " + LINUX_FIN_TIMEOUT_NANOS / 1_000_000_000L + " s) and answers the culprit's next"
                        + " segment with RST; CLOSE_WAIT stays until the application closes the socket";
                if (g.orphanResets > 0) {
                    next += "; the capture shows " + g.orphanResets + " such RST" + (g.orphanResets == 1 ? "" : "s")
                            + " (ORPHAN_RESET): those peers were orphaned and gone";
                }
                break;
            }
            case "FIN_WAIT_2":
                verdict = endpoint + " is kept waiting in FIN_WAIT_2 on " + items.size()
                        + (items.size() == 1 ? " connection" : " connections") + " (oldest " + Format.seconds(oldest)
                        + "): it closed, its peers " + services(peers) + " never sent their FIN; " + peerPhrase;
                next = "next: an orphaned FIN_WAIT_2 (closed with close()) is dropped after tcp_fin_timeout (Linux "
                        + LINUX_FIN_TIMEOUT_NANOS / 1_000_000_000L + " s); one half-closed with shutdown() waits for"
                        + " the peer's FIN";
                break;
            case "TIME_WAIT":
                verdict = endpoint + " holds " + items.size() + " TIME_WAIT socket" + (items.size() == 1 ? "" : "s")
                        + " (it closed first) toward " + services(peers);
                break;
            default:
                verdict = endpoint + " has " + items.size() + " half-open connection" + (items.size() == 1 ? "" : "s")
                        + " in SYN_RECEIVED (oldest " + Format.seconds(oldest) + "): SYN-ACKs never acknowledged";
                break;
        }
        return new Culprit(g.kind, g.ip, g.port, g.role, stuck, items.size(), oldest, median, peers, peerStates, ids,
                notCaptured, process, bytes, keepalives, windowUpdates, g.orphanResets, verdict, next);
    }

    private static String peerPhrase(Map<String, Integer> states) {
        if (states.size() == 1) {
            String s = states.keySet().iterator().next();
            if (s.equals("none")) {
                return "the peers no longer have these connections (orphans that timed out)";
            }
            if (s.equals("unknown")) {
                return "the peers' state is not known (give the peers' host snapshot)";
            }
            return "the peers are in " + s;
        }
        StringBuilder sb = new StringBuilder("the peers:");
        String sep = " ";
        for (Map.Entry<String, Integer> e : states.entrySet()) {
            sb.append(sep).append(e.getValue()).append(' ').append(e.getKey());
            sep = ", ";
        }
        return sb.toString();
    }

    /** The distinct peers' services ({@code ip:port}, or the hosts when the ports differ), at most a few. */
    private static String services(List<String> peers) {
        List<String> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(peers));
        if (distinct.size() > 3) {
            return distinct.size() + " peers";
        }
        return String.join(", ", distinct);
    }
}
