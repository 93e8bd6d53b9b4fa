package io.tcpscope.analyzer.tcp;

/**
 * Called once per segment the tracker processed, with what it decided about it: the hook for
 * per-segment outputs (Zeek history letters, ladder diagrams). Only primitives and enums are
 * passed, so an observer that does not allocate keeps the hot path allocation-free; with
 * {@link #NONE} (the default) the call costs nothing but a return.
 *
 * <p>Relative numbers are unsigned offsets from the sender's (for {@code ack}: the
 * receiver's) initial sequence number, or from the first sequence number seen of it when the
 * handshake was not captured; -1 when that stream has not been seen at all.
 */
@FunctionalInterface
public interface SegmentObserver {

    /** The observer that does nothing. */
    SegmentObserver NONE = (c, sender, flags, relSeq, relAck, length, window, kind, delivered, frame, nanos) -> {
    };

    /**
     * @param c         the connection
     * @param sender    which side sent it
     * @param flags     the TCP flags ({@code TcpSegment} bit values)
     * @param relSeq    sequence number relative to the sender's stream start, or -1
     * @param relAck    acknowledgement number relative to the receiver's stream start, or -1 (no ACK flag or
     *                  stream unknown)
     * @param length    payload bytes
     * @param window    advertised window, unscaled
     * @param kind      what the tracker made of it
     * @param delivered whether the tracker takes it as delivered to the receiver (false for a RST outside the
     *                  receiver's window or not acceptable in SYN_SENT, a capture copy, or while the receiver
     *                  behaves as if it gets nothing)
     * @param frame     1-based frame number
     * @param nanos     capture time
     */
    void segment(Connection c, Endpoint.Role sender, int flags, long relSeq, long relAck, int length, int window,
                 SegmentKind kind, boolean delivered, long frame, long nanos);
}
