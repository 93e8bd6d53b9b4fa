package io.tcpscope.analyzer.tcp;

import static io.tcpscope.analyzer.tcp.EndpointMachine.apply;

import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.tcp.Cause.Detail;
import io.tcpscope.analyzer.tcp.Transition.Basis;

/**
 * Drives both endpoints' state machines from the segments of one connection, following
 * docs/state-machine.md: sending is certain; receiving needs evidence (an ACK that covers
 * it, a reaction) or is assumed when a packet was on its way and nothing contradicts it.
 * This class is the façade the pipeline calls; the rules live in named classes
 * (docs/state-machine.md):
 *
 * <p>Per segment sent by endpoint E to its peer P, in this order:
 * <ol>
 *   <li>{@link DuplicateFilter}: the capture's own copies are skipped;</li>
 *   <li>{@link RstRules}: a RST ends E at once and, when in P's window (RFC 5961 §3), P too;</li>
 *   <li>{@link AckEvidence}: E's ACK field is evidence of what E had received when it sent
 *       this segment (the peer's SYN, the peer's FIN, and bytes the capture never saw);</li>
 *   <li>{@link SynRules}, {@link SequenceRules} (classified by {@link SegmentClassifier}),
 *       {@link FinRules}: E's SYN, its sequence space (data, retransmissions, keepalives), E's FIN;</li>
 *   <li>{@link FinRules#deliverAck}: what P receives: an ACK of P's SYN or FIN is taken as
 *       delivered (P cannot ACK an ACK), and taken back if P later retransmits what it covered.</li>
 * </ol>
 * Segments from E reach P in the order E sent them: before P is taken to receive an ACK,
 * any FIN E sent earlier is taken as received first. Every state change is a cell of
 * {@link TcpTransitions}, applied by {@link EndpointMachine}; a {@link SegmentObserver} hears
 * what was decided about each segment.
 */
public final class ConnectionTracker {
    private final OsProfile profile;
    private final SegmentObserver observer;
    /** The capture's copies of segments, for every sender of this tracker's connections. */
    private final DuplicateFilter copies = new DuplicateFilter();

    public ConnectionTracker(OsProfile profile) {
        this(profile, SegmentObserver.NONE);
    }

    /** A tracker that tells {@code observer} about every segment it processes. */
    public ConnectionTracker(OsProfile profile, SegmentObserver observer) {
        this.profile = profile;
        this.observer = observer;
    }

    public OsProfile profile() {
        return profile;
    }

