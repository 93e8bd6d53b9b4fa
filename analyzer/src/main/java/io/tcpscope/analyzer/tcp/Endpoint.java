package io.tcpscope.analyzer.tcp;

import io.tcpscope.analyzer.reassembly.HalfStream;
import java.util.List;

/**
 * One side of a connection: its address, what it sent (a {@link HalfStream}), what the
 * capture shows it received, and its RFC 9293 state with the timeline of how it got there.
 * Every state change goes through {@link EndpointMachine}, which this class extends only so
 * that the machine's fields sit in this object (no object of its own per endpoint); its
 * state and timeline fields are private to it.
 *
 * <p>Memory (1M connections open at once must fit a 1 GB heap, BENCHMARKS.md): what every
 * connection needs is kept here as primitives, the flags as bits; what only some need (a
 * FIN, resends, keepalives, zero windows, what it sent after the peer's FIN, a RST, a
 * contradiction, a second SYN, capture copies) is in a {@link Rare} part, made at the first
 * write of one of its fields. Reads before that see {@link Rare}'s defaults.
 */
public final class Endpoint extends EndpointMachine {
    /** Which side of the connection this is. */
    public enum Role { CLIENT, SERVER;
        public String key() {
            return this == CLIENT ? "client" : "server";
        }
    }

    /**
     * The fields a connection open in steady state never needs (with their defaults), made
     * at the first write of one of them ({@link #rare()}); read through {@link #r()}.
     */
    static final class Rare {
        /** Segments claimed by it that {@link BlindSegments} ignored. */
        long blindSegments;
        // What it sent as a FIN (FinRules; recordFirstFin).
        int finSeq;
        long lastFinFrame;
        long lastFinNanos;
        /** When its first FIN was seen (0 when implied). */
        long firstFinNanos;
        /** The ACK value of its last FIN segment, when {@link Endpoint#finCarriedAck()}. */
        int finAck;
        // Its SYNs after the first (SynRules), when not SYN_TIMES_FIRST.
        long lastSynNanos;
        long previousSynNanos;
        long lastSynFrame;
        // Window and probes (SequenceRules).
        long zeroWindowSinceNanos = -1;
        int keepalives;
        int zeroWindowProbes;
        // Wireshark's counts (WiresharkCounts), for the comparison with tshark.
        long duplicateAcks;
        long zeroWindows;
        long lostSegments;
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
        /** Its first RST without ACK (the reply of a host with no socket) and the peer's state then. */
        long bareRstFrame = -1;
        TcpState peerStateAtBareRst = TcpState.NONE;
        /** Exact copies of its segments that the capture holds twice (DuplicateFilter). */
        long duplicates;
        /** The high 32 bits of its packet and payload byte counts (the low ones are in the endpoint). */
        int packetsHigh;
        int payloadHigh;
        /** Its SYN counts once one passed what the endpoint's packed int holds. */
        int synCount;
        int bareSyns;
        int synAcks;
        /**
         * Its first contradiction, or {@code null}: [frame, capture time, state ordinal | event
         * ordinal << 8 | detail ordinal << 16].
         */
        long[] contradiction;
        /**
         * SYNs or SYN-ACKs with an ISN other than {@code isn()} that were not a resend of the
         * previous such ISN (counted in bareSyns/synAcks, but not as resends).
         */
        int otherIsnSyns;
        /** The last other ISN seen, when {@link #otherIsnSeen}. */
        int otherIsn;
        boolean otherIsnSeen;
    }

    /** The defaults of {@link Rare}, read while an endpoint has none; never written. */
    private static final Rare NO_RARE = new Rare();

