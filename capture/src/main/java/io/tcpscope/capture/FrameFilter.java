package io.tcpscope.capture;

/**
 * Decides, frame by frame, which frames of a capture are analyzed. Implementations allocate
 * nothing per frame and do not keep the frame.
 */
public interface FrameFilter extends AutoCloseable {

    /**
     * Whether this frame passes.
     *
     * @throws CaptureException when the filter cannot be evaluated at all (e.g. no libpcap)
     */
    boolean accept(Frame frame) throws CaptureException;

    /** Releases what the filter holds (native programs). Idempotent; never throws. */
    @Override
    void close();
}
