package io.tcpscope.capture.file;

import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.PacketSource;

import java.io.EOFException;

/**
 * A capture read from a {@link StreamChannel} (standard input, a decompressor): the pcap or
 * pcapng reader over it, plus the damage the stream itself found. A cut compressed file or a
 * bad checksum ends the stream; the reader then sees a truncated capture, and
 * {@link #damage()} names both, e.g. {@code "gzip data damaged after 1048576 bytes of
 * capture: Unexpected end of ZLIB input stream; truncated record: frame 812 ..."}.
 */
final class StreamCaptureSource implements PacketSource {
    private final PacketSource reader;
    private final StreamChannel stream;
    /** What the stream is, for messages: {@code "gzip data"}, {@code "standard input"}. */
    private final String what;
    private final String description;

    StreamCaptureSource(PacketSource reader, StreamChannel stream, String what, String description) {
        this.reader = reader;
        this.stream = stream;
        this.what = what;
        this.description = description;
    }

    /**
     * Opens the capture in {@code stream}; when that fails because the stream itself broke
     * before a whole file header came through, says so instead of "empty file".
     */
    static PacketSource open(StreamChannel stream, String what, String description, String readerDescription,
                             int windowCapacity) throws CaptureException {
        PacketSource reader;
        try {
            reader = CaptureFiles.open(stream, readerDescription, windowCapacity);
        } catch (CaptureException e) {
            if (stream.failure() != null && e.kind() == CaptureException.Kind.BAD_FORMAT) {
                throw new CaptureException(CaptureException.Kind.BAD_FORMAT, description + ": "
                    + streamDamage(what, stream), e);
            }
            throw e;
        }
        return new StreamCaptureSource(reader, stream, what, description);
    }

    @Override
    public Frame next() throws CaptureException {
        return reader.next();
    }

    /** The wrapped source's (pcapng ISB statistics pass through). */
    @Override
    public java.util.OptionalLong captureEndNanos() {
        return reader.captureEndNanos();
    }

    @Override
    public java.util.OptionalLong interfaceReceived() {
        return reader.interfaceReceived();
    }

    @Override
    public java.util.OptionalLong interfaceDrops() {
        return reader.interfaceDrops();
    }

    @Override
    public java.util.OptionalLong osDrops() {
        return reader.osDrops();
    }

    @Override
    public String damage() {
        String readerDamage = reader.damage();
        if (stream.failure() == null) {
            return readerDamage;
        }
        String streamDamage = streamDamage(what, stream);
        return readerDamage == null ? streamDamage : streamDamage + "; " + readerDamage;
    }

    private static String streamDamage(String what, StreamChannel stream) {
        return what + " damaged after " + stream.delivered() + " bytes of capture: " + failureReason(stream);
    }

    private static String failureReason(StreamChannel stream) {
        Exception failure = stream.failure();
        if (failure instanceof EOFException && failure.getMessage() == null) {
            return "unexpected end of the compressed data";
        }
        return CaptureFiles.reason(failure);
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void breakLoop() {
        reader.breakLoop();
    }

    @Override
    public void close() {
        reader.close();
    }
}