    private static final int STREAM_ANCHORED = 1 << 0;
    private static final int SYN_SENT = 1 << 1;
    private static final int SYN_ACK_SENT = 1 << 2;
    private static final int FIN_SENT = 1 << 3;
    private static final int FIN_CARRIED_ACK = 1 << 4;
    private static final int FIN_INFERRED = 1 << 5;
    private static final int ACK_SENT = 1 << 6;
    private static final int LAST_ACK_SEEN = 1 << 7;
    private static final int RECEIVED_PEER_SYN = 1 << 8;
    private static final int RECEIVED_PEER_FIN = 1 << 9;
    private static final int OUR_FIN_ACKED = 1 << 10;
    private static final int OUR_SYN_ACKED = 1 << 11;
    private static final int WS_NEXT_SEQ_KNOWN = 1 << 12;
    private static final int WS_LAST_KEEP_ALIVE = 1 << 13;
    private static final int COUNTS_AFTER_PEER_FIN = 1 << 14;
    private static final int NOT_RECEIVING = 1 << 15;
    private static final int SEQ_BASE_KNOWN = 1 << 16;
    private static final int SERVER = 1 << 17;
    private static final int LAST_WINDOW_KNOWN = 1 << 19;
    private static final int WS_LAST_WINDOW_KNOWN = 1 << 20;
    private static final int SYN_COUNTS_IN_RARE = 1 << 21;
    /** A bare SYN restarted its Wireshark-style counts: {@link #lastAck} is no previous ACK for them. */
    private static final int WS_LAST_ACK_FORGOTTEN = 1 << 22;
    /** lastSynNanos/lastSynFrame are firstSynNanos/firstSynFrame and previousSynNanos 0 (one SYN seen), else in {@link Rare}. */
    private static final int SYN_TIMES_FIRST = 1 << 18;

    private final long addressHi;
    private final long addressLo;
    private final char port;
    private final byte ipVersion;
    /** The flags above, one bit each. */
    private int bits;
    private Rare rare;

    /** Its rare part, for reading: {@link Rare}'s defaults until one is made. */
    Rare r() {
        Rare x = rare;
        return x != null ? x : NO_RARE;
    }

    /** Its rare part, for writing: made at the first call. */
    Rare rare() {
        Rare x = rare;
        if (x == null) {
            x = new Rare();
            rare = x;
        }
        return x;
    }

    /** Whether its rare part was made (for tests of what a connection holds). */
    boolean hasRare() {
        return rare != null;
    }

    // The facts below are package-private: the tracker's rules read them as guards. Each
    // group is written by the rules named in its comment, and the state only by EndpointMachine.

    /** The stream this endpoint sent (SequenceRules, AckEvidence for holes and pickups). */
    final HalfStream sent = new HalfStream();

    // What it sent, as control segments (SynRules, FinRules; recordFirstSyn/recordFirstFin).
    // (Its ISN is seqBase once it sent a SYN: isn().)
    /**
     * How many times its SYN (or SYN-ACK) was seen, its bare SYNs and its SYN-ACKs, 10 bits
     * each ({@link #synCount()}, {@link #bareSyns()}, {@link #synAcks()}); from the first that
     * would pass {@link #SYN_COUNT_MAX} on (SYN_COUNTS_IN_RARE), all three in {@link Rare}.
     */
    private int synCounts;
    private static final int SYN_COUNT_MAX = 0x3FF;
    private static final int SYN_COUNT = 0;
    private static final int BARE_SYNS = 10;
    private static final int SYN_ACKS = 20;
    long firstSynFrame;
    long firstSynNanos;
    /**
     * {@link #handshakeRttNanos()}. (A long: in a capture of many connections open at once a
     * "round trip" between a connection's packets can be seconds, too long for an int.)
     */
    private long handshakeRttNanos = -1;

    // What the capture shows it received (AckEvidence, FinRules, SynRules).
    int highestAck;
    /** The ACK field of its latest segment that had one (ConnectionTracker), when {@link #lastAckSeen()}. */
    int lastAck;
    long ourSynAckedFrame;

    // Window and activity (ConnectionTracker, SequenceRules).
    short windowScale = -1;
    /** Its last advertised window (unscaled), when LAST_WINDOW_KNOWN: {@link #lastWindow()}. */
    private char lastWindow;
    /** The low 32 bits (unsigned) of {@link #packets()} and {@link #payloadBytes()}; the high ones in {@link Rare}. */
    private int packetsLow;
    private int payloadLow;
    long lastSendNanos = -1;

    // Wireshark's next sequence number and window (WiresharkCounts; its "last ACK" is lastAck).
    int wsNextSeq;
    /** When WS_LAST_WINDOW_KNOWN: {@link #wsLastWindow()}. */
    private char wsLastWindow;

    // Its part of the tracker's DuplicateFilter: the number of its newest remembered segment
    // (0 before one), the IP IDs of its last DuplicateFilter.RECENT segments (16 bits each, by
    // slot of its ring), and its ring's count, next slot and whether its IDs repeat.
    int dupLast;
    long dupIds;
    byte dupRing;

