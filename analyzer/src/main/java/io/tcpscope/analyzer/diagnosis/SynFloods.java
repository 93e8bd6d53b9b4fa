package io.tcpscope.analyzer.diagnosis;

import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.report.Format;
import io.tcpscope.analyzer.tcp.ConnectionFlag;
import io.tcpscope.analyzer.tcp.TcpState;
import io.tcpscope.analyzer.tcp.Transition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    /**
     * Distinct sources counted exactly per listener; beyond, the count is a HyperLogLog
     * estimate ({@link DistinctCounter}, standard error 0.4%) and says "about ... (estimated)".
     */
    public static final int MAX_SOURCES = 1 << 16;
    /** Connection ids kept per listener. */
    public static final int MAX_IDS = 100;

    private static final long SECOND = 1_000_000_000L;
    /**
     * When a listener with a request socket resends its SYN-ACK (Linux: 1 s). A record built
     * sooner (a flood's half-open evicted from a full table) with one SYN-ACK cannot tell a
     * request socket from a SYN cookie: {@link Flood#undecided}.
     */
    static final long SYN_ACK_RESENT_AFTER_NANOS = io.tcpscope.analyzer.tcp.OsProfile.LINUX.synAckFirstRetransmitNanos();

    /**
     * One listener's flood. Every attempt is one of {@code halfOpen}, {@code gaveUp}, {@code
     * synCookies}, {@code unanswered} or {@code undecided}: answered once and reported (evicted
     * from a full flow table) less than {@link #SYN_ACK_RESENT_AFTER_NANOS} after its SYN, before a
     * resent SYN-ACK (a request socket) or none (a SYN cookie) could show which it was.
     */
    public record Flood(String listener, String ip, int port, long attempts, long halfOpen, long gaveUp, long synCookies,
                        long unanswered, long synAckRetransmissions, long sources, boolean sourcesCapped,
                        long firstSynNanos, long lastSynNanos, double synsPerSecond, long peakInWindow,
                        List<Long> connections, long undecided) {
        /** Whether {@link #sources} is an estimate (more than {@link #MAX_SOURCES} distinct sources). */
        public boolean sourcesEstimated() {
            return sourcesCapped;
        }

        /** The source count as the message says it: "1234", or "about 10.0 M ... (estimated)" past {@link #MAX_SOURCES}. */
        public String sourcesText() {
            if (!sourcesCapped) {
                return sources + " sources";
            }
            String n = sources >= 1_000_000 ? String.format(java.util.Locale.ROOT, "%.1f M", sources / 1e6)
                    : String.format(java.util.Locale.ROOT, "%.1f k", sources / 1e3);
            return "about " + n + " sources (estimated)";
        }

        /** Whether the server answered some SYNs with SYN cookies (net.ipv4.tcp_syncookies took over). */
        public boolean cookiesInUse() {
            return synCookies > 0;
        }

        public String message() {
            return "listener " + listener + ": " + attempts + " handshakes never completed in "
                    + Format.seconds(lastSynNanos - firstSynNanos) + " (" + String.format(java.util.Locale.ROOT, "%.0f",
                    synsPerSecond) + " SYN/s) from " + sourcesText() + "; "
                    + halfOpen + " half-open, " + gaveUp + " given up by the server, " + synCookies + " answered with SYN cookies (cookies "
                    + (cookiesInUse() ? "in use" : "not in use") + "), " + (undecided == 0 ? "" : undecided
                    + " answered and reported before a resent SYN-ACK could tell a half-open from a cookie, ")
                    + unanswered + " unanswered; "
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
        long undecided;
        long synAckRetransmissions;
        final DistinctCounter sources = new DistinctCounter(MAX_SOURCES);
        /** Recognised as flooded by the records so far (sticky): {@link #inFlood} holds from then on. */
        boolean flooded;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        final TreeMap<Long, long[]> perSecond = new TreeMap<>();
        final TreeSet<Long> ids = new TreeSet<>();
    }

    private final Map<String, Listener> listeners = new LinkedHashMap<>();
    /** Listeners never seen answering a SYN (they cannot be flooded yet). */
    private int silent;
    /**
     * Endpoints kept that were sent SYNs but never answered one: beyond, the oldest of them are
     * forgotten (a quarter at a time), so SYNs sprayed over many addresses and ports that
     * never answer (a scan, a flood of random destinations) cannot fill the heap. An endpoint
     * forgotten that answers later starts its count then. Those that answered are all kept.
     */
    public static final int MAX_SILENT_LISTENERS = 1 << 12;

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
            silent++;
        }
        boolean answersNow = !l.answers && answered;
        l.answers |= answered;
        if (answersNow) {
            silent--;
        } else if (!l.answers && silent > MAX_SILENT_LISTENERS) {
            forgetSilent();
        }
        if (established(server) || established(client)) {
            if (answersNow && !l.flooded && l.attempts >= MIN_ATTEMPTS) {
                l.flooded = peak(l) >= MIN_ATTEMPTS;
            }
            return;
        }
        l.attempts++;
        if (r.has(ConnectionFlag.SYN_COOKIE)) {
            l.cookies++;
        } else if (!answered) {
            l.unanswered++;
        } else if (server.state() == TcpState.SYN_RECEIVED && server.synAckRetransmissions() == 0
                && r.builtNanos() - r.startNanos() < SYN_ACK_RESENT_AFTER_NANOS) {
            l.undecided++; // a full table let it go before its SYN-ACK was due again (HalfOpenRule says nothing either)
        } else if (server.state() == TcpState.SYN_RECEIVED) {
            l.halfOpen++;
        } else {
            l.gaveUp++;
        }
        l.synAckRetransmissions += server.synAckRetransmissions();
        l.sources.add(client.ip());
        long t = r.startNanos();
        l.first = Math.min(l.first, t);
        l.last = Math.max(l.last, t);
        long second = Math.floorDiv(t, SECOND);
        l.perSecond.computeIfAbsent(second, k -> new long[1])[0]++;
        l.ids.add(r.id());
        if (l.ids.size() > MAX_IDS) {
            l.ids.pollLast();
        }
        if (!l.flooded && l.answers && l.attempts >= MIN_ATTEMPTS) {
            l.flooded = answersNow ? peak(l) >= MIN_ATTEMPTS : peakAround(l, second) >= MIN_ATTEMPTS;
        }
    }

    /** Listeners held now (tests: the bound). */
    int listenersHeld() {
        return listeners.size();
    }

    /** Forgets the oldest never-answering listeners, down to three quarters of {@link #MAX_SILENT_LISTENERS}. */
    private void forgetSilent() {
        java.util.Iterator<Listener> it = listeners.values().iterator();
        while (silent > MAX_SILENT_LISTENERS * 3 / 4 && it.hasNext()) {
            if (!it.next().answers) {
                it.remove();
                silent--;
            }
        }
    }

    /** The never-completed handshake a record is to its listener, or null (the predicate {@link #add} counts by). */
    private Listener attemptOn(ConnectionRecord r) {
        ConnectionRecord.Side client = r.client();
        ConnectionRecord.Side server = r.server();
        if (r.roleGuessed() || !client.activeOpener() || server.activeOpener() || r.has(ConnectionFlag.REFUSED)) {
            return null;
        }
        if (!server.synSent() && server.packets() > 0) {
            return null;
        }
        if (established(server) || established(client)) {
            return null;
        }
        return listeners.get(server.endpoint());
    }

    /**
     * Whether this record, already {@link #add added}, is a never-completed handshake to a
     * listener recognised as flooded by the records added so far (it included). Once a
     * listener is recognised it stays so: a report folds its further half-opens from then on.
     */
    public boolean inFlood(ConnectionRecord r) {
        Listener l = attemptOn(r);
        if (l == null && orphanSynAck(r)) {
            l = listeners.get(r.server().endpoint());
        }
        return l != null && l.flooded;
    }

    /**
     * A SYN-ACK (and its retransmissions) whose SYN the capture did not show in this
     * connection and to which nothing came back: under a flood, a retransmission from the
     * listener's SYN queue after its half-open left a full flow table (and its tombstone the
     * tombstone ring). Not counted as an attempt (its SYN was, in the connection it left), but
     * part of the flood for {@link #inFlood}.
     */
    private static boolean orphanSynAck(ConnectionRecord r) {
        ConnectionRecord.Side client = r.client();
        ConnectionRecord.Side server = r.server();
        return !r.roleGuessed() && server.synSent() && !server.activeOpener() && client.packets() == 0
                && !established(server) && !established(client);
    }

    /** Most attempts in one window of {@link #WINDOW_NANOS} (whole seconds) that contains {@code second}. */
    private static long peakAround(Listener l, long second) {
        long w = WINDOW_NANOS / SECOND;
        long best = 0;
        for (long start = second - w + 1; start <= second; start++) {
            long sum = 0;
            for (long[] n : l.perSecond.subMap(start, true, start + w - 1, true).values()) {
                sum += n[0];
            }
            best = Math.max(best, sum);
        }
        return best;
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
                    l.synAckRetransmissions, l.sources.count(), l.sources.estimated(), l.first, l.last, l.attempts / span, peak,
                    List.copyOf(l.ids), l.undecided));
        }
        return out;
    }
}
