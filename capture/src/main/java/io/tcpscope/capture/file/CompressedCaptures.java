package io.tcpscope.capture.file;

import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.CaptureException.Kind;
import io.tcpscope.capture.PacketSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;

/**
 * Opens a compressed capture: the compressed bytes (those already in the window, then the
 * rest of the channel) go through the decompressor into a {@link StreamChannel}, which the
 * pcap and pcapng readers read like a file. Nothing is seeked, so this works on standard
 * input as well as on files.
 */
final class CompressedCaptures {
    private CompressedCaptures() {
    }

    /**
     * @param window holds the first bytes of {@code channel}, from {@code window.start}
     */
    static PacketSource open(Compression compression, FileChannel channel, FileWindow window, String description,
                             int windowCapacity) throws CaptureException {
        InputStream compressed = new SequenceInputStream(
            new ByteArrayInputStream(window.bytes, window.start, window.available()),
            Channels.newInputStream(channel));
        InputStream decompressed;
        try {
            decompressed = compression.decompress(compressed);
        } catch (IOException | RuntimeException e) {
            throw new CaptureException(Kind.BAD_FORMAT, description + ": " + compression.label()
                + "-compressed, but its header is damaged: "
                + (e instanceof java.io.EOFException ? "the file ends inside it" : CaptureFiles.reason(e)), e);
        }
        StreamChannel stream = new StreamChannel(decompressed);
        return StreamCaptureSource.open(stream, compression.label() + " data", description,
            description + " (" + compression.label() + "-compressed)", windowCapacity);
    }
}
