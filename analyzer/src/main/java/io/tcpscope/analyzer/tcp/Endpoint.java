package io.tcpscope.analyzer.tcp;

import io.tcpscope.analyzer.reassembly.HalfStream;
import java.util.List;

/**
 * One side of a connection: its address, what it sent (a {@link HalfStream}), what the
 * capture shows it received, and its RFC 9293 state with the timeline of how it got there.
 * Every state change goes through its {@link EndpointMachine}.
 */
public final class Endpoint {
    /** Which side of the connection this is. */
    public enum Role { CLIENT, SERVER;
        public String key() {
            return this == CLIENT ? "client" : "server";
        }
    }

    private final Role role;
    private final int ipVersion;
    private final long addressHi;
    private final long addressLo;
    private final int port;

    // The facts below are package-private: the tracker's rules read them as guards. Each
    // group is written by the rules named in its comment, and the state only by `machine`.

    /** The stream this endpoint sent (SequenceRules, AckEvidence for holes and pickups). */
    final HalfStream sent = new HalfStream();
    /**
     * Whether its sequence space is pinned by a SYN, data, a FIN, or the peer's ACK. A stream
     * first seen mid-connection through a zero-length segment is not: that segment may be a
     * keepalive probe, which carries SND.UNA - 1.
     */
    boolean streamAnchored;

    // What it sent, as control segments (SynRules, FinRules; recordFirstSyn/recordFirstFin).
    boolean synSent;
    int isn;
    int synCount;
    int bareSyns;
    int synAcks;
    long firstSynFrame;
    long firstSynNanos;
    boolean synAckSent;
    boolean finSent;
    int finSeq;
    long lastFinFrame;
    long lastFinNanos;
    /** When its first FIN was seen (0 when implied). */
    long firstFinNanos;
    /**
     * The handshake's round trip as this active opener showed it: from its SYN to its ACK of
     * the peer's SYN-ACK (the two legs add up at any capture point), or -1.
     */
    long handshakeRttNanos = -1;
    /** Whether its last FIN segment carried an ACK, and the value. */
    boolean finCarriedAck;
    int finAck;
    long lastSynNanos;
    long previousSynNanos;
    long lastSynFrame;
    boolean finInferred;

    // What the capture shows it received (AckEvidence, FinRules, SynRules).
    boolean ackSent;
    int highestAck;
    /** The ACK field of its latest segment that had one (ConnectionTracker), when {@link #lastAckSeen}. */
    int lastAck;
    boolean lastAckSeen;
    boolean receivedPeerSyn;
    boolean receivedPeerFin;
    boolean ourFinAcked;
    boolean ourSynAcked;
    long ourSynAckedFrame;

    // Window and activity (ConnectionTracker, SequenceRules).
    int windowScale = -1;
    int lastWindow = -1;
    long zeroWindowSinceNanos = -1;
    long packets;
    long payloadBytes;
    long lastSendNanos = -1;
    int keepalives;
    int zeroWindowProbes;

    // Wireshark's counts (WiresharkCounts), for the comparison with tshark.
    long duplicateAcks;
    long zeroWindows;
    long lostSegments;
    int wsNextSeq;
    boolean wsNextSeqKnown;
    int wsLastWindow = -1;
    int wsLastAck;
    boolean wsLastAckKnown;
    boolean wsLastKeepAlive;

    // Its current series of resends of one sequence number (SequenceRules; CaptureEndRules
    // reads it for a give-up on data or FIN).
    int resendSeq;
    int resends;
    long firstResendNanos;
    long previousResendNanos;
    long lastResendNanos;
    long lastResendFrame;

    // What it sent after it received the peer's FIN (ConnectionTracker): a CLOSE_WAIT side's
    // activity, for `tcpscope stuck`.
    long bytesAfterPeerFin;
    int keepalivesAfterPeerFin;
    int windowUpdatesAfterPeerFin;
    long lastDataAfterPeerFinNanos = -1;
    long lastNonKeepaliveAfterPeerFinNanos = -1;
    /** Whether the counters above are since the peer's FIN (else since a mid-stream pickup). */
    boolean countsAfterPeerFin;
    /** Its first RST without ACK (the reply of a host with no socket) and the peer's state then. */
    long bareRstFrame = -1;
    TcpState peerStateAtBareRst = TcpState.NONE;

    /**
     * Set when it behaved as if it got nothing of the peer's (the peer resends data it never
     * ACKed): the peer's segments are not taken as delivered to it until it sends again.
     */
    boolean notReceiving;

