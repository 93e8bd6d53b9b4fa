package io.tcpscope.analyzer.tcp;

import static io.tcpscope.analyzer.reassembly.SeqNum.ge;
import static io.tcpscope.analyzer.reassembly.SeqNum.gt;
import static io.tcpscope.analyzer.reassembly.SeqNum.lt;

import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.reassembly.HalfStream;
import io.tcpscope.analyzer.tcp.Transition.Basis;

/**
 * Drives both endpoints' state machines from the segments of one connection, following
 * PASSIVE-INFERENCE.md: sending is certain; receiving needs evidence (an ACK that covers
 * it, a reaction) or is assumed when a packet was on its way and nothing contradicts it.
 *
 * <p>Per segment sent by endpoint E to its peer P, in this order:
 * <ol>
 *   <li>a RST ends E at once and, when in P's window (RFC 5961 §3), P too;</li>
 *   <li>E's ACK field is evidence of what E had received when it sent this segment
 *       (the peer's SYN, the peer's FIN, and bytes the capture never saw);</li>
 *   <li>E's SYN, its sequence space (data, retransmissions, keepalives), E's FIN;</li>
 *   <li>what P receives: an ACK of P's SYN or FIN is taken as delivered (P cannot ACK an
 *       ACK), and taken back if P later retransmits what it covered.</li>
 * </ol>
 * Segments from E reach P in the order E sent them: before P is taken to receive an ACK,
 * any FIN E sent earlier is taken as received first.
 */
public final class ConnectionTracker {
    private final OsProfile profile;

    public ConnectionTracker(OsProfile profile) {
        this.profile = profile;
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
            return;
        }
        c.lastFrame = frame;
        c.endNanos = Math.max(c.endNanos, nanos);
        sender.packets++;
        sender.notReceiving = false;
        sender.payloadBytes += s.payloadLength;
        sender.lastSendNanos = nanos;
        sender.lastSendFrame = frame;

