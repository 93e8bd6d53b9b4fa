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
        if (sender.isDuplicate(s.ipId, s.seq, s.ack, s.payloadLength, s.flags, s.hasTimestamps ? s.tsVal : -1, nanos)) {
            c.flag(ConnectionFlag.DUPLICATES);
            c.lastFrame = frame;
            observe(c, sender, peer, s, SegmentKind.DUPLICATE, false, frame, nanos);
            return;
        }
        c.lastFrame = frame;
        c.endNanos = Math.max(c.endNanos, nanos);
        WiresharkCounts.count(sender, peer, s);
        sender.packets++;
        sender.notReceiving = false;
        sender.payloadBytes += s.payloadLength;
        sender.lastSendNanos = nanos;
        if (!sender.seqBaseKnown) {
            sender.seqBase = s.seq;
            sender.seqBaseKnown = true;
        }

        if (s.has(TcpSegment.RST)) {
            boolean accepted = RstRules.process(c, sender, peer, s, frame, nanos);
            observe(c, sender, peer, s, SegmentKind.RESET, accepted, frame, nanos);
            return;
        }
        if (sender.state() == TcpState.CLOSED && SegmentClassifier.advancesStream(sender, s)) {
            // A CLOSED endpoint answers everything with RST (RFC 9293 §3.10.7.1). A first FIN
            // or new data shows that what closed it (a RST taken as delivered) never reached
            // it. (A pure ACK or a resend may have been in flight when the RST arrived.)
            if (!sender.machine.retractTentative()) {
                c.flag(ConnectionFlag.INCONSISTENT);
            }
        }
        SequenceRules.trackWindow(c, sender, s, nanos);
        if (s.has(TcpSegment.ACK)) {
            AckEvidence.process(c, sender, peer, s, frame, nanos);
        }
        int synsBefore = sender.synCount;
        if (s.has(TcpSegment.SYN)) {
            SynRules.processSyn(c, sender, peer, s, frame, nanos);
        }
        SegmentKind kind = SequenceRules.processSequence(c, sender, peer, s, frame, nanos);
        if (s.has(TcpSegment.SYN) && kind == SegmentKind.EMPTY) {
            // The SYN's sequence number was placed when it was recorded: a first SYN is new, one again a resend.
            kind = synsBefore > 0 && sender.synCount > synsBefore ? SegmentKind.RETRANSMISSION : SegmentKind.IN_ORDER;
        }
        if (s.has(TcpSegment.FIN)) {
            FinRules.processFin(c, sender, peer, s, frame, nanos);
        }
        boolean delivered = !s.has(TcpSegment.ACK) ? !peer.notReceiving
                : FinRules.deliverAck(c, sender, peer, s.ack, frame, nanos);
        observe(c, sender, peer, s, kind, delivered, frame, nanos);
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
            e.machine.settle();
        }
    }

    /** Marks a connection whose SYN was missed but whose SYN-ACK was seen. */
    public void startAfterMissedSyn(Connection c, int clientIsn, long frame, long nanos) {
        c.flag(ConnectionFlag.SYN_NOT_SEEN);
        Endpoint client = c.client();
        client.recordFirstSyn(clientIsn, frame, nanos);
        apply(c, client, TcpEvent.SEND_SYN, Detail.SYN_IMPLIED, 0, 0, frame, nanos, Basis.EVIDENCE);
    }
}
