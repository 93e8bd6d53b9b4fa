package io.tcpscope.analyzer.engine;

import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.SegmentKind;

/**
 * Per-connection state built from every segment the tracker processed (Zeek's history letters,
 * a ladder diagram): one observer per connection, made by a {@link Factory} when the
 * {@link Pipeline} opens the connection, fed each segment after the tracker decided about it,
 * and asked for its {@linkplain #result() immutable result} once, when the connection's
 * {@link ConnectionRecord} is built, which carries it ({@link ConnectionRecord#observation}).
 *
 * <p>Off the hot path unless asked for: a pipeline built without factories gives its tracker
 * {@link io.tcpscope.analyzer.tcp.SegmentObserver#NONE} and makes no observer at all. An
 * observer must keep bounded state (a few counters, capped strings), and should allocate
 * nothing per segment.
 */
public interface ConnectionObserver {

    /**
     * One segment of this connection, after the tracker processed it.
     *
     * @param sender    which tcpscope side sent it
     * @param s         the decoded segment: a flyweight, valid during this call only
     * @param relSeq    sequence number relative to the sender's stream start, or -1 ({@link
     *                  io.tcpscope.analyzer.tcp.SegmentObserver})
     * @param relAck    acknowledgement number relative to the receiver's stream start, or -1
     * @param kind      what the tracker made of it
     * @param delivered whether the tracker takes it as delivered to the receiver
     * @param frame     1-based frame number
     * @param nanos     capture time
     */
    void segment(Endpoint.Role sender, TcpSegment s, long relSeq, long relAck, SegmentKind kind, boolean delivered,
                 long frame, long nanos);

    /**
     * The immutable result, called once when the record is built (after the tracker's end
     * rules ran on {@code c}); it is stored in the record in the order of the factories.
     *
     * @return the result, never null (the record's list holds no nulls)
     */
    Object result(Connection c);

    /** Makes one observer per connection. */
    @FunctionalInterface
    interface Factory {
        ConnectionObserver open(Connection c);
    }
}
