package io.tcpscope.analyzer.diagnosis;

import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.report.Format;
import io.tcpscope.analyzer.tcp.ConnectionFlag;
import io.tcpscope.analyzer.tcp.TcpState;
import io.tcpscope.analyzer.tcp.Transition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * SYN_FLOOD, one per listener, made from the records: a listener (an {@code ip:port} seen
 * answering a SYN with a SYN-ACK) that got at least {@link #MIN_ATTEMPTS} handshakes that
 * never completed (server left in SYN_RECEIVED, answered with a SYN cookie, or the SYN
 * unanswered: the queue was full) whose SYNs arrived within {@link #WINDOW_NANOS} of each
 * other. Linux starts SYN cookies when its SYN queue (tcp_max_syn_backlog, at most the
 * listen backlog) overflows; 64 unfinished handshakes in 10 s is far beyond what lost
 * final ACKs or impatient clients produce.
 */
public final class SynFloods {
    /** Fewest never-completed handshakes to one listener, within {@link #WINDOW_NANOS}, for a flood. */
    public static final int MIN_ATTEMPTS = 64;
    /** The window the attempts must fall in: 10 s. */
    public static final long WINDOW_NANOS = 10_000_000_000L;
    /** Distinct sources counted per listener; beyond, the count says "at least". */
    public static final int MAX_SOURCES = 1 << 16;
    /** Connection ids kept per listener. */
    public static final int MAX_IDS = 100;

    private static final long SECOND = 1_000_000_000L;

    /** One listener's flood. */
    public record Flood(String listener, String ip, int port, long attempts, long halfOpen, long gaveUp, long synCookies,
                        long unanswered, long synAckRetransmissions, long sources, boolean sourcesCapped,
                        long firstSynNanos, long lastSynNanos, double synsPerSecond, long peakInWindow,
                        List<Long> connections) {
        /** Whether the server answered some SYNs with SYN cookies (net.ipv4.tcp_syncookies took over). */
        public boolean cookiesInUse() {
            return synCookies > 0;
        }

        public String message() {
            return "listener " + listener + ": " + attempts + " handshakes never completed in "
                    + Format.seconds(lastSynNanos - firstSynNanos) + " (" + String.format(java.util.Locale.ROOT, "%.0f",
                    synsPerSecond) + " SYN/s) from " + (sourcesCapped ? "at least " : "") + sources + " sources; "
                    + halfOpen + " half-open, " + gaveUp + " given up by the server, " + synCookies + " answered with SYN cookies (cookies "
                    + (cookiesInUse() ? "in use" : "not in use") + "), " + unanswered + " unanswered; "
                    + synAckRetransmissions + " SYN-ACK retransmissions";
        }
    }

    private static final class Listener {
        String ip;
        int port;
        boolean answers;
        long attempts;
        long halfOpen;
        long gaveUp;
        long cookies;
        long unanswered;
        long synAckRetransmissions;
        final Set<String> sources = new HashSet<>();
        boolean sourcesCapped;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        final TreeMap<Long, long[]> perSecond = new TreeMap<>();
        final TreeSet<Long> ids = new TreeSet<>();
    }

    private final Map<String, Listener> listeners = new LinkedHashMap<>();

    /** Whether the side reached ESTABLISHED at some point. */
    private static boolean established(ConnectionRecord.Side s) {
        for (Transition t : s.timeline()) {
            if (t.state() == TcpState.ESTABLISHED) {
                return true;
            }
        }
        return false;
    }

    /** Takes one record into account. */
    public void add(ConnectionRecord r) {
        ConnectionRecord.Side client = r.client();
        ConnectionRecord.Side server = r.server();
        if (r.roleGuessed() || !client.activeOpener() || server.activeOpener() || r.has(ConnectionFlag.REFUSED)) {
            return;
        }
        boolean answered = server.synSent();
        if (!answered && server.packets() > 0) {
            return;
        }
        String key = server.endpoint();
        Listener l = listeners.get(key);
        if (l == null) {
            l = new Listener();
            l.ip = server.ip();
            l.port = server.port();
            listeners.put(key, l);
        }
        l.answers |= answered;
        if (established(server) || established(client)) {
            return;
        }
        l.attempts++;
        if (r.has(ConnectionFlag.SYN_COOKIE)) {
            l.cookies++;
        } else if (!answered) {
            l.unanswered++;
        } else if (server.state() == TcpState.SYN_RECEIVED) {
            l.halfOpen++;
        } else {
            l.gaveUp++;
        }
        l.synAckRetransmissions += server.synAckRetransmissions();
        if (l.sources.size() < MAX_SOURCES) {
            l.sources.add(client.ip());
        } else if (!l.sources.contains(client.ip())) {
            l.sourcesCapped = true;
        }
        long t = r.startNanos();
        l.first = Math.min(l.first, t);
        l.last = Math.max(l.last, t);
        l.perSecond.computeIfAbsent(Math.floorDiv(t, SECOND), k -> new long[1])[0]++;
        l.ids.add(r.id());
        if (l.ids.size() > MAX_IDS) {
            l.ids.pollLast();
        }
    }

    /** Most attempts whose SYNs fall in one window of {@link #WINDOW_NANOS} (by whole seconds). */
    private static long peak(Listener l) {
        long best = 0;
        long sum = 0;
        long windowSeconds = WINDOW_NANOS / SECOND;
        java.util.ArrayDeque<long[]> in = new java.util.ArrayDeque<>();
        for (Map.Entry<Long, long[]> e : l.perSecond.entrySet()) {
            in.addLast(new long[] {e.getKey(), e.getValue()[0]});
            sum += e.getValue()[0];
            while (in.peekFirst()[0] <= e.getKey() - windowSeconds) {
                sum -= in.pollFirst()[1];
            }
            best = Math.max(best, sum);
        }
        return best;
    }

    /** The listeners under a SYN flood, in the order they were first seen. */
    public List<Flood> floods() {
        List<Flood> out = new ArrayList<>();
        for (Map.Entry<String, Listener> e : listeners.entrySet()) {
            Listener l = e.getValue();
            if (!l.answers || l.attempts < MIN_ATTEMPTS) {
                continue;
            }
            long peak = peak(l);
            if (peak < MIN_ATTEMPTS) {
                continue;
            }
            double span = Math.max(l.last - l.first, 1_000_000L) / 1e9;
            out.add(new Flood(e.getKey(), l.ip, l.port, l.attempts, l.halfOpen, l.gaveUp, l.cookies, l.unanswered,
                    l.synAckRetransmissions, l.sources.size(), l.sourcesCapped, l.first, l.last, l.attempts / span, peak,
                    List.copyOf(l.ids)));
        }
        return out;
    }
}