    /**
     * Its first contradiction, or {@code null}: [frame, capture time, state ordinal | event
     * ordinal << 8 | detail ordinal << 16]; made only when one happens (rare).
     */
    private long[] contradiction;

    /**
     * Records the first segment of this endpoint's that contradicted what was known (the
     * connection is flagged INCONSISTENT by the caller): where in the timeline it happened.
     */
    void noteContradiction(TcpEvent event, Cause.Detail detail, long frame, long nanos) {
        if (contradiction != null) {
            return;
        }
        contradiction = new long[] {frame, nanos,
                state().ordinal() | (long) event.ordinal() << 8 | (long) detail.ordinal() << 16};
    }

    /**
     * Its first contradiction as a timeline-shaped value, or {@code null}: the state it held
     * (unchanged: a contradiction is no transition), the frame and time of the segment that
     * contradicted it, and a cause whose detail names the contradiction (IMPOSSIBLE_EVENT,
     * SENT_WHILE_CLOSED, SYN_OTHER_ISN, FIN_OTHER_SEQ; argument {@code a} is the frame). Reports
     * print it where it falls in the timeline (docs/state-machine.md, "INCONSISTENT").
     */
    public Transition inconsistency() {
        if (contradiction == null) {
            return null;
        }
        long meta = contradiction[2];
        TcpState held = TcpState.values()[(int) (meta & 0xFF)];
        Cause cause = new Cause(TcpEvent.values()[(int) (meta >>> 8 & 0xFF)], held,
                Cause.Detail.values()[(int) (meta >>> 16 & 0xFF)], contradiction[0], 0);
        return new Transition(contradiction[1], held, contradiction[0], cause, Transition.Basis.EVIDENCE);
    }

    // Its part of the tracker's DuplicateFilter: the number of its newest remembered segment
    // (0 before one), the IP IDs of its last DuplicateFilter.RECENT segments (16 bits each, by
    // slot of its ring), and its ring's count, next slot and whether its IDs repeat.
    int dupLast;
    long dupIds;
    byte dupRing;
    private long duplicates;

    void countDuplicate() {
        duplicates++;
    }

    /** Exact copies of its segments that the capture holds twice (see {@link DuplicateFilter}). */
    public long duplicates() {
        return duplicates;
    }

    /** Its state and timeline: the only place a state changes. */
    final EndpointMachine machine = new EndpointMachine();

    /** Frame of the transition taken on assumed delivery, or -1. */
    long tentativeFrame() {
        return machine.tentativeFrame();
    }

    Endpoint(Role role, int ipVersion, long addressHi, long addressLo, int port) {
        this.role = role;
        this.ipVersion = ipVersion;
        this.addressHi = addressHi;
        this.addressLo = addressLo;
        this.port = port;
    }

    /** Where its relative sequence numbers count from (its ISN, else the first seq seen), when {@link #seqBaseKnown}. */
    int seqBase;
    boolean seqBaseKnown;

    /** {@code seq} relative to {@link #seqBase}, unsigned; -1 before anything of its stream is known. */
    long relative(int seq) {
        return seqBaseKnown ? (seq - seqBase) & 0xFFFFFFFFL : -1;
    }

    /** Its first SYN (or SYN-ACK), seen or implied: starts its sequence space at {@code isn}. */
    void recordFirstSyn(int isn, long frame, long nanos) {
        seqBase = isn;
        seqBaseKnown = true;
        synSent = true;
        this.isn = isn;
        synCount = 1;
        firstSynFrame = frame;
        firstSynNanos = nanos;
        sent.start(isn);
        sent.add(isn, 1);
        streamAnchored = true;
    }

    /** Its first FIN, seen or implied, occupying sequence number {@code finSeq}. */
    void recordFirstFin(int finSeq, long frame) {
        finSent = true;
        this.finSeq = finSeq;
        lastFinFrame = frame;
    }

    public Role role() {
        return role;
    }

    public int ipVersion() {
        return ipVersion;
    }

    public long addressHi() {
        return addressHi;
    }

    public long addressLo() {
        return addressLo;
    }

    public int port() {
        return port;
    }

    /** Current state; {@link TcpState#NONE} before anything is known about this endpoint. */
    public TcpState state() {
        return machine.state();
    }

    /** Current state as reports show it: CLOSED when nothing is known (NONE is never printed). */
    public TcpState stateOrClosed() {
        TcpState s = machine.state();
        return s == TcpState.NONE ? TcpState.CLOSED : s;
    }