    /**
     * Applies one captured segment sent by {@code sender}.
     *
     * @param frame 1-based frame number
     * @param nanos capture timestamp
     */
    public void process(Connection c, Endpoint sender, TcpSegment s, long frame, long nanos) {
        Endpoint peer = c.peerOf(sender);
        if (copies.isCopy(sender, s.ipId, s.seq, s.ack, s.payloadLength, s.flags, s.hasTimestamps ? s.tsVal : -1,
                nanos)) {
            c.flag(ConnectionFlag.DUPLICATES);
            c.lastFrame = frame;
            observe(c, sender, peer, s, SegmentKind.DUPLICATE, false, frame, nanos);
            return;
        }
        if (BlindSegments.blind(sender, peer, s)) {
            // RFC 9293 §3.10.7.4: fails the sequence check, dropped whole by the receiver.
            sender.rare().blindSegments++;
            c.flag(ConnectionFlag.BLIND_SEGMENTS);
            if (s.has(TcpSegment.RST)) {
                c.flag(ConnectionFlag.RST_IGNORED); // as any RST that changes nothing
            }
            c.lastFrame = frame;
            return;
        }
        c.lastFrame = frame;
        c.endNanos = Math.max(c.endNanos, nanos);
        WiresharkCounts.count(sender, peer, s);
        sender.countSent(s.payloadLength);
        sender.notReceiving(false);
        sender.lastSendNanos = nanos;
        if (!sender.seqBaseKnown()) {
            sender.seqBase = s.seq;
            sender.seqBaseKnown(true);
        }

        if (s.has(TcpSegment.ACK)) {
            sender.lastAck = s.ack;
            sender.lastAckSeen(true);
        }
        if (AckEvidence.fromOlderSocket(sender, peer, s)) {
            // The previous incarnation's socket answering the new SYN: nothing of this one.
            observe(c, sender, peer, s, SegmentKind.EMPTY, true, frame, nanos);
            return;
        }
        if (s.has(TcpSegment.RST)) {
            if (!s.has(TcpSegment.ACK) && sender.r().bareRstFrame < 0) {
                // RFC 9293 §3.10.7.1 / Linux tcp_v4_send_reset: a host with no socket for a
                // segment that carries an ACK answers with a RST without ACK
                sender.rare().bareRstFrame = frame;
                sender.rare().peerStateAtBareRst = peer.state();
            }
            boolean accepted = RstRules.process(c, sender, peer, s, frame, nanos, profile);
            observe(c, sender, peer, s, SegmentKind.RESET, accepted, frame, nanos);
            return;
        }
        if (sender.state() == TcpState.CLOSED && RstRules.contradictsOwnReset(sender, s, nanos)) {
            // docs/passive-inference.md §8: a socket closed by its own RST sends nothing but
            // RSTs; this ACK continues its sequence space, so that RST was another host's.
            sender.retractForgedReset();
            c.flag(ConnectionFlag.FORGED_RST);
        } else if (sender.state() == TcpState.CLOSED && SegmentClassifier.advancesStream(sender, s)) {
            // A CLOSED endpoint answers everything with RST (RFC 9293 §3.10.7.1). A first FIN
            // or new data shows that what closed it (a RST taken as delivered) never reached
            // it. (A pure ACK or a resend may have been in flight when the RST arrived.)
            if (!sender.retractTentative()) {
                c.flag(ConnectionFlag.INCONSISTENT);
                sender.noteContradiction(s.has(TcpSegment.FIN) ? TcpEvent.SEND_FIN : TcpEvent.SEND_RST,
                        Detail.SENT_WHILE_CLOSED, frame, nanos);
            }
        }
        int windowBefore = sender.lastWindow();
        SequenceRules.trackWindow(c, sender, s, nanos);
        if (s.has(TcpSegment.ACK)) {
            AckEvidence.process(c, sender, peer, s, frame, nanos);
        }
        long synResendsBefore = sender.synRetransmissions();
        if (s.has(TcpSegment.SYN)) {
            SynRules.processSyn(c, sender, peer, s, frame, nanos);
        }
        SegmentKind kind = SequenceRules.processSequence(c, sender, peer, s, frame, nanos);
        if (s.has(TcpSegment.SYN) && kind == SegmentKind.EMPTY) {
            // The SYN's sequence number was placed when it was recorded: a resend when syn_retransmissions
            // counts it (not a first SYN seen after its SYN-ACK implied it, nor a simultaneous open's SYN-ACK).
            kind = sender.synRetransmissions() > synResendsBefore ? SegmentKind.RETRANSMISSION : SegmentKind.IN_ORDER;
        }
        if (s.has(TcpSegment.FIN)) {
            FinRules.processFin(c, sender, peer, s, frame, nanos);
        }
        boolean delivered = !s.has(TcpSegment.ACK) ? !peer.notReceiving()
                : FinRules.deliverAck(c, sender, peer, s.ack, frame, nanos);
        if (sender.receivedPeerFin() || sender.onlyPickup()) {
            countAfterPeerFin(sender, s, kind, windowBefore, nanos);
        }
        observe(c, sender, peer, s, kind, delivered, frame, nanos);
    }

