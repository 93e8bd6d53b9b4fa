package io.tcpscope.analyzer.tcp;

import io.tcpscope.analyzer.reassembly.HalfStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One side of a connection: its address, what it sent (a {@link HalfStream}), what the
 * capture shows it received, and its RFC 9293 state with the timeline of how it got there.
 * Every state change goes through {@link #transition}.
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

    private TcpState state;
    private final List<Transition> timeline = new ArrayList<>(8);

    /** The stream this endpoint sent. */
    final HalfStream sent = new HalfStream();
    /**
     * Whether its sequence space is pinned by a SYN, data, a FIN, or the peer's ACK. A stream
     * first seen mid-connection through a zero-length segment is not: that segment may be a
     * keepalive probe, which carries SND.UNA - 1.
     */
    boolean streamAnchored;

    // What it sent, as control segments.
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
    int finCount;
    long finFrame;
    long lastFinFrame;
    long lastFinNanos;
    /** Whether its last FIN segment carried an ACK, and the value. */
    boolean finCarriedAck;
    int finAck;
    long lastSynNanos;
    long previousSynNanos;
    long lastSynFrame;
    boolean finInferred;
    boolean rstSent;

    // What the capture shows it received.
    boolean ackSent;
    int highestAck;
    boolean receivedPeerSyn;
    boolean receivedPeerFin;
    boolean ourFinAcked;
    boolean ourSynAcked;
    long ourSynAckedFrame;

    // Window and activity.
    int windowScale = -1;
    int lastWindow = -1;
    long zeroWindowSinceNanos = -1;
    long packets;
    long payloadBytes;
    long lastSendNanos = -1;
    long lastSendFrame;
    long keepalives;
    long zeroWindowProbes;

    /**
     * Set when it behaved as if it got nothing of the peer's (the peer resends data it never
     * ACKed): the peer's segments are not taken as delivered to it until it sends again.
     */
    boolean notReceiving;

    /** Recent segments it sent, to recognise a capture's duplicate copies; allocated on first use. */
    private long[] recentSeqAck;
    private long[] recentIdLenFlags;
    private long[] recentTsVal;
    private long[] recentNanos;
    private int recentNext;
    long duplicates;

    /** How many recent segments are remembered for duplicate detection. */
    static final int RECENT_SEGMENTS = 4;
    /** Copies of one packet from two capture points are microseconds apart; a resend never is this close. */
    static final long DUPLICATE_WINDOW_NANOS = 50_000_000L;

    /**
     * Whether this segment is an exact copy of one it sent just before: the same IPv4
     * Identification, sequence and acknowledgement numbers, length, flags and TCP timestamp
     * value. Linux gives every transmission, a resend too, a new IP ID (and a resend sent within
     * the same millisecond keeps its TSval), so an identical copy is the capture's own
     * duplicate (two taps merged, a mirror port), not the endpoint's. IPv6 has no IP ID:
     * there, copies cannot be told from resends and nothing is called a duplicate.
     * Remembers the segment otherwise.
     */
    boolean isDuplicate(int ipId, int seq, int ack, int length, int flags, long tsVal, long nanos) {
        if (ipId < 0) {
            return false;
        }
        long seqAck = ((long) seq << 32) | (ack & 0xFFFFFFFFL);
        long idLenFlags = ((long) ipId << 40) | ((long) (length & 0xFFFFFFF) << 8) | (flags & 0xFF);
        if (recentSeqAck == null) {
            recentSeqAck = new long[RECENT_SEGMENTS];
            recentIdLenFlags = new long[RECENT_SEGMENTS];
            recentTsVal = new long[RECENT_SEGMENTS];
            recentNanos = new long[RECENT_SEGMENTS];
            java.util.Arrays.fill(recentNanos, Long.MIN_VALUE);
        }
        for (int i = 0; i < RECENT_SEGMENTS; i++) {
            if (recentSeqAck[i] == seqAck && recentIdLenFlags[i] == idLenFlags && recentTsVal[i] == tsVal
                    && nanos >= recentNanos[i] && nanos - recentNanos[i] <= DUPLICATE_WINDOW_NANOS) {
                duplicates++;
                return true;
            }
        }
        recentSeqAck[recentNext] = seqAck;
        recentIdLenFlags[recentNext] = idLenFlags;
        recentTsVal[recentNext] = tsVal;
        recentNanos[recentNext] = nanos;
        recentNext = (recentNext + 1) % RECENT_SEGMENTS;
        return false;
    }

    /** Exact copies of its segments that the capture holds twice (see {@link #isDuplicate}). */
    public long duplicates() {
        return duplicates;
    }

    /** Index in the timeline of a transition taken on assumed delivery, or -1. */
    int tentativeIndex = -1;

    /** Frame of the transition taken on assumed delivery, or -1. */
    long tentativeFrame() {
        return tentativeIndex < 0 ? -1 : timeline.get(tentativeIndex).frame();
    }

    Endpoint(Role role, int ipVersion, long addressHi, long addressLo, int port) {
        this.role = role;
        this.ipVersion = ipVersion;
        this.addressHi = addressHi;
        this.addressLo = addressLo;
        this.port = port;
    }

    /** Its first SYN (or SYN-ACK), seen or implied: starts its sequence space at {@code isn}. */
    void recordFirstSyn(int isn, long frame, long nanos) {
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
        finCount = 1;
        finFrame = frame;
        lastFinFrame = frame;
    }

    /**
     * The one way to change state: records the timeline entry. A transition to the state
     * already held is not recorded.
     *
     * @return whether the state changed
     */
    boolean transition(TcpState next, String cause, long frame, long timestampNanos, Transition.Basis basis) {
        if (state == next) {
            return false;
        }
        state = next;
        timeline.add(new Transition(timestampNanos, next, frame, cause, basis));
        tentativeIndex = basis == Transition.Basis.ASSUMED ? timeline.size() - 1 : -1;
        return true;
    }

    /**
     * Takes back the last transition when it was made on assumed delivery and later evidence
     * shows the segment never arrived (the endpoint retransmitted what the peer had ACKed).
     *
     * @return whether something was taken back
     */
    boolean retractTentative() {
        if (tentativeIndex < 0 || tentativeIndex != timeline.size() - 1) {
            return false;
        }
        timeline.remove(tentativeIndex);
        state = timeline.isEmpty() ? null : timeline.get(timeline.size() - 1).state();
        tentativeIndex = -1;
        return true;
    }

    /**
     * Replaces a timeline that later evidence shows was never real (a SYN cookie answer kept no
     * state) with a single entry. The only way, besides {@link #transition}, to change state.
     */
    void discardTimeline(TcpState state, String cause, long frame, long timestampNanos) {
        timeline.clear();
        this.state = null;
        tentativeIndex = -1;
        transition(state, cause, frame, timestampNanos, Transition.Basis.EVIDENCE);
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

    /** Current state, or {@code null} before anything is known about this endpoint. */
    public TcpState state() {
        return state;
    }

    /** Current state, CLOSED when nothing is known. */
    public TcpState stateOrClosed() {
        return state == null ? TcpState.CLOSED : state;
    }

    public List<Transition> timeline() {
        return Collections.unmodifiableList(timeline);
    }

    /** When this endpoint entered its current state, or -1. */
    public long stateSinceNanos() {
        return timeline.isEmpty() ? -1 : timeline.get(timeline.size() - 1).timestampNanos();
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

    /** Capture time since when its advertised window is zero, or -1. */
    public long zeroWindowSinceNanos() {
        return zeroWindowSinceNanos;
    }

    /** Window scale it announced in its SYN, or -1. */
    public int windowScale() {
        return windowScale;
    }
}