        if (s.has(TcpSegment.RST)) {
            processRst(c, sender, peer, s, frame, nanos);
            return;
        }
        if (sender.state() == TcpState.CLOSED && advancesStream(sender, s)) {
            // A CLOSED endpoint answers everything with RST (RFC 9293 §3.10.7.1). A first FIN
            // or new data shows that what closed it (a RST taken as delivered) never reached
            // it. (A pure ACK or a resend may have been in flight when the RST arrived.)
            if (!sender.retractTentative()) {
                c.flag(ConnectionFlag.INCONSISTENT);
            }
        }
        trackWindow(c, sender, s, nanos);
        if (s.has(TcpSegment.ACK)) {
            ackEvidence(c, sender, peer, s, frame, nanos);
        }
        if (s.has(TcpSegment.SYN)) {
            processSyn(c, sender, peer, s, frame, nanos);
        }
        processSequence(c, sender, peer, s, frame, nanos);
        if (s.has(TcpSegment.FIN)) {
            processFin(c, sender, peer, s, frame, nanos);
        }
        if (s.has(TcpSegment.ACK)) {
            deliverAck(c, sender, peer, s.ack, frame, nanos);
        }
    }

    /** Whether the segment uses sequence space its sender never used before: a first FIN or new data. */
    private static boolean advancesStream(Endpoint e, TcpSegment s) {
        if (s.has(TcpSegment.FIN) && !e.finSent) {
            return true;
        }
        return s.payloadLength > 0 && e.sent.started() && gt(s.seq + s.payloadLength, e.sent.highestEnd());
    }

    // ---------------------------------------------------------------- state changes

    /** Looks the event up in {@link TcpTransitions} and applies it; an unknown state counts as CLOSED. */
    private static boolean apply(Endpoint e, TcpEvent event, String detail, long frame, long nanos, Basis basis) {
        TcpTransitions.Cell cell = TcpTransitions.lookup(event, e.stateOrClosed());
        if (cell == null) {
            return false;
        }
        String cause = detail == null ? cell.reason() : cell.reason() + " " + detail;
        return e.transition(cell.next(), cause, frame, nanos, basis);
    }

    // ---------------------------------------------------------------- RST

    private void processRst(Connection c, Endpoint e, Endpoint p, TcpSegment s, long frame, long nanos) {
        e.rstSent = true;
        c.flag(ConnectionFlag.RESET);
        TcpState before = e.state();
        if (before == null) {
            // RFC 9293 §3.10.7.1: a closed port answers with RST.
            String why = p.state() == TcpState.SYN_SENT ? "sent RST to SYN: no listener" : "sent RST: no connection";
            e.transition(TcpState.CLOSED, why, frame, nanos, Basis.SEEN);
        } else if (before != TcpState.CLOSED) {
            apply(e, TcpEvent.SEND_RST, null, frame, nanos, Basis.SEEN);
        }
        TcpState ps = p.state();
        if (ps == TcpState.SYN_SENT) {
            // §3.10.7.3: in SYN-SENT a RST is acceptable only if it ACKs our SYN.
            if (s.has(TcpSegment.ACK) && p.synSent && s.ack == p.isn + 1) {
                c.flag(ConnectionFlag.REFUSED);
                apply(p, TcpEvent.RECV_RST, "(frame " + frame + ")", frame, nanos, Basis.ASSUMED);
            } else {
                c.flag(ConnectionFlag.RST_IGNORED);
            }
        } else if (ps != null && ps != TcpState.CLOSED && ps != TcpState.LISTEN) {
            deliverEarlierFin(c, p, e, frame, nanos);
            if (rstInWindow(e, p, s.seq)) {
                apply(p, TcpEvent.RECV_RST, "(frame " + frame + ")", frame, nanos, Basis.ASSUMED);
            } else {
                c.flag(ConnectionFlag.RST_IGNORED);
            }
        }
    }

    /**
     * RFC 5961 §3: a RST is accepted when its sequence number is in the receiver's window.
     * The receiver's next expected byte is taken as everything the sender was seen to send
     * (assumed delivered), or what the receiver last acknowledged, whichever is lower.
     */
    private static boolean rstInWindow(Endpoint sender, Endpoint receiver, int seq) {
        if (!sender.sent.started()) {
            return true;
        }
        int expected = sender.sent.highestEnd();
        int low = receiver.ackSent && lt(receiver.highestAck, expected)
                ? receiver.highestAck : expected;
        long window = receiver.lastWindow < 0 ? 65535 : (long) receiver.lastWindow << Math.max(0, Math.min(14, receiver.windowScale));
        window = Math.max(window, 1);
        return ge(seq, low) && lt(seq, (int) (expected + window));
    }

    // ---------------------------------------------------------------- ACK field: what the sender had received

    private void ackEvidence(Connection c, Endpoint e, Endpoint p, TcpSegment s, long frame, long nanos) {
        int ack = s.ack;
        if (!e.ackSent || gt(ack, e.highestAck)) {
            e.highestAck = ack;
        }
        e.ackSent = true;

        if (!p.synSent && e.state() == TcpState.SYN_SENT && !s.has(TcpSegment.SYN)) {
            // In SYN_SENT an endpoint sends nothing but SYNs until it has the peer's SYN-ACK
            // (RFC 9293 §3.10.7.3): this ACK covers a SYN-ACK the capture never saw.
            impliedSynAck(c, p, ack - 1, frame, nanos);
        }
        // The peer's SYN is covered: E had its SYN (or SYN-ACK).
        if (p.synSent && !e.receivedPeerSyn && ge(ack, p.isn + 1)) {
            e.receivedPeerSyn = true;
            if (!s.has(TcpSegment.SYN) && e.state() == TcpState.SYN_SENT) {
                // It got the SYN-ACK when the last copy before this ACK arrived.
                long at = p.lastSynNanos > 0 ? Math.max(e.stateSinceNanos(), Math.min(nanos, p.lastSynNanos)) : nanos;
                apply(e, TcpEvent.RECV_SYN_ACK, "(ACKed it in frame " + frame + ")", frame, at, Basis.EVIDENCE);
            }
        }

        if (!p.streamAnchored && p.sent.started() && !p.finSent && ack == p.sent.highestEnd() + 1) {
            // Picked up mid-stream through a zero-length segment that the peer ACKs one past:
            // that was a keepalive probe (seq = SND.UNA - 1, Linux), not a missed FIN.
            p.sent.start(ack);
            p.keepalives++;
            c.flag(ConnectionFlag.KEEPALIVE);
        }
        if (p.sent.started()) {
            p.streamAnchored = true;
        }
        if (p.finSent) {
            if (!e.receivedPeerFin && ge(ack, p.finSeq + 1)) {
                receiveFin(c, e, p, frame, nanos, Basis.EVIDENCE, "(ACKed it in frame " + frame + ")");
            }
        } else if (p.sent.started() && !s.has(TcpSegment.SYN) && ack == p.sent.highestEnd() + 1
                && canSendFin(p.state())) {
            // PASSIVE-INFERENCE §2: the ACK covers one sequence number past everything P was
            // seen to send. Only a SYN, data or a FIN consume sequence space: a FIN we missed.
            inferFin(c, p, p.sent.highestEnd(), frame, nanos, "implied: peer ACKed a FIN the capture missed");
            receiveFin(c, e, p, frame, nanos, Basis.EVIDENCE, "(ACKed it in frame " + frame + ")");
        }

        if (p.sent.started()) {
            long missed = p.sent.acknowledged(ack);
            if (missed > 0) {
                c.flag(ConnectionFlag.CAPTURE_LOSS);
            }
        }
        if (p.synSent && !p.synAckSent && p.state() == TcpState.SYN_SENT && gt(ack, p.isn + 1)) {
            // E acknowledges data P sent: P sends data only once it has E's SYN-ACK.
            p.receivedPeerSyn = true;
            apply(p, TcpEvent.RECV_SYN_ACK, "(implied: peer ACKed data it sent, frame " + frame + ")", frame, nanos,
                    Basis.EVIDENCE);
        }
        if (e.state() == TcpState.SYN_RECEIVED && e.synSent && p.synSent && gt(ack, p.isn + 1)) {
            // E acknowledges data from P, and P's data segments carry the ACK of E's SYN.
            e.ourSynAcked = true;
            apply(e, TcpEvent.RECV_ACK_OF_SYN, "(implied: it ACKed the peer's data in frame " + frame + ")", frame,
                    nanos, Basis.EVIDENCE);
        }
    }

    /** The peer's SYN-ACK was not captured; the endpoint's ACK shows it was sent with this ISN. */
    private void impliedSynAck(Connection c, Endpoint p, int isn, long frame, long nanos) {
        p.recordFirstSyn(isn, frame, nanos);
        p.synAckSent = true;
        c.flag(ConnectionFlag.SYN_ACK_NOT_SEEN);
        if (p.state() == null) {
            p.transition(TcpState.LISTEN, "listening (implied: its SYN-ACK was ACKed)", frame, nanos, Basis.EVIDENCE);
            p.transition(TcpState.SYN_RECEIVED, "implied: peer ACKed a SYN-ACK the capture missed", frame, nanos,
                    Basis.EVIDENCE);
        }
    }

    private static boolean canSendFin(TcpState s) {
        return s == TcpState.ESTABLISHED || s == TcpState.CLOSE_WAIT || s == TcpState.SYN_RECEIVED;
    }

    private void inferFin(Connection c, Endpoint p, int finSeq, long frame, long nanos, String cause) {
        p.recordFirstFin(finSeq, frame);
        p.finInferred = true;
        p.sent.add(finSeq, 1);
        c.flag(ConnectionFlag.FIN_NOT_SEEN);
        TcpTransitions.Cell cell = TcpTransitions.lookup(TcpEvent.SEND_FIN, p.stateOrClosed());
        if (cell != null) {
            p.transition(cell.next(), cause, frame, nanos, Basis.EVIDENCE);
        }
    }

    private void receiveFin(Connection c, Endpoint receiver, Endpoint sender, long frame, long nanos,
                            Basis basis, String detail) {
        if (basis == Basis.EVIDENCE && !sender.finInferred && sender.lastFinNanos > 0) {
            // The ACK proves the FIN arrived; it arrived with the last copy sent before the ACK
            // (a delayed ACK can follow by tens of milliseconds).
            nanos = Math.max(receiver.stateSinceNanos(), Math.min(nanos, sender.lastFinNanos));
        }
        if (receiver.finSent && !receiver.ourFinAcked && sender.finCarriedAck && !sender.finInferred
                && ge(sender.finAck, receiver.finSeq + 1)) {
            // The FIN segment also ACKed the receiver's FIN; a segment's ACK is processed
            // before its FIN (RFC 9293 §3.10.7.4 fifth, then eighth): FIN_WAIT_2, never CLOSING.
            receiver.ourFinAcked = true;
            apply(receiver, TcpEvent.RECV_ACK_OF_FIN, "(carried by peer's FIN of frame " + sender.lastFinFrame + ")",
                    frame, nanos, basis == Basis.EVIDENCE ? Basis.EVIDENCE : Basis.ASSUMED);
        }
        receiver.receivedPeerFin = true;
        if (receiver.finSent && !receiver.ourFinAcked) {
            c.flag(ConnectionFlag.SIMULTANEOUS_CLOSE);
        }
        apply(receiver, TcpEvent.RECV_FIN, detail, frame, nanos, basis);
    }

    /**
     * In-order delivery: a FIN that {@code sender} sent in an earlier frame reaches
     * {@code receiver} before anything sent after it.
     */
    private void deliverEarlierFin(Connection c, Endpoint receiver, Endpoint sender, long frame, long nanos) {
        // The copy that counts is the last one sent before this frame: a FIN sent again in
        // this very segment arrives with it, ACK first (RFC 9293 §3.10.7.4 fifth, then eighth).
        if (sender.finSent && !receiver.receivedPeerFin && sender.lastFinFrame < frame) {
            receiveFin(c, receiver, sender, frame, nanos, Basis.ASSUMED, "(assumed: peer's FIN of frame "
                    + sender.lastFinFrame + " arrived before frame " + frame + ")");
        }
    }

    // ---------------------------------------------------------------- SYN

    private void processSyn(Connection c, Endpoint e, Endpoint p, TcpSegment s, long frame, long nanos) {
        if (s.windowScale >= 0) {
            e.windowScale = s.windowScale;
        }
        boolean synAck = s.has(TcpSegment.ACK);
        e.previousSynNanos = e.lastSynNanos;
        e.lastSynNanos = nanos;
        e.lastSynFrame = frame;
        if (synAck) {
            e.synAcks++;
        } else {
            e.bareSyns++;
        }
        if (e.synSent && s.seq == e.isn) {
            e.synCount++;
            if (synAck ? e.synAcks > 1 : e.bareSyns > 1) {
                c.flag(ConnectionFlag.SYN_RETRANSMITTED);
            }
            if (synAck && !e.synAckSent) {
                // Our SYN first, then a SYN-ACK with the same ISN: we got the peer's SYN.
                e.synAckSent = true;
                apply(e, TcpEvent.SEND_SYN_ACK, null, frame, nanos, Basis.SEEN);
                if (e.ourSynAcked) {
                    // The peer's SYN-ACK crossed ours on the wire; it arrives after our SYN-ACK left.
                    apply(e, TcpEvent.RECV_ACK_OF_SYN, "(peer's SYN-ACK of frame " + e.ourSynAckedFrame + ")",
                            frame, nanos, Basis.ASSUMED);
                }
            } else if (synAck && e.ourSynAcked && e.retractTentative()) {
                // The ACK of our SYN-ACK never arrived: the handshake completes later.
                e.ourSynAcked = false;
            }
            return;
        }
        if (e.synSent) {
            // A SYN with another ISN on a live incarnation; the flow table starts new
            // incarnations, so this one contradicts what we know.
            c.flag(ConnectionFlag.INCONSISTENT);
            return;
        }
        e.recordFirstSyn(s.seq, frame, nanos);
        if (!synAck) {
            if (p.synSent) {
                c.flag(ConnectionFlag.SIMULTANEOUS_OPEN);
            }
            apply(e, TcpEvent.SEND_SYN, null, frame, nanos, Basis.SEEN);
            return;
        }
        e.synAckSent = true;
        if (p.synSent && ge(s.ack, p.isn + 1)) {
            e.receivedPeerSyn = true;
        }
        if (e.state() == null) {
            // Answering a SYN with SYN-ACK means it was listening when the SYN arrived.
            long listenFrame = p.synSent ? p.firstSynFrame : frame;
            long listenNanos = p.synSent ? p.firstSynNanos : nanos;
            e.transition(TcpState.LISTEN, "listening (answered the SYN with SYN-ACK)", listenFrame, listenNanos,
                    Basis.EVIDENCE);
        }
        apply(e, TcpEvent.SEND_SYN_ACK, null, frame, nanos, Basis.SEEN);
    }

    // ---------------------------------------------------------------- sequence space

    private void processSequence(Connection c, Endpoint e, Endpoint p, TcpSegment s, long frame, long nanos) {
        boolean syn = s.has(TcpSegment.SYN);
        boolean fin = s.has(TcpSegment.FIN);
        int dataStart = syn ? s.seq + 1 : s.seq;
        int len = s.payloadLength;
        HalfStream stream = e.sent;
        if (!stream.started()) {
            stream.start(dataStart);
        }
        if (!syn && !fin && len <= 1 && s.seq == stream.highestEnd() - 1 && ge(stream.contiguousEnd(), s.seq + len)) {
            // Linux keepalives and zero-window probes repeat the last byte already ACKed
            // (seq = SND.UNA - 1), with 0 or 1 byte: not data, not a retransmission.
            if (p.lastWindow == 0) {
                e.zeroWindowProbes++;
                c.flag(ConnectionFlag.ZERO_WINDOW_PROBE);
            } else {
                e.keepalives++;
                c.flag(ConnectionFlag.KEEPALIVE);
            }
            return;
        }
        if (!syn && !fin && !e.finSent && s.seq == stream.highestEnd() + 1 && stream.contiguousEnd() == stream.highestEnd()
                && canSendFin(e.state()) && !(e.synSent && stream.highestEnd() == e.isn + 1 && !e.receivedPeerSyn)) {
            // PASSIVE-INFERENCE §2: its next segment starts one past its last byte: a FIN we missed.
            inferFin(c, e, stream.highestEnd(), frame, nanos, "implied by sequence number: FIN not captured");
        }
        if (len > 0 && !syn && e.state() == TcpState.SYN_RECEIVED && e.synAckSent) {
            // RFC 9293 §3.10.2: in SYN-RECEIVED data is queued until ESTABLISHED; sending it proves
            // the handshake's ACK arrived.
            e.ourSynAcked = true;
            apply(e, TcpEvent.RECV_ACK_OF_SYN, "(implied: it sent data in frame " + frame + ")", frame, nanos,
                    Basis.EVIDENCE);
        }
        if (len > 0 && p.finSent && e.receivedPeerFin && !e.finSent) {
            c.flag(ConnectionFlag.HALF_CLOSE);
        }
        if (len > 0 || fin) {
            e.streamAnchored = true;
        }
        HalfStream.SegmentClass cls = stream.add(dataStart, len + (fin ? 1 : 0));
        if (cls == HalfStream.SegmentClass.RETRANSMISSION && (len > 0 || (fin && e.finSent))) {
            c.flag(ConnectionFlag.RETRANSMISSIONS);
            if (len > 0 && p.state() == TcpState.ESTABLISHED && p.synAckSent && p.tentativeFrame() > 0
                    && !(p.ackSent && gt(p.highestAck, e.isn + 1)) && p.retractTentative()) {
                // E sends its data again and P has never ACKed any of it: P behaves as if it got
                // nothing from E, so the handshake ACK we took as delivered never reached it
                // either (PASSIVE-INFERENCE §4). Data segments carry that ACK too: when one gets
                // through, the handshake completes then.
                p.ourSynAcked = false;
                p.notReceiving = true;
            }
        }
    }

    private void trackWindow(Connection c, Endpoint e, TcpSegment s, long nanos) {
        if (s.has(TcpSegment.SYN)) {
            e.lastWindow = s.window;
            return;
        }
        if (s.window == 0) {
            if (e.zeroWindowSinceNanos < 0) {
                e.zeroWindowSinceNanos = nanos;
            }
            c.flag(ConnectionFlag.ZERO_WINDOW);
        } else {
            e.zeroWindowSinceNanos = -1;
        }
        e.lastWindow = s.window;
    }

    // ---------------------------------------------------------------- FIN

    private void processFin(Connection c, Endpoint e, Endpoint p, TcpSegment s, long frame, long nanos) {
        int finSeq = (s.has(TcpSegment.SYN) ? s.seq + 1 : s.seq) + s.payloadLength;
        long previousFinFrame = e.lastFinFrame;
        if (finSeq == e.finSeq || !e.finSent) {
            e.finCarriedAck = s.has(TcpSegment.ACK);
            e.finAck = s.ack;
            e.lastFinNanos = nanos;
        }
        if (!e.finSent) {
            e.recordFirstFin(finSeq, frame);
            if (p.finSent && !e.receivedPeerFin) {
                c.flag(ConnectionFlag.SIMULTANEOUS_CLOSE);
            }
            apply(e, TcpEvent.SEND_FIN, null, frame, nanos, Basis.SEEN);
            return;
        }
        if (finSeq == e.finSeq) {
            e.finCount++;
            e.lastFinFrame = frame;
            c.flag(ConnectionFlag.RETRANSMISSIONS);
            if (e.ourFinAcked && e.retractTentative()) {
                // It sends its FIN again: the ACK we took as delivered never reached it.
                e.ourFinAcked = false;
            }
            if (!p.receivedPeerFin && p.ourFinAcked && p.tentativeFrame() == previousFinFrame && p.retractTentative()) {
                // The peer never showed it got the previous copy, and a segment's ACK arrives
                // with its FIN or not at all: what that copy's ACK did to the peer is taken back
                // and happens again when this copy is taken as delivered.
                p.ourFinAcked = false;
            }
        } else {
            c.flag(ConnectionFlag.INCONSISTENT);
        }
    }

    // ---------------------------------------------------------------- what the peer receives

    private void deliverAck(Connection c, Endpoint e, Endpoint p, int ack, long frame, long nanos) {
        if (p.notReceiving) {
            return;
        }
        if (p.synSent && !p.ourSynAcked && ge(ack, p.isn + 1)) {
            p.ourSynAcked = true;
            p.ourSynAckedFrame = frame;
            if (p.state() == TcpState.SYN_RECEIVED) {
                apply(p, TcpEvent.RECV_ACK_OF_SYN, "(frame " + frame + ")", frame, nanos, Basis.ASSUMED);
            }
        }
        if (p.finSent && !p.ourFinAcked && ge(ack, p.finSeq + 1)) {
            deliverEarlierFin(c, p, e, frame, nanos);
            p.ourFinAcked = true;
            apply(p, TcpEvent.RECV_ACK_OF_FIN, "(frame " + frame + ")", frame, nanos, Basis.ASSUMED);
        }
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
        recognizeSynCookie(c, captureEndNanos, lastFrame);
        if ((c.client().packets == 0) != (c.server().packets == 0) && c.client().packets + c.server().packets > 2
                && (c.client().ackSent || c.server().ackSent)) {
            c.flag(ConnectionFlag.ONE_SIDED);
        }
        for (Endpoint e : new Endpoint[] {c.client(), c.server()}) {
            if (e.state() == null) {
                e.transition(TcpState.CLOSED, "no segment from it shows a connection", c.firstFrame, c.startNanos,
                        Basis.ASSUMED);
            }
            fireTimers(e, captureEndNanos, lastFrame);
        }
    }

    /**
     * A listener that keeps a request socket retransmits its SYN-ACK when no ACK comes (Linux:
     * first after TCP_TIMEOUT_INIT, 1 s). One that answered with a SYN cookie
     * (net.ipv4.tcp_syncookies, under SYN flood) kept no state and never retransmits. So a
     * SYN-ACK sent once, unanswered, with the capture running well past that timeout, shows
     * that no connection existed on the server: it is CLOSED, and was never SYN_RECEIVED.
     */
    private void recognizeSynCookie(Connection c, long captureEndNanos, long lastFrame) {
        Endpoint server = c.server();
        if (server.state() != TcpState.SYN_RECEIVED || !server.synAckSent || server.synCount != 1 || server.ourSynAcked
                || server.packets != 1 || captureEndNanos - server.firstSynNanos < profile.synAckFirstRetransmitNanos() * 3 / 2) {
            return;
        }
        c.flag(ConnectionFlag.SYN_COOKIE);
        server.discardTimeline(TcpState.CLOSED, "SYN-ACK never retransmitted: answered with a SYN cookie, no connection"
                + " state kept (Linux net.ipv4.tcp_syncookies)", server.firstSynFrame, server.firstSynNanos);
    }

    private void fireTimers(Endpoint e, long captureEndNanos, long lastFrame) {
        gaveUpResending(e, captureEndNanos, lastFrame);
        TcpState s = e.state();
        if (s == TcpState.TIME_WAIT) {
            long deadline = e.stateSinceNanos() + profile.timeWaitNanos();
            if (captureEndNanos >= deadline) {
                apply(e, TcpEvent.TIMER_2MSL, "(Linux: 60 s)", lastFrame, deadline, Basis.TIMER);
            }
        } else if (s == TcpState.SYN_SENT) {
            long deadline = e.firstSynNanos + profile.synSentGiveUpNanos();
            if (captureEndNanos >= deadline) {
                apply(e, TcpEvent.TIMER_RETRIES, "(Linux tcp_syn_retries=6: 127 s)", lastFrame, deadline, Basis.TIMER);
            }
        } else if (s == TcpState.SYN_RECEIVED && e.synAckSent) {
            long deadline = e.firstSynNanos + profile.synReceivedGiveUpNanos();
            if (captureEndNanos >= deadline) {
                apply(e, TcpEvent.TIMER_RETRIES, "(Linux tcp_synack_retries=5: 63 s)", lastFrame, deadline, Basis.TIMER);
            }
        }
    }

    /**
     * Reactions are evidence, and so is their absence: an endpoint in SYN_SENT or SYN_RECEIVED
     * resends its SYN (SYN-ACK) with a backoff that at most doubles. Seen resending, then silent
     * for more than {@link #GIVE_UP_INTERVALS} of its last interval while the capture goes on,
     * it has run out of retries (tcp_syn_retries, tcp_synack_retries; fewer for a young request
     * when the SYN queue is full) and closed. It closed when the next resend would have been due.
     */
    private static void gaveUpResending(Endpoint e, long captureEndNanos, long lastFrame) {
        TcpState s = e.state();
        if ((s != TcpState.SYN_SENT && s != TcpState.SYN_RECEIVED) || e.synCount < 2 || e.previousSynNanos <= 0) {
            return;
        }
        long interval = e.lastSynNanos - e.previousSynNanos;
        if (interval <= 0 || captureEndNanos - e.lastSynNanos <= (long) (interval * GIVE_UP_INTERVALS)) {
            return;
        }
        long at = e.lastSynNanos + 2 * interval;
        e.transition(TcpState.CLOSED, (s == TcpState.SYN_SENT ? "timer: gave up, SYN" : "timer: gave up, SYN-ACK")
                + " resends stopped after frame " + e.lastSynFrame + " (next due by +" + (2 * interval / 1_000_000)
                + " ms)", lastFrame, at, Basis.TIMER);
    }

    /**
     * Silence, in units of the last resend interval, after which resending is taken as given
     * up: Linux's backoff at most doubles and has no jitter, so the next resend is due 2
     * intervals later (plus milliseconds of timer slack); 10% more is clear evidence.
     */
    static final double GIVE_UP_INTERVALS = 2.2;

    /**
     * A new SYN arrived on this 4-tuple: the old incarnation ends here. An endpoint in
     * TIME_WAIT leaves it by its timer if that ran out, else because of the new SYN.
     */
    public void endIncarnation(Connection c, long nanos, long frame) {
        for (Endpoint e : new Endpoint[] {c.client(), c.server()}) {
            if (e.state() == TcpState.TIME_WAIT) {
                long deadline = e.stateSinceNanos() + profile.timeWaitNanos();
                if (nanos >= deadline) {
                    apply(e, TcpEvent.TIMER_2MSL, "(Linux: 60 s)", frame, deadline, Basis.TIMER);
                } else {
                    apply(e, TcpEvent.NEW_INCARNATION, "(frame " + frame + ")", frame, nanos, Basis.EVIDENCE);
                }
            }
        }
    }

    /** Marks a connection picked up mid-stream: both endpoints assumed ESTABLISHED. */
    public void startMidstream(Connection c, long frame, long nanos) {
        c.flag(ConnectionFlag.MIDSTREAM);
        for (Endpoint e : new Endpoint[] {c.client(), c.server()}) {
            e.transition(TcpState.ESTABLISHED, "assumed: mid-stream (no handshake captured)", frame, nanos,
                    Basis.ASSUMED);
            e.tentativeIndex = -1;
        }
    }

    /** Marks a connection whose SYN was missed but whose SYN-ACK was seen. */
    public void startAfterMissedSyn(Connection c, int clientIsn, long frame, long nanos) {
        c.flag(ConnectionFlag.SYN_NOT_SEEN);
        Endpoint client = c.client();
        client.recordFirstSyn(clientIsn, frame, nanos);
        client.transition(TcpState.SYN_SENT, "implied: its SYN was not captured (SYN-ACK seen)", frame, nanos,
                Basis.EVIDENCE);
    }
}