    /**
     * What a side that has the peer's FIN still sends: data (its application writes),
     * keepalives, window updates. A mid-stream pickup nothing moved yet counts from the
     * pickup (for a host snapshot that shows the FIN came before the capture).
     */
    private static void countAfterPeerFin(Endpoint sender, TcpSegment s, SegmentKind kind, int windowBefore,
                                          long nanos) {
        if (sender.receivedPeerFin() && !sender.countsAfterPeerFin()) {
            // counted since a mid-stream pickup (a host snapshot may show the FIN came before
            // the capture); the FIN came now: count from here
            sender.countsAfterPeerFin(true);
            sender.rare().bytesAfterPeerFin = 0;
            sender.rare().keepalivesAfterPeerFin = 0;
            sender.rare().windowUpdatesAfterPeerFin = 0;
            sender.rare().lastDataAfterPeerFinNanos = -1;
            sender.rare().lastNonKeepaliveAfterPeerFinNanos = -1;
        }
        if (kind != SegmentKind.KEEPALIVE) {
            sender.rare().lastNonKeepaliveAfterPeerFinNanos = nanos;
        }
        if (kind == SegmentKind.KEEPALIVE) {
            sender.rare().keepalivesAfterPeerFin++;
        } else if (s.payloadLength > 0 || s.has(TcpSegment.FIN)) {
            sender.rare().bytesAfterPeerFin += s.payloadLength;
            sender.rare().lastDataAfterPeerFinNanos = nanos;
        } else if (windowBefore >= 0 && s.window != windowBefore && !s.has(TcpSegment.SYN)) {
            sender.rare().windowUpdatesAfterPeerFin++;
        }
    }

    private void observe(Connection c, Endpoint sender, Endpoint peer, TcpSegment s, SegmentKind kind,
                         boolean delivered, long frame, long nanos) {
        SegmentObserver o = observer;
        if (o == SegmentObserver.NONE) {
            return;
        }
        long relAck = s.has(TcpSegment.ACK) ? peer.relative(s.ack) : -1;
        o.segment(c, sender.role(), s.flags, sender.relative(s.seq), relAck, s.payloadLength, s.window, kind,
                delivered, frame, nanos);
    }

    // ---------------------------------------------------------------- end of capture

    /**
     * Settles what the capture's end implies: an endpoint never seen gets CLOSED; SYN
     * cookies and resends that stopped are recognised; timers that ran out on capture time
     * fire. A FIN never acknowledged stays unreceived: a receiver ACKs a FIN at once.
     *
     * @param captureEndNanos timestamp of the capture's last frame
     * @param lastFrame       number of the capture's last frame
     */
    public void finish(Connection c, long captureEndNanos, long lastFrame) {
        if (c.finished) {
            return;
        }
        c.finished = true;
        CaptureEndRules.recognizeSynCookie(c, captureEndNanos, profile);
        if (CaptureEndRules.oneSided(c)) {
            c.flag(ConnectionFlag.ONE_SIDED);
        }
        finish(c, c.client(), captureEndNanos, lastFrame);
        finish(c, c.server(), captureEndNanos, lastFrame);
    }

    private void finish(Connection c, Endpoint e, long captureEndNanos, long lastFrame) {
        apply(c, e, TcpEvent.CAPTURE_END, Detail.NONE, 0, 0, c.firstFrame, c.startNanos, Basis.ASSUMED);
        CaptureEndRules.fireTimers(c, e, captureEndNanos, lastFrame, profile);
    }

    /**
     * Whether segment {@code s}, on the 4-tuple of {@code c}, opens a new incarnation: a bare
     * SYN (no ACK, no RST) that is not a resend of its sender's SYN, when
     * <ul>
     *   <li>its sender already sent a SYN (or SYN-ACK) in {@code c} with another ISN: a new
     *       attempt, whatever the states (a resent SYN keeps its ISN, RFC 9293 §3.8.1, Linux
     *       tcp_retransmit_skb; a new connection picks a new one, §3.4.1; suricata-verify
     *       bug-7657-01: 24 ISNs are 24 attempts, bug-3844: a new SYN after a RST), or</li>
     *   <li>{@code c} is over (both endpoints CLOSED or in TIME_WAIT, RFC 9293 §3.10.7.4,
     *       RFC 6191).</li>
     * </ul>
     * The engine calls it for every segment of a connection it finds, before {@link #process};
     * when true it calls {@link #endIncarnation(Connection, TcpSegment, long, long)}, emits
     * {@code c} and opens a new connection for {@code s}. Pure: reads {@code c}, changes nothing.
     */
    public static boolean startsNewIncarnation(Connection c, TcpSegment s) {
        if (!s.has(TcpSegment.SYN) || s.has(TcpSegment.ACK) || s.has(TcpSegment.RST)) {
            return false;
        }
        Endpoint sender = c.isClient(s.ipVersion, s.srcHi, s.srcLo, s.srcPort) ? c.client() : c.server();
        if (sender.synSent()) {
            return s.seq != sender.isn();
        }
        return c.ended();
    }

