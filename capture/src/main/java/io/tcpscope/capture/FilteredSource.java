package io.tcpscope.capture;

/**
 * A source that returns only the frames a {@link FrameFilter} accepts, with their numbers
 * unchanged: a frame that fails the filter still counts (frame 30 of the file is frame 30
 * here) and still moves the capture's clock, which {@link #lastTimestampNanos()} reports, so
 * that the capture ends at the file's last frame whatever the filter keeps. Allocates nothing
 * per frame. Closing it closes the source and the filter.
 */
public final class FilteredSource extends ForwardingSource {
    private final FrameFilter filter;
    private long lastTimestampNanos = Long.MIN_VALUE;
    private long firstTimestampNanos = Long.MIN_VALUE;
    private long read;
    private long rejected;

    public FilteredSource(PacketSource source, FrameFilter filter) {
        super(source);
        this.filter = filter;
    }

    @Override
    public Frame next() throws CaptureException {
        Frame f;
        while ((f = source.next()) != null) {
            read++;
            long ts = f.timestampNanos();
            if (firstTimestampNanos == Long.MIN_VALUE) {
                firstTimestampNanos = ts;
            }
            lastTimestampNanos = Math.max(lastTimestampNanos, ts);
            if (filter.accept(f)) {
                return f;
            }
            rejected++;
        }
        return null;
    }

    /**
     * The latest timestamp of any frame read so far, accepted or not ({@link Long#MIN_VALUE}
     * before the first frame): the capture's clock.
     */
    public long lastTimestampNanos() {
        return lastTimestampNanos;
    }

    /** The timestamp of the file's first frame, accepted or not ({@link Long#MIN_VALUE} before it). */
    public long firstTimestampNanos() {
        return firstTimestampNanos;
    }


    /** The filter this source applies. */
    public FrameFilter filter() {
        return filter;
    }

    /** Frames read from the underlying source, accepted or not. */
    public long framesRead() {
        return read;
    }

    /** Frames the filter rejected. */
    public long framesRejected() {
        return rejected;
    }

    @Override
    public void close() {
        try {
            source.close();
        } finally {
            filter.close();
        }
    }
}