    /** Where its relative sequence numbers count from (its ISN, else the first seq seen), when {@link #seqBaseKnown()}. */
    int seqBase;

    Endpoint(Role role, int ipVersion, long addressHi, long addressLo, int port) {
        this.bits = role == Role.SERVER ? SERVER : 0;
        this.ipVersion = (byte) ipVersion;
        this.addressHi = addressHi;
        this.addressLo = addressLo;
        this.port = (char) port;
    }

    boolean streamAnchored() {
        return (bits & STREAM_ANCHORED) != 0;
    }

    void streamAnchored(boolean on) {
        bits = on ? bits | STREAM_ANCHORED : bits & ~STREAM_ANCHORED;
    }

    /** Whether it was seen (or shown) to send a SYN. */
    public boolean synSent() {
        return (bits & SYN_SENT) != 0;
    }

    void synSent(boolean on) {
        bits = on ? bits | SYN_SENT : bits & ~SYN_SENT;
    }

    boolean synAckSent() {
        return (bits & SYN_ACK_SENT) != 0;
    }

    void synAckSent(boolean on) {
        bits = on ? bits | SYN_ACK_SENT : bits & ~SYN_ACK_SENT;
    }

    /** Whether it was seen (or shown) to send a FIN. */
    public boolean finSent() {
        return (bits & FIN_SENT) != 0;
    }

    void finSent(boolean on) {
        bits = on ? bits | FIN_SENT : bits & ~FIN_SENT;
    }

    boolean finCarriedAck() {
        return (bits & FIN_CARRIED_ACK) != 0;
    }

    void finCarriedAck(boolean on) {
        bits = on ? bits | FIN_CARRIED_ACK : bits & ~FIN_CARRIED_ACK;
    }

    boolean finInferred() {
        return (bits & FIN_INFERRED) != 0;
    }

    void finInferred(boolean on) {
        bits = on ? bits | FIN_INFERRED : bits & ~FIN_INFERRED;
    }

    boolean ackSent() {
        return (bits & ACK_SENT) != 0;
    }

    void ackSent(boolean on) {
        bits = on ? bits | ACK_SENT : bits & ~ACK_SENT;
    }

    boolean lastAckSeen() {
        return (bits & LAST_ACK_SEEN) != 0;
    }

    void lastAckSeen(boolean on) {
        bits = on ? bits | LAST_ACK_SEEN : bits & ~LAST_ACK_SEEN;
    }

    boolean receivedPeerSyn() {
        return (bits & RECEIVED_PEER_SYN) != 0;
    }

    void receivedPeerSyn(boolean on) {
        bits = on ? bits | RECEIVED_PEER_SYN : bits & ~RECEIVED_PEER_SYN;
    }

    boolean receivedPeerFin() {
        return (bits & RECEIVED_PEER_FIN) != 0;
    }

    void receivedPeerFin(boolean on) {
        bits = on ? bits | RECEIVED_PEER_FIN : bits & ~RECEIVED_PEER_FIN;
    }

    boolean ourFinAcked() {
        return (bits & OUR_FIN_ACKED) != 0;
    }

    void ourFinAcked(boolean on) {
        bits = on ? bits | OUR_FIN_ACKED : bits & ~OUR_FIN_ACKED;
    }

    boolean ourSynAcked() {
        return (bits & OUR_SYN_ACKED) != 0;
    }

    void ourSynAcked(boolean on) {
        bits = on ? bits | OUR_SYN_ACKED : bits & ~OUR_SYN_ACKED;
    }

    boolean wsNextSeqKnown() {
        return (bits & WS_NEXT_SEQ_KNOWN) != 0;
    }

    void wsNextSeqKnown(boolean on) {
        bits = on ? bits | WS_NEXT_SEQ_KNOWN : bits & ~WS_NEXT_SEQ_KNOWN;
    }

    boolean wsLastAckForgotten() {
        return (bits & WS_LAST_ACK_FORGOTTEN) != 0;
    }

    void wsLastAckForgotten(boolean on) {
        bits = on ? bits | WS_LAST_ACK_FORGOTTEN : bits & ~WS_LAST_ACK_FORGOTTEN;
    }

    boolean wsLastKeepAlive() {
        return (bits & WS_LAST_KEEP_ALIVE) != 0;
    }