    /**
     * The new SYN {@code s} (see {@link #startsNewIncarnation}) ends {@code c}: an endpoint in
     * TIME_WAIT leaves it by its timer if that ran out, else because of the new SYN; then the
     * SYN's sender, if its SYN had another ISN, is CLOSED by NEW_ATTEMPT wherever it still held
     * state (its earlier socket is gone). Frame and time are the new SYN's.
     */
    public void endIncarnation(Connection c, TcpSegment s, long nanos, long frame) {
        endIncarnation(c, nanos, frame);
        Endpoint sender = c.isClient(s.ipVersion, s.srcHi, s.srcLo, s.srcPort) ? c.client() : c.server();
        if (sender.synSent() && s.seq != sender.isn()) {
            apply(c, sender, TcpEvent.NEW_ATTEMPT, Detail.FRAME, frame, 0, frame, nanos, Basis.EVIDENCE);
        }
    }

    /**
     * A new SYN arrived on this 4-tuple: the old incarnation ends here. An endpoint in
     * TIME_WAIT leaves it by its timer if that ran out, else because of the new SYN.
     */
    public void endIncarnation(Connection c, long nanos, long frame) {
        CaptureEndRules.endIncarnation(c, c.client(), nanos, frame, profile);
        CaptureEndRules.endIncarnation(c, c.server(), nanos, frame, profile);
    }

    /** Marks a connection picked up mid-stream: both endpoints assumed ESTABLISHED. */
    public void startMidstream(Connection c, long frame, long nanos) {
        c.flag(ConnectionFlag.MIDSTREAM);
        for (Endpoint e : new Endpoint[] {c.client(), c.server()}) {
            apply(c, e, TcpEvent.MIDSTREAM, Detail.NONE, 0, 0, frame, nanos, Basis.ASSUMED);
            e.settle();
        }
    }

    /**
     * A host snapshot ({@code ss}) shows endpoint {@code e} of a connection picked up
     * mid-stream in {@code hostState}, and nothing in the capture moved it from the pickup's
     * assumed ESTABLISHED: the pickup is taken back and the host's state becomes its start, at
     * the pickup's frame and time, with basis {@link Basis#HOST} (cells HOST_SAYS_* of
     * {@link TcpTransitions}). Only CLOSE_WAIT and FIN_WAIT_2 are taken: the states a
     * half-close holds without a segment.
     *
     * @return whether the start was replaced
     */
    public boolean pickupFromHost(Connection c, Endpoint e, TcpState hostState) {
        TcpEvent event;
        if (hostState == TcpState.CLOSE_WAIT) {
            event = TcpEvent.HOST_SAYS_CLOSE_WAIT;
        } else if (hostState == TcpState.FIN_WAIT_2) {
            event = TcpEvent.HOST_SAYS_FIN_WAIT_2;
        } else {
            return false;
        }
        if (!c.flags().contains(ConnectionFlag.MIDSTREAM) || !e.onlyPickup()) {
            return false;
        }
        long frame = e.firstFrame();
        long nanos = e.firstNanos();
        e.retractAll();
        apply(c, e, event, Detail.NONE, 0, 0, frame, nanos, Basis.HOST);
        e.settle();
        if (hostState == TcpState.CLOSE_WAIT) {
            e.receivedPeerFin(true); // before the capture: its counters since the pickup are since the FIN
            e.countsAfterPeerFin(true);
        }
        return true;
    }

    /** Marks a connection whose SYN was missed but whose SYN-ACK was seen. */
    public void startAfterMissedSyn(Connection c, int clientIsn, long frame, long nanos) {
        c.flag(ConnectionFlag.SYN_NOT_SEEN);
        Endpoint client = c.client();
        client.recordFirstSyn(clientIsn, frame, nanos);
        apply(c, client, TcpEvent.SEND_SYN, Detail.SYN_IMPLIED, 0, 0, frame, nanos, Basis.EVIDENCE);
    }
}
