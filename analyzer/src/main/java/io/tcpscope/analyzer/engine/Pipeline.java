package io.tcpscope.analyzer.engine;

import io.tcpscope.analyzer.decode.DecodeResult;
import io.tcpscope.analyzer.decode.PacketDecoder;
import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.diagnosis.Diagnoser;
import io.tcpscope.analyzer.diagnosis.Diagnosis;
import io.tcpscope.analyzer.diagnosis.Evidence;
import io.tcpscope.analyzer.flow.FlowKey;
import io.tcpscope.analyzer.flow.FlowTable;
import io.tcpscope.analyzer.flow.Tombstones;
import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.ConnectionFlag;
import io.tcpscope.analyzer.tcp.ConnectionTracker;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.analyzer.tcp.SegmentKind;
import io.tcpscope.analyzer.tcp.TcpState;
import io.tcpscope.capture.Frame;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The one engine behind {@code analyze}, {@code live}, {@code bench} and the tests:
 * source &rarr; decode &rarr; flow table &rarr; per-connection lifecycle &rarr; diagnoses &rarr;
 * sink. Frames go in ({@link #onFrame}), the clock may move without a frame ({@link
 * #advanceClock}, live's ticks), and each connection comes out once, as an immutable {@link
 * ConnectionRecord}, when it is over; then the pipeline forgets it, so memory follows the
 * connections open at once, not the capture. Time is the capture's only.
 *
 * <p><b>When a record is built</b> (the {@link ConnectionRecord.End} it carries): both
 * endpoints CLOSED, or TIME_WAIT whose 2MSL ran out on capture time ({@code OVER}; a CLOSED
 * assumed on a segment still on its way counts once the connection was silent for 2MSL); a new SYN
 * on the 4-tuple ({@code NEW_INCARNATION}); silent for longer than the idle timeout ({@code
 * IDLE}); the least recently active connection when the flow table is full ({@code EVICTED},
 * flagged EVICTED; an ended connection, CLOSED or in TIME_WAIT, leaves first and unflagged);
 * or {@link #finish} ({@code CAPTURE_END}, in id order). The tracker's end-of-capture rules
 * (timers, SYN cookies, give-up) and the diagnoses are applied at that capture time: for
 * OVER and IDLE, the time the connection became due (its TIME_WAIT deadline, its last
 * segment plus the idle timeout), whenever the pipeline notices it; so analyze, which
 * notices on frames, and live, which also notices on clock ticks, build the same records.
 * Due connections are swept every {@link #SWEEP_EVERY_NANOS} of capture time (before the
 * frame that moves the clock past it is looked at), and a segment for a connection already
 * due finds it gone.
 *
 * <p><b>Tombstones.</b> The keys of connections that are over or were evicted are kept in a
 * bounded {@link Tombstones} set: a later segment on such a key is counted ({@link
 * AnalysisSummary#lateSegments()}) and starts no new connection, unless it is a SYN with a new
 * ISN, which opens a new incarnation (flagged PORT_REUSE after a connection that was over).
 *
 * <p>Records are handed over in the order connections end; ids are given in the order
 * connections were first seen. Sinks that want id order reorder ({@code report.ReorderBuffer}).
 * Nothing allocates per in-order packet.
 */
public final class Pipeline {
    /** Expiry (over, idle) is checked this often on capture time. */
    public static final long SWEEP_EVERY_NANOS = 1_000_000_000L;

    /**
     * What the lifecycle needs to know.
     *
     * @param maxConnections   flow table limit: connections held at once
     * @param idleTimeoutNanos a connection silent this long is reported and forgotten
     * @param stuckAfterNanos  silence of the CLOSE_WAIT side before STUCK_FIN_WAIT_2
     * @param tombstones       keys of finished connections remembered for their late segments
     */
    public record Settings(int maxConnections, long idleTimeoutNanos, long stuckAfterNanos, int tombstones) {
        /** Default of {@code --idle-timeout}: longer than Linux keeps an idle FIN_WAIT_2 orphan (60 s) or a SYN_RECV. */
        public static final long DEFAULT_IDLE_TIMEOUT_NANOS = 300_000_000_000L;
        /** Default of {@code --stuck-after}. */
        public static final long DEFAULT_STUCK_AFTER_NANOS = 30_000_000_000L;
        /** Fewest tombstones kept, whatever the table limit. */
        public static final int MIN_TOMBSTONES = 1 << 16;

        public Settings {
            if (maxConnections < 1 || idleTimeoutNanos <= 0 || stuckAfterNanos < 0 || tombstones < 1) {
                throw new IllegalArgumentException("settings " + maxConnections + " " + idleTimeoutNanos + " "
                        + stuckAfterNanos + " " + tombstones);
            }
        }

        /** The defaults with this table limit; tombstones: as many as the limit, at least {@link #MIN_TOMBSTONES}. */
        public static Settings of(int maxConnections, long idleTimeoutNanos, long stuckAfterNanos) {
            return new Settings(maxConnections, idleTimeoutNanos, stuckAfterNanos, Math.max(MIN_TOMBSTONES, maxConnections));
        }

        public static Settings defaults() {
            return of(FlowTable.defaultMaxConnections(), DEFAULT_IDLE_TIMEOUT_NANOS, DEFAULT_STUCK_AFTER_NANOS);
        }

        public Settings withMaxConnections(int n) {
            return of(n, idleTimeoutNanos, stuckAfterNanos);
        }
    }

    private final PacketDecoder decoder = new PacketDecoder();
    /** The slot {@link #onFrame} decodes into (one thread: the caller's). */
    private final DecodedFrame own = new DecodedFrame();
    /** The segment being processed, for the per-connection observers (valid during the call only). */
    private TcpSegment current;
    private final FlowKey key = new FlowKey();
    private final FlowKey otherKey = new FlowKey();
    private final ConnectionTracker tracker;
    private final Settings settings;
    private final Diagnoser diagnoser;
    private final RecordSink sink;
    private final AnalysisSummary summary = new AnalysisSummary();
    private final List<Connection> pending = new ArrayList<>();
    private FlowTable table;
    /**
     * Once a VLAN tag was seen: the open connections by 4-tuple alone (the latest of each),
     * so that a connection whose two directions travel on different VLANs (routed between
     * them, or tagged one way only) stays one connection, while the same 4-tuple opened
     * again on another VLAN is another.
     */
    private FlowTable aliases;
    private boolean vlanSeen;
    private final FlowKey bareKey = new FlowKey();
    private final Tombstones tombstones;
    private long nextId;
    private io.tcpscope.analyzer.verdict.HostJoin hosts;
    private long lastSweepNanos = Long.MIN_VALUE;
    private boolean finished;
    private final List<ConnectionObserver.Factory> factories;
    /** Each open connection's observers (only with factories). */
    private final java.util.IdentityHashMap<Connection, ConnectionObserver[]> observed;

    public Pipeline(OsProfile profile, Settings settings, RecordSink sink) {
        this(profile, settings, sink, List.of());
    }

    /**
     * A pipeline that gives every connection one {@link ConnectionObserver} per factory, fed
     * each of its segments, whose results its record carries. With no factory, nothing is
     * observed and nothing is made per connection or per segment.
     */
    public Pipeline(OsProfile profile, Settings settings, RecordSink sink, List<ConnectionObserver.Factory> observers) {
        this.factories = List.copyOf(observers);
        this.observed = factories.isEmpty() ? null : new java.util.IdentityHashMap<>();
        // The diagnoses' evidence is always gathered (diagnosis/Evidence, per segment, no
        // allocation); the outputs' observers only when a factory asks for them.
        Evidence evidence = new Evidence();
        this.tracker = factories.isEmpty() ? new ConnectionTracker(profile, evidence)
                : new ConnectionTracker(profile, (c, sender, flags, relSeq, relAck, length, window, kind, delivered,
                        frame, nanos) -> {
                    evidence.segment(c, sender, flags, relSeq, relAck, length, window, kind, delivered, frame, nanos);
                    observe(c, sender, flags, relSeq, relAck, length, window, kind, delivered, frame, nanos);
                });
        this.settings = settings;
        this.diagnoser = new Diagnoser(settings.stuckAfterNanos(), profile);
        this.sink = sink;
        this.table = new FlowTable(settings.maxConnections());
        this.aliases = new FlowTable(settings.maxConnections());
        this.tombstones = new Tombstones(settings.tombstones());
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Joins every record with these host snapshots ({@code --host-snapshot}): mid-stream
     * pickups take their state from the host, disagreements are HOST_DISAGREES (see
     * {@link io.tcpscope.analyzer.verdict.HostJoin}). Set before the first frame.
     */
    public Pipeline withHostSnapshots(io.tcpscope.analyzer.verdict.HostJoin join) {
        this.hosts = join;
        return this;
    }

    public AnalysisSummary summary() {
        return summary;
    }

    /** Feeds one frame. The frame's bytes are not kept. */
    public void onFrame(Frame frame) {
        own.decode(decoder, frame);
        onDecoded(own);
    }

    /**
     * Feeds one frame already decoded (by {@link DecodedFrame#decode}, possibly on another
     * thread: {@link FrameRing}); the same as {@link #onFrame} for that frame. The slot is not
     * kept.
     */
    public void onDecoded(DecodedFrame d) {
        long nanos = d.nanos;
        clock(nanos); // connections due by now leave before this frame is looked at
        summary.frames++;
        if (summary.firstNanos < 0) {
            summary.firstNanos = nanos;
        }
        summary.lastFrame = d.number;
        DecodeResult result = d.result;
        if (result != DecodeResult.TCP) {
            summary.skipped[result.ordinal()]++;
            return;
        }
        summary.tcpFrames++;
        onSegment(d.segment, d.number, nanos);
    }

    /**
     * Feeds one TCP segment decoded elsewhere, exactly as {@link #onFrame} feeds a frame that
     * decodes to {@code s} (the cluster job decodes where it reads each file and ships the
     * segments to the partition of their flow). {@code s} is not kept.
     */
    public void onDecoded(TcpSegment s, long frameNumber, long nanos) {
        clock(nanos);
        summary.frames++;
        if (summary.firstNanos < 0) {
            summary.firstNanos = nanos;
        }
        summary.lastFrame = frameNumber;
        summary.tcpFrames++;
        onSegment(s, frameNumber, nanos);
    }

    /**
     * The capture clock moved to {@code nowNanos} without a packet (live: libpcap's read
     * timeout, stamped with the same clock as packet timestamps). Connections over or idle by
     * then are emitted.
     */
    public void advanceClock(long nowNanos) {
        clock(nowNanos);
    }

    private void clock(long nanos) {
        summary.lastNanos = Math.max(summary.lastNanos, nanos);
        long now = summary.lastNanos;
        if (lastSweepNanos == Long.MIN_VALUE) {
            lastSweepNanos = now;
        } else if (now - lastSweepNanos >= SWEEP_EVERY_NANOS) {
            lastSweepNanos = now;
            sweep(now, false);
        }
    }

    /** Capture time now: the last frame's timestamp, or a later clock tick. */
    public long now() {
        return summary.lastNanos;
    }

    private void onSegment(TcpSegment s, long frameNumber, long nanos) {
        current = s;
        key.set(s.ipVersion, s.vlan, s.srcHi, s.srcLo, s.srcPort, s.dstHi, s.dstLo, s.dstPort);
        int slot = table.find(key);
        if (slot < 0 && vlanSeen) {
            slot = otherVlanSlot(s);
        } else if (s.vlan != 0 && !vlanSeen) {
            vlanSeen = true;
        }
        Connection c = slot < 0 ? null : table.get(slot);
        if (c != null && (table.ended(slot) || nanos - c.endNanos() >= settings.idleTimeoutNanos())) {
            // Over or idle before this segment, though not swept yet: it leaves first, exactly
            // as if the sweep had run at its due time.
            long due = table.ended(slot) ? table.due(slot) : dueAt(c); // an ended one's is cached
            if (due <= nanos) {
                table.remove(slot);
                unalias(c);
                expire(c, due);
                c = null;
            }
        }
        boolean bareSyn = s.has(TcpSegment.SYN) && !s.has(TcpSegment.ACK);
        boolean reused = false;
        if (c != null && ConnectionTracker.startsNewIncarnation(c, s)) {
            tracker.endIncarnation(c, s, nanos, frameNumber);
            table.remove(slot);
            unalias(c);
            emit(c, ConnectionRecord.End.NEW_INCARNATION, nanos, frameNumber);
            c = null;
            reused = true;
        }
        if (c == null) {
            if (tombstones.size() > 0) {
                byte kind = tombstones.kindOf(key);
                if (kind != 0) {
                    if (!bareSyn || tombstones.isnOf(key) == (s.seq & 0xFFFFFFFFL)) {
                        summary.lateSegments++;
                        return;
                    }
                    tombstones.remove(key);
                    reused = kind == Tombstones.OVER;
                }
            }
            slot = open(s, frameNumber, nanos);
            c = table.get(slot);
            if (reused) {
                c.flags().add(ConnectionFlag.PORT_REUSE);
            }
        }
        Endpoint sender = c.isClient(s.ipVersion, s.srcHi, s.srcLo, s.srcPort) ? c.client() : c.server();
        tracker.process(c, sender, s, frameNumber, nanos);
        boolean ended = c.ended();
        // An ended connection's due time changes only with its next segment: cached in the
        // table, so the sweep compares longs instead of asking every connection in TIME_WAIT.
        table.touch(slot, ended, !ended && probation(c), ended ? dueAt(c) : Long.MAX_VALUE);
    }

    /**
     * On probation in the flow table (its embryonic list, evicted before the established
     * ones): {@link #embryonic} (a SYN flood's half-opens), or seen in one direction only (an
     * ACK flood's or a scan's spoofed mid-stream segments, each a pickup nobody answers). A
     * connection leaves probation once both directions are seen, as a segmented LRU promotes
     * on a second hit: one-way traffic from millions of sources then pushes out its own
     * kind, never the idle established or stuck connections held beside it.
     */
    static boolean probation(Connection c) {
        return embryonic(c) || c.client().packets() == 0 || c.server().packets() == 0;
    }

    /**
     * Never established: neither endpoint is (or was) past the handshake, so the connection is
     * a SYN, a SYN-ACK and their retransmissions at most (a SYN flood's half-opens are). The
     * flow table evicts these before the established ones, as a SYN queue apart from the
     * accept queue.
     */
    static boolean embryonic(Connection c) {
        return !c.client().stateOrClosed().synchronizedState() && !c.server().stateOrClosed().synchronizedState();
    }

    /** The tracker's segment hook: hands the segment being processed to the connection's observers. */
    private void observe(Connection c, Endpoint.Role sender, int flags, long relSeq, long relAck, int length, int window,
                         SegmentKind kind, boolean delivered, long frame, long nanos) {
        ConnectionObserver[] os = observed.get(c);
        if (os != null) {
            for (ConnectionObserver o : os) {
                o.segment(sender, current, relSeq, relAck, kind, delivered, frame, nanos);
            }
        }
    }

    /** Opens a connection for this segment (making room first when the table is full); returns its slot. */
    private int open(TcpSegment s, long frameNumber, long nanos) {
        if (table.full()) {
            makeRoom();
        }
        boolean syn = s.has(TcpSegment.SYN);
        boolean ack = s.has(TcpSegment.ACK);
        boolean senderIsClient;
        boolean guessed = false;
        if (syn) {
            senderIsClient = !ack;
        } else {
            senderIsClient = guessSenderIsClient(s.srcPort, s.dstPort);
            guessed = true;
        }
        Connection c = senderIsClient
                ? new Connection(nextId++, guessed, s.ipVersion, s.srcHi, s.srcLo, s.srcPort, s.dstHi, s.dstLo, s.dstPort,
                        frameNumber, nanos)
                : new Connection(nextId++, guessed, s.ipVersion, s.dstHi, s.dstLo, s.dstPort, s.srcHi, s.srcLo, s.srcPort,
                        frameNumber, nanos);
        c.vlan(key.vlan(), senderIsClient);
        int slot = table.add(key, c);
        if (vlanSeen) {
            bareKey.set(s.ipVersion, 0, s.srcHi, s.srcLo, s.srcPort, s.dstHi, s.dstLo, s.dstPort);
            int a = aliases.find(bareKey);
            if (a >= 0) {
                aliases.remove(a);
            }
            aliases.add(bareKey, c);
        }
        summary.connections++;
        if (observed != null) {
            ConnectionObserver[] os = new ConnectionObserver[factories.size()];
            for (int i = 0; i < os.length; i++) {
                os[i] = factories.get(i).open(c);
            }
            observed.put(c, os);
        }
        if (syn && ack) {
            tracker.startAfterMissedSyn(c, s.ack - 1, frameNumber, nanos);
        } else if (!syn && !s.has(TcpSegment.RST)) {
            tracker.startMidstream(c, frameNumber, nanos);
        }
        return slot;
    }

    /**
     * The table is full: an ended connection (CLOSED or TIME_WAIT on both sides) leaves as it
     * would have anyway; else the oldest on probation ({@link #probation}: never established,
     * or seen one way only), else the least recently active one is evicted and flagged EVICTED.
     */
    private void makeRoom() {
        // First what is due by now, whether or not the periodic sweep came by since: the oldest
        // of each list (a prefix: cheap under a SYN flood).
        sweep(summary.lastNanos, true);
        if (!table.full()) {
            return;
        }
        int victim = table.evictionCandidate();
        Connection c = table.get(victim);
        boolean ended = table.ended(victim);
        table.remove(victim);
        unalias(c);
        long due = dueAt(c);
        if (due <= summary.lastNanos) {
            expire(c, due); // it was due anyway
            return;
        }
        keyOf(c, otherKey);
        tombstones.add(otherKey, ended ? Tombstones.OVER : Tombstones.EVICTED, clientIsn(c));
        if (!ended) {
            summary.evictions++;
            c.flags().add(ConnectionFlag.EVICTED);
        }
        emit(c, ended ? ConnectionRecord.End.OVER : ConnectionRecord.End.EVICTED, summary.lastNanos, summary.lastFrame);
    }

    private static long clientIsn(Connection c) {
        return c.client().synSent() ? c.client().isn() & 0xFFFFFFFFL : -1;
    }

    /**
     * For a segment whose VLAN key found nothing: the slot of the open connection with its
     * 4-tuple on other VLANs, when the segment is the other direction's (its first, not a
     * bare SYN, or one on the VLANs that direction was seen on before); else -1. Sets
     * {@link #key} to that connection's key.
     */
    private int otherVlanSlot(TcpSegment s) {
        bareKey.set(s.ipVersion, 0, s.srcHi, s.srcLo, s.srcPort, s.dstHi, s.dstLo, s.dstPort);
        int a = aliases.find(bareKey);
        if (a < 0) {
            return -1;
        }
        Connection x = aliases.get(a);
        if (x.vlan() == s.vlan || x.isClient(s.ipVersion, s.srcHi, s.srcLo, s.srcPort) == x.openedByClient()) {
            return -1; // the same direction on another VLAN: another connection
        }
        if (x.peerVlan() < 0) {
            if (s.has(TcpSegment.SYN) && !s.has(TcpSegment.ACK)) {
                return -1;
            }
            x.peerVlan(s.vlan);
        } else if (x.peerVlan() != s.vlan) {
            return -1;
        }
        keyOf(x, key);
        return table.find(key);
    }

    /** Forgets a connection that left the table from {@link #aliases}. */
    private void unalias(Connection c) {
        if (aliases.size() == 0) {
            return;
        }
        Endpoint x = c.client();
        Endpoint y = c.server();
        bareKey.set(x.ipVersion(), 0, x.addressHi(), x.addressLo(), x.port(), y.addressHi(), y.addressLo(), y.port());
        int a = aliases.find(bareKey);
        if (a >= 0 && aliases.get(a) == c) {
            aliases.remove(a);
        }
    }

    private static void keyOf(Connection c, FlowKey k) {
        Endpoint x = c.client();
        Endpoint y = c.server();
        k.set(x.ipVersion(), c.vlan(), x.addressHi(), x.addressLo(), x.port(), y.addressHi(), y.addressLo(), y.port());
    }

    /**
     * Guesses roles when no SYN was seen: a port below 1024 is the server; else a port in
     * the Linux ephemeral range (32768-60999) is the client; else the lower port is the server.
     */
    static boolean guessSenderIsClient(int srcPort, int dstPort) {
        boolean srcWellKnown = srcPort < 1024;
        boolean dstWellKnown = dstPort < 1024;
        if (srcWellKnown != dstWellKnown) {
            return dstWellKnown;
        }
        boolean srcEphemeral = srcPort >= 32768 && srcPort <= 60999;
        boolean dstEphemeral = dstPort >= 32768 && dstPort <= 60999;
        if (srcEphemeral != dstEphemeral) {
            return srcEphemeral;
        }
        return srcPort >= dstPort;
    }

    /**
     * Capture time at which the connection is due to leave: over (both endpoints CLOSED, or in
     * TIME_WAIT whose 2MSL ran out) or idle for the idle timeout, whichever comes first. A
     * CLOSED taken on assumed delivery (a RST or last ACK on its way) can still be taken back
     * by a later segment (the endpoint resends: it never got it), so it counts only once the
     * connection has been silent for 2MSL too. Depends on the connection only, not on when
     * the pipeline looks: analyze and live (which looks on clock ticks) agree.
     */
    private long dueAt(Connection c) {
        return Math.min(overAt(c), c.endNanos() + settings.idleTimeoutNanos());
    }

    private long overAt(Connection c) {
        long a = doneAt(c, c.client());
        long b = doneAt(c, c.server());
        if (a == Long.MAX_VALUE || b == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return Math.max(Math.max(a, b), c.endNanos());
    }

    private long doneAt(Connection c, Endpoint e) {
        TcpState s = e.stateOrClosed();
        long twoMsl = tracker.profile().timeWaitNanos();
        if (s == TcpState.CLOSED) {
            return e.lastTransitionAssumed() ? c.endNanos() + twoMsl : Long.MIN_VALUE;
        }
        return s == TcpState.TIME_WAIT ? e.stateSinceNanos() + twoMsl : Long.MAX_VALUE;
    }

    /**
     * Emits, in order of due time (then id), the connections due by {@code now}: every ended
     * one, or with {@code prefixOnly} those before the first ended one not due yet (both lists
     * are in order of last activity, which is nearly the order of due times).
     */
    private void sweep(long now, boolean prefixOnly) {
        pending.clear();
        table.visitEndedDue(now, prefixOnly, pending::add);
        // The active and embryonic lists are in order of last activity: stop at the first one not idle.
        long idle = settings.idleTimeoutNanos();
        java.util.function.Predicate<Connection> idleOnes = c -> {
            if (c.endNanos() + idle <= now) {
                pending.add(c);
                return true;
            }
            return false;
        };
        table.visit(false, idleOnes);
        table.visitEmbryonic(idleOnes);
        if (pending.isEmpty()) {
            return;
        }
        int n = pending.size();
        long[] dues = new long[n]; // each due time computed once, not at every comparison
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            dues[i] = dueAt(pending.get(i));
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (x, y) -> {
            int k = Long.compare(dues[x], dues[y]);
            return k != 0 ? k : Long.compare(pending.get(x).id(), pending.get(y).id());
        });
        for (Integer i : idx) {
            Connection c = pending.get(i);
            keyOf(c, otherKey);
            table.remove(table.find(otherKey));
            unalias(c);
            expire(c, dues[i]);
        }
        pending.clear();
    }

    /** Emits a connection (already out of the table) that was over or idle at {@code due}. */
    private void expire(Connection c, long due) {
        boolean over = overAt(c) <= due;
        if (over) {
            keyOf(c, otherKey);
            tombstones.add(otherKey, Tombstones.OVER, clientIsn(c));
        }
        emit(c, over ? ConnectionRecord.End.OVER : ConnectionRecord.End.IDLE, due, c.lastFrame());
    }

    /**
     * Builds and hands over the record: the tracker settles what capture time {@code at}
     * implies (timers that ran out by then, stamped with frame {@code frame}), and the
     * diagnoses are evaluated at {@code at}.
     */
    private void emit(Connection c, ConnectionRecord.End end, long at, long frame) {
        if (hosts != null) {
            hosts.correct(c, tracker);
        }
        tracker.finish(c, at, frame);
        io.tcpscope.analyzer.diagnosis.StuckRules.flag(c);
        List<Diagnosis> diagnoses = diagnoser.diagnose(c, at);
        if (hosts != null) {
            hosts.disagreements(c, at, diagnoses);
        }
        summary.records++;
        List<Object> observations = List.of();
        if (observed != null) {
            ConnectionObserver[] os = observed.remove(c);
            Object[] results = new Object[os == null ? 0 : os.length];
            for (int i = 0; i < results.length; i++) {
                results[i] = os[i].result(c);
            }
            observations = List.of(results);
        }
        sink.record(ConnectionRecord.of(c, diagnoses, end, at, observations));
    }

    /** Ends the capture: every connection still open is emitted, in id order. Idempotent. */
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        List<Connection> open = new ArrayList<>(table.size());
        table.forEach(open::add);
        open.sort(Comparator.comparingLong(Connection::id));
        table = new FlowTable(settings.maxConnections());
        aliases = new FlowTable(settings.maxConnections());
        for (int i = 0; i < open.size(); i++) {
            // Let go of each connection once emitted: with 1M open, the heap shrinks as they go.
            Connection c = open.set(i, null);
            emit(c, ConnectionRecord.End.CAPTURE_END, summary.lastNanos, summary.lastFrame);
        }
    }

    /** Connections open now. */
    public int openConnections() {
        return table.size();
    }

    /**
     * Visits the connections still open, for the diagnoses raised while they are open (live).
     * The visitor must not keep them: they change with the next frame.
     */
    public void forEachOpen(Consumer<Connection> visitor) {
        table.forEach(visitor);
    }

    /**
     * Counts the open connections by (client state, server state) into {@code pairs}
     * (indexed by {@link TcpState#ordinal()}, cleared first).
     *
     * @return how many are open
     */
    public int countOpenStates(long[][] pairs) {
        for (long[] row : pairs) {
            java.util.Arrays.fill(row, 0);
        }
        table.forEach(c -> pairs[c.client().stateOrClosed().ordinal()][c.server().stateOrClosed().ordinal()]++);
        return table.size();
    }
}
