package io.tcpscope.analyzer.engine;

import io.tcpscope.analyzer.decode.DecodeResult;
import io.tcpscope.analyzer.decode.PacketDecoder;
import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.capture.Frame;

/**
 * What {@link Pipeline#onDecoded} needs of one frame: its number, capture time, link type,
 * the decoder's verdict and, for TCP, the decoded {@link TcpSegment}. Nothing of the frame's
 * bytes is kept, so a frame can be decoded on one thread and its slot handed to the
 * lifecycle on another ({@link FrameRing}). A slot is reused for frame after frame: it
 * belongs to whoever holds it (the decoding thread until it is published, the lifecycle
 * thread until it is released), and {@link Pipeline#onDecoded} does not keep it.
 */
public final class DecodedFrame {
    /** The decoded segment when {@link #result()} is TCP; overwritten by the next decode. */
    public final TcpSegment segment = new TcpSegment();
    long number;
    long nanos;
    int linkType;
    DecodeResult result;

    /** Decodes {@code frame} into this slot with {@code decoder} (one decoder per thread). */
    public void decode(PacketDecoder decoder, Frame frame) {
        number = frame.number();
        nanos = frame.timestampNanos();
        linkType = frame.linkType();
        result = decoder.decode(frame.buffer(), frame.offset(), frame.capturedLength(), frame.linkType(), segment);
    }

    public long number() {
        return number;
    }

    public long timestampNanos() {
        return nanos;
    }

    public int linkType() {
        return linkType;
    }

    public DecodeResult result() {
        return result;
    }
}