    void wsLastKeepAlive(boolean on) {
        bits = on ? bits | WS_LAST_KEEP_ALIVE : bits & ~WS_LAST_KEEP_ALIVE;
    }

    boolean countsAfterPeerFin() {
        return (bits & COUNTS_AFTER_PEER_FIN) != 0;
    }

    void countsAfterPeerFin(boolean on) {
        bits = on ? bits | COUNTS_AFTER_PEER_FIN : bits & ~COUNTS_AFTER_PEER_FIN;
    }

    boolean notReceiving() {
        return (bits & NOT_RECEIVING) != 0;
    }

    void notReceiving(boolean on) {
        bits = on ? bits | NOT_RECEIVING : bits & ~NOT_RECEIVING;
    }

    boolean seqBaseKnown() {
        return (bits & SEQ_BASE_KNOWN) != 0;
    }

    void seqBaseKnown(boolean on) {
        bits = on ? bits | SEQ_BASE_KNOWN : bits & ~SEQ_BASE_KNOWN;
    }

    /**
     * The handshake's round trip as this active opener showed it: from its SYN to its ACK of
     * the peer's SYN-ACK (the two legs add up at any capture point), or -1.
     */
    long handshakeRttNanos() {
        return handshakeRttNanos;
    }

    void handshakeRttNanos(long nanos) {
        handshakeRttNanos = nanos;
    }

    /** How many times its SYN (or SYN-ACK) was seen. */
    public int synCount() {
        return (bits & SYN_COUNTS_IN_RARE) != 0 ? r().synCount : synCounts >>> SYN_COUNT & SYN_COUNT_MAX;
    }

    /** SYNs without ACK it sent. */
    int bareSyns() {
        return (bits & SYN_COUNTS_IN_RARE) != 0 ? r().bareSyns : synCounts >>> BARE_SYNS & SYN_COUNT_MAX;
    }

    /** SYN-ACKs it sent. */
    int synAcks() {
        return (bits & SYN_COUNTS_IN_RARE) != 0 ? r().synAcks : synCounts >>> SYN_ACKS & SYN_COUNT_MAX;
    }

    /** Sets its SYN count (recordFirstSyn; tests). */
    void synCount(int n) {
        if ((bits & SYN_COUNTS_IN_RARE) == 0 && n >= 0 && n <= SYN_COUNT_MAX) {
            synCounts = synCounts & ~(SYN_COUNT_MAX << SYN_COUNT) | n << SYN_COUNT;
        } else {
            countsToRare().synCount = n;
        }
    }

    void countSyn() {
        addSynCount(SYN_COUNT);
    }

    void countBareSyn() {
        addSynCount(BARE_SYNS);
    }

    void countSynAck() {
        addSynCount(SYN_ACKS);
    }

    private void addSynCount(int shift) {
        if ((bits & SYN_COUNTS_IN_RARE) == 0 && (synCounts >>> shift & SYN_COUNT_MAX) < SYN_COUNT_MAX) {
            synCounts += 1 << shift;
            return;
        }
        Rare x = countsToRare();
        if (shift == SYN_COUNT) {
            x.synCount++;
        } else if (shift == BARE_SYNS) {
            x.bareSyns++;
        } else {
            x.synAcks++;
        }
    }

    /** The three SYN counts in {@link Rare} from now on. */
    private Rare countsToRare() {
        Rare x = rare();
        if ((bits & SYN_COUNTS_IN_RARE) == 0) {
            x.synCount = synCount();
            x.bareSyns = bareSyns();
            x.synAcks = synAcks();
            bits |= SYN_COUNTS_IN_RARE;
        }
        return x;
    }

    /** One more segment it sent (not a capture copy), with {@code payload} bytes (ConnectionTracker). */
    void countSent(int payload) {
        if (++packetsLow == 0) {
            rare().packetsHigh++;
        }
        int before = payloadLow;
        payloadLow = before + payload;
        if (payload < 0 ? Integer.compareUnsigned(payloadLow, before) > 0
                : Integer.compareUnsigned(payloadLow, before) < 0) {
            rare().payloadHigh += payload < 0 ? -1 : 1;
        }
    }

    /** Sets its packet count (for tests of the rules that read it). */
    void packets(long n) {
        packetsLow = (int) n;
        if ((n >>> 32) != 0 || rare != null) {
            rare().packetsHigh = (int) (n >>> 32);
        }
    }