    /** Its transitions in order, as values (made on each call: read it once, at the end). */
    public List<Transition> timeline() {
        return machine.timeline();
    }

    /** Whether its last transition was taken on assumed delivery ({@code timeline()}'s last basis), without building the timeline. */
    public boolean lastTransitionAssumed() {
        return machine.lastAssumed();
    }

    /** When this endpoint entered its current state, or -1. */
    public long stateSinceNanos() {
        return machine.stateSinceNanos();
    }

    /** Whether it was seen (or shown) to send a SYN. */
    public boolean synSent() {
        return synSent;
    }

    /** Its initial sequence number, valid when {@link #synSent()}. */
    public int isn() {
        return isn;
    }

    /** How many times its SYN (or SYN-ACK) was seen. */
    public int synCount() {
        return synCount;
    }

    public long packets() {
        return packets;
    }

    public long payloadBytes() {
        return payloadBytes;
    }

    /** Capture time of the last segment this endpoint sent, or -1. */
    public long lastSendNanos() {
        return lastSendNanos;
    }

    /** Data and FIN segments it sent again. */
    public long retransmissions() {
        return sent.retransmittedSegments();
    }

    /** SYNs sent again, plus SYN-ACKs sent again (a simultaneous-open SYN-ACK after our SYN is not one). */
    public long synRetransmissions() {
        return Math.max(0, bareSyns - 1) + Math.max(0, synAcks - 1);
    }

    /** Whether it opened actively (sent a SYN without ACK). */
    public boolean activeOpener() {
        return bareSyns > 0;
    }

    /** SYN-ACKs it sent again. */
    public long synAckRetransmissions() {
        return Math.max(0, synAcks - 1);
    }

    /** Segments that arrived after a gap in its sequence space, or filled one. */
    public long outOfOrderSegments() {
        return sent.outOfOrderSegments();
    }

    /** Segments that partly repeated bytes already seen. */
    public long overlapSegments() {
        return sent.overlapSegments();
    }

    public long missedBytes() {
        return sent.missedBytes();
    }

    public long keepalives() {
        return keepalives;
    }

    public long zeroWindowProbes() {
        return zeroWindowProbes;
    }

    /** Payload bytes it sent after it received the peer's FIN (in CLOSE_WAIT and later). */
    public long bytesAfterPeerFin() {
        return bytesAfterPeerFin;
    }

    /** Keepalive probes it sent after it received the peer's FIN. */
    public long keepalivesAfterPeerFin() {
        return keepalivesAfterPeerFin;
    }

    /** Pure ACKs with a new window it sent after it received the peer's FIN (its application read). */
    public long windowUpdatesAfterPeerFin() {
        return windowUpdatesAfterPeerFin;
    }

    /** Capture time of its last data or FIN after it received the peer's FIN, or -1. */
    public long lastDataAfterPeerFinNanos() {
        return lastDataAfterPeerFinNanos;
    }

    /** Whether it was seen (or shown) to send a FIN. */
    public boolean finSent() {
        return finSent;
    }

    /** Frame of its first RST without ACK (a host with no socket answers so), or -1. */
    public long bareRstFrame() {
        return bareRstFrame;
    }

    /** The peer's state when it sent that RST ({@link TcpState#NONE} without one). */
    public TcpState peerStateAtBareRst() {
        return peerStateAtBareRst;
    }

    /** Capture time of the last segment other than a keepalive it sent after the peer's FIN, or -1. */
    public long lastNonKeepaliveAfterPeerFinNanos() {
        return lastNonKeepaliveAfterPeerFinNanos;
    }

    /**
     * Whether its timeline is exactly the mid-stream pickup's assumed ESTABLISHED: the capture
     * showed nothing that moved it.
     */
    public boolean onlyPickup() {
        return machine.onlyPickup();
    }

    /** Capture time since when its advertised window is zero, or -1. */
    /** Duplicate ACKs by Wireshark's rule ({@link WiresharkCounts}). */
    public long duplicateAcks() {
        return duplicateAcks;
    }

    /** Segments advertising a zero window, by Wireshark's rule ({@link WiresharkCounts}). */
    public long zeroWindows() {
        return zeroWindows;
    }

    /** Segments after a hole in its sequence space, by Wireshark's rule ({@link WiresharkCounts}). */
    public long lostSegments() {
        return lostSegments;
    }

    public long zeroWindowSinceNanos() {
        return zeroWindowSinceNanos;
    }

    /** Window scale it announced in its SYN, or -1. */
    public int windowScale() {
        return windowScale;
    }
}
