package io.tcpscope.analyzer.tcp;

import static io.tcpscope.analyzer.reassembly.SeqNum.ge;
import static io.tcpscope.analyzer.reassembly.SeqNum.gt;

import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.reassembly.HalfStream;

/**
 * Guards that classify a segment against what its sender was seen to send before: pure
 * functions of the sender's stream and the segment, each tested on its own.
 */
final class SegmentClassifier {
    private SegmentClassifier() {
    }

    /**
     * A Linux keepalive or zero-window probe: no SYN, no FIN, 0 or 1 byte at seq = SND.UNA - 1
     * (the last byte already sent and seen in order). Not data, not a retransmission.
     */
    static boolean isProbe(HalfStream stream, boolean syn, boolean fin, int seq, int len) {
        return !syn && !fin && len <= 1 && seq == stream.highestEnd() - 1 && ge(stream.contiguousEnd(), seq + len);
    }

    /**
     * RFC 9293 §3.8.6.1's zero-window probe as BSD and Windows send it: one new byte at
     * SND.NXT (everything before it seen, in order) while the receiver's window is zero. Data
     * too (the receiver may take the byte); its resends are {@link #isProbe}'s shape.
     */
    static boolean isNewByteProbe(HalfStream stream, boolean syn, boolean fin, int seq, int len, int peerWindow) {
        return !syn && !fin && len == 1 && peerWindow == 0 && seq == stream.highestEnd()
                && stream.contiguousEnd() == stream.highestEnd();
    }

    /**
     * state-machine.md §2: a segment (no SYN, no FIN) starting one past everything its sender
     * was seen to send, with nothing missing before, shows a FIN the capture missed. Only from
     * a state that can send a FIN, and not right after its SYN while it has not had the
     * peer's SYN (seq = ISN + 2 there is a keepalive-like probe of a half-open handshake).
     */
    static boolean missedFinBySequence(Endpoint e, boolean syn, boolean fin, int seq) {
        HalfStream stream = e.sent;
        return !syn && !fin && !e.finSent() && seq == stream.highestEnd() + 1
                && stream.contiguousEnd() == stream.highestEnd() && canSendFin(e.state())
                && !(e.synSent() && stream.highestEnd() == e.isn() + 1 && !e.receivedPeerSyn());
    }

    /** Whether the segment uses sequence space its sender never used before: a first FIN or new data. */
    static boolean advancesStream(Endpoint e, TcpSegment s) {
        if (s.has(TcpSegment.FIN) && !e.finSent()) {
            return true;
        }
        return s.payloadLength > 0 && e.sent.started() && gt(s.seq + s.payloadLength, e.sent.highestEnd());
    }

    /** States from which an endpoint sends its first FIN (RFC 9293 §3.10.4: CLOSE). */
    static boolean canSendFin(TcpState s) {
        switch (s) {
            case ESTABLISHED: case CLOSE_WAIT: case SYN_RECEIVED:
                return true;
            case LISTEN: case SYN_SENT: case FIN_WAIT_1: case FIN_WAIT_2: case CLOSING: case LAST_ACK:
            case TIME_WAIT: case CLOSED: case NONE:
                return false;
        }
        throw new AssertionError(s);
    }

    /** The observer's name for a class the stream gave. */
    static SegmentKind kindOf(HalfStream.SegmentClass cls) {
        switch (cls) {
            case IN_ORDER:
                return SegmentKind.IN_ORDER;
            case RETRANSMISSION:
                return SegmentKind.RETRANSMISSION;
            case OUT_OF_ORDER:
                return SegmentKind.OUT_OF_ORDER;
            case OVERLAP:
                return SegmentKind.OVERLAP;
            case EMPTY:
                return SegmentKind.EMPTY;
        }
        throw new AssertionError(cls);
    }
}