    /** Its last advertised window (unscaled), or -1 before one (SequenceRules). */
    int lastWindow() {
        return (bits & LAST_WINDOW_KNOWN) != 0 ? lastWindow : -1;
    }

    void lastWindow(int window) {
        lastWindow = (char) window;
        bits |= LAST_WINDOW_KNOWN;
    }

    /** The window of its last segment as Wireshark keeps it, or -1 before one (WiresharkCounts). */
    int wsLastWindow() {
        return (bits & WS_LAST_WINDOW_KNOWN) != 0 ? wsLastWindow : -1;
    }

    void wsLastWindow(int window) {
        wsLastWindow = (char) window;
        bits |= WS_LAST_WINDOW_KNOWN;
    }

    /** When its last SYN (or SYN-ACK) was seen, 0 before one. */
    long lastSynNanos() {
        return (bits & SYN_TIMES_FIRST) != 0 ? firstSynNanos : r().lastSynNanos;
    }

    /** When the SYN before its last was seen, 0 before a second. */
    long previousSynNanos() {
        return (bits & SYN_TIMES_FIRST) != 0 ? 0 : r().previousSynNanos;
    }

    /** Frame of its last SYN (or SYN-ACK), 0 before one. */
    long lastSynFrame() {
        return (bits & SYN_TIMES_FIRST) != 0 ? firstSynFrame : r().lastSynFrame;
    }

    /**
     * A SYN (or SYN-ACK) sent at {@code frame}, {@code nanos}: the last one now. Its first (no SYN
     * recorded yet, {@link #recordFirstSyn} follows with the same frame and time) costs no rare part.
     */
    void noteSyn(long frame, long nanos) {
        if (!synSent()) {
            bits |= SYN_TIMES_FIRST;
            return;
        }
        Rare x = rare();
        x.previousSynNanos = lastSynNanos();
        x.lastSynNanos = nanos;
        x.lastSynFrame = frame;
        bits &= ~SYN_TIMES_FIRST;
    }

    void countDuplicate() {
        rare().duplicates++;
    }

    /** Exact copies of its segments that the capture holds twice (see {@link DuplicateFilter}). */
    public long duplicates() {
        return r().duplicates;
    }

