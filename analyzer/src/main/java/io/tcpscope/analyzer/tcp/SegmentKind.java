package io.tcpscope.analyzer.tcp;

/** What the tracker made of one captured segment, for {@link SegmentObserver}s. Names are stable. */
public enum SegmentKind {
    /** The capture's own copy of a segment just seen (skipped; see {@link DuplicateFilter}). */
    DUPLICATE,
    /** A RST. */
    RESET,
    /** A keepalive probe (seq = SND.UNA - 1, 0 or 1 byte): not data, not a retransmission. */
    KEEPALIVE,
    /** A zero-window probe (as a keepalive, sent while the peer advertises a zero window). */
    ZERO_WINDOW_PROBE,
    /** New sequence space, in order. */
    IN_ORDER,
    /** Every sequence number already seen. */
    RETRANSMISSION,
    /** After a gap in the sequence space, or filling one. */
    OUT_OF_ORDER,
    /** Partly new, partly seen. */
    OVERLAP,
    /** Consumes no sequence space (a pure ACK or window update). */
    EMPTY
}