    /**
     * Records the first segment of this endpoint's that contradicted what was known (the
     * connection is flagged INCONSISTENT by the caller): where in the timeline it happened.
     */
    void noteContradiction(TcpEvent event, Cause.Detail detail, long frame, long nanos) {
        if (r().contradiction != null) {
            return;
        }
        rare().contradiction = new long[] {frame, nanos,
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
        long[] contradiction = r().contradiction;
        if (contradiction == null) {
            return null;
        }
        long meta = contradiction[2];
        TcpState held = TcpState.values()[(int) (meta & 0xFF)];
        Cause cause = new Cause(TcpEvent.values()[(int) (meta >>> 8 & 0xFF)], held,
                Cause.Detail.values()[(int) (meta >>> 16 & 0xFF)], contradiction[0], 0);
        return new Transition(contradiction[1], held, contradiction[0], cause, Transition.Basis.EVIDENCE);
    }

    /** {@code seq} relative to {@link #seqBase}, unsigned; -1 before anything of its stream is known. */
    long relative(int seq) {
        return seqBaseKnown() ? (seq - seqBase) & 0xFFFFFFFFL : -1;
    }

    /** Its first SYN (or SYN-ACK), seen or implied: starts its sequence space at {@code isn}. */
    void recordFirstSyn(int isn, long frame, long nanos) {
        seqBase = isn;
        seqBaseKnown(true);
        synSent(true);
        synCount(1);
        firstSynFrame = frame;
        firstSynNanos = nanos;
        sent.start(isn);
        sent.add(isn, 1);
        streamAnchored(true);
    }

    /** Its first FIN, seen or implied, occupying sequence number {@code finSeq}. */
    void recordFirstFin(int finSeq, long frame) {
        finSent(true);
        Rare x = rare();
        x.finSeq = finSeq;
        x.lastFinFrame = frame;
    }

    public Role role() {
        return (bits & SERVER) != 0 ? Role.SERVER : Role.CLIENT;
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
    @Override
    public TcpState state() {
        return super.state();
    }

    /** Current state as reports show it: CLOSED when nothing is known (NONE is never printed). */
    public TcpState stateOrClosed() {
        TcpState s = super.state();
        return s == TcpState.NONE ? TcpState.CLOSED : s;
    }

    /** Its transitions in order, as values (made on each call: read it once, at the end). */
    @Override
    public List<Transition> timeline() {
        return super.timeline();
    }

    /** Whether its last transition was taken on assumed delivery ({@code timeline()}'s last basis), without building the timeline. */
    public boolean lastTransitionAssumed() {
        return lastAssumed();
    }

    /** When this endpoint entered its current state, or -1. */
    @Override
    public long stateSinceNanos() {
        return super.stateSinceNanos();
    }

    /** Its initial sequence number, valid when {@link #synSent()} (0 before: its seqBase is the ISN from its first SYN on). */
    public int isn() {
        return synSent() ? seqBase : 0;
    }

    /**
     * Segments on its 4-tuple, claimed by it, whose sequence number was far outside anything it
     * could send (an off-path attacker's blind FINs, data or ACKs): ignored, not counted in
     * {@link #packets()}.
     */
    public long blindSegments() {
        return r().blindSegments;
    }

    /** Segments it sent, capture copies not counted. */
    public long packets() {
        return ((long) r().packetsHigh << 32) + Integer.toUnsignedLong(packetsLow);
    }

    /** Payload bytes of the segments it sent, capture copies not counted. */
    public long payloadBytes() {
        return ((long) r().payloadHigh << 32) + Integer.toUnsignedLong(payloadLow);
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
        return Math.max(0, bareSyns() - 1) + Math.max(0, synAcks() - 1) - r().otherIsnSyns;
    }

    /** Whether it opened actively (sent a SYN without ACK). */
    public boolean activeOpener() {
        return bareSyns() > 0;
    }

    /** SYN-ACKs it sent again. */
    public long synAckRetransmissions() {
        return Math.max(0, synAcks() - 1);
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
        return r().keepalives;
    }

    public long zeroWindowProbes() {
        return r().zeroWindowProbes;
    }

    /** Payload bytes it sent after it received the peer's FIN (in CLOSE_WAIT and later). */
    public long bytesAfterPeerFin() {
        return r().bytesAfterPeerFin;
    }

    /** Keepalive probes it sent after it received the peer's FIN. */
    public long keepalivesAfterPeerFin() {
        return r().keepalivesAfterPeerFin;
    }

    /** Pure ACKs with a new window it sent after it received the peer's FIN (its application read). */
    public long windowUpdatesAfterPeerFin() {
        return r().windowUpdatesAfterPeerFin;
    }

    /** Capture time of its last data or FIN after it received the peer's FIN, or -1. */
    public long lastDataAfterPeerFinNanos() {
        return r().lastDataAfterPeerFinNanos;
    }

    /** Frame of its first RST without ACK (a host with no socket answers so), or -1. */
    public long bareRstFrame() {
        return r().bareRstFrame;
    }

    /** The peer's state when it sent that RST ({@link TcpState#NONE} without one). */
    public TcpState peerStateAtBareRst() {
        return r().peerStateAtBareRst;
    }

    /** Capture time of the last segment other than a keepalive it sent after the peer's FIN, or -1. */
    public long lastNonKeepaliveAfterPeerFinNanos() {
        return r().lastNonKeepaliveAfterPeerFinNanos;
    }

    /**
     * Whether its timeline is exactly the mid-stream pickup's assumed ESTABLISHED: the capture
     * showed nothing that moved it.
     */
    @Override
    public boolean onlyPickup() {
        return super.onlyPickup();
    }

    /** Duplicate ACKs by Wireshark's rule ({@link WiresharkCounts}). */
    public long duplicateAcks() {
        return r().duplicateAcks;
    }

    /** Segments advertising a zero window, by Wireshark's rule ({@link WiresharkCounts}). */
    public long zeroWindows() {
        return r().zeroWindows;
    }

    /** Segments after a hole in its sequence space, by Wireshark's rule ({@link WiresharkCounts}). */
    public long lostSegments() {
        return r().lostSegments;
    }

    /** Capture time since when its advertised window is zero, or -1. */
    public long zeroWindowSinceNanos() {
        return r().zeroWindowSinceNanos;
    }

    /** Window scale it announced in its SYN, or -1. */
    public int windowScale() {
        return windowScale;
    }
}
