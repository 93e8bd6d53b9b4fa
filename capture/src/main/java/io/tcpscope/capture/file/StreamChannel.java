package io.tcpscope.capture.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A forward-only {@link java.nio.channels.FileChannel} over an {@link InputStream}: standard
 * input, or the output of a decompressor. It lets the file readers ({@link FileWindow},
 * {@link PcapReader}, {@link PcapngReader}) read streams unchanged.
 *
 * <p>What the readers need of a file, and what a stream gives instead:
 * <ul>
 *   <li>{@link #read(ByteBuffer)}: reads from the stream (what it has, at least one byte);</li>
 *   <li>{@link #position(long)}: forward only, by reading and discarding the bytes skipped;
 *       a backward seek is an {@link IOException};</li>
 *   <li>{@link #size()}: the bytes read so far (the stream's length once it has ended), so a
 *       skip past the end is seen as the end of the file;</li>
 *   <li>no {@code map}, no positional reads, no writes: {@link UnsupportedOperationException}.</li>
 * </ul>
 *
 * <p><b>Damage:</b> an {@link IOException} from the stream (a decompressor finding a cut or a
 * bad checksum, a read error on a pipe) ends the stream instead of being thrown: the reader
 * sees a truncated capture and stops with damage, and {@link #failure()} keeps the cause so
 * the source can report it ({@link StreamCaptureSource}).
 */
final class StreamChannel extends java.nio.channels.FileChannel {
    private static final int SKIP_BUFFER_LENGTH = 8192;

    private final InputStream in;
    /** Bytes delivered (read or skipped) so far. */
    private long position;
    private boolean ended;
    private IOException failure;
    private byte[] skipBuffer;

    /** @param in the stream; closed with this channel */
    StreamChannel(InputStream in) {
        this.in = in;
    }

    /** Why the stream ended early, or {@code null} when it ended cleanly (or has not ended). */
    IOException failure() {
        return failure;
    }

    /** Bytes delivered so far (the decompressed length, behind a decompressor). */
    long delivered() {
        return position;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (ended) {
            return -1;
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        int n;
        if (dst.hasArray()) {
            n = readStream(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
            if (n > 0) {
                dst.position(dst.position() + n);
            }
        } else {
            byte[] copy = new byte[Math.min(dst.remaining(), SKIP_BUFFER_LENGTH)];
            n = readStream(copy, 0, copy.length);
            if (n > 0) {
                dst.put(copy, 0, n);
            }
        }
        return n;
    }

    /** One read from the stream; a failure ends the stream (see the class comment). */
    private int readStream(byte[] bytes, int offset, int length) {
        int n;
        try {
            n = in.read(bytes, offset, length);
        } catch (IOException e) {
            failure = e;
            ended = true;
            return -1;
        } catch (RuntimeException e) {
            // some decompressors signal corrupt input with unchecked exceptions
            failure = new IOException(e.getMessage() != null ? e.getMessage() : e.toString(), e);
            ended = true;
            return -1;
        }
        if (n < 0) {
            ended = true;
            return -1;
        }
        position += n;
        return n;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public StreamChannel position(long newPosition) throws IOException {
        if (newPosition < position) {
            throw new IOException("cannot seek backwards in a stream (from byte " + position + " to " + newPosition + ")");
        }
        if (skipBuffer == null && newPosition > position) {
            skipBuffer = new byte[SKIP_BUFFER_LENGTH];
        }
        while (position < newPosition && !ended) {
            readStream(skipBuffer, 0, (int) Math.min(skipBuffer.length, newPosition - position));
        }
        return this;
    }

    @Override
    public long size() {
        return position;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            int n = read(dsts[i]);
            if (n < 0) {
                return total == 0 ? -1 : total;
            }
            total += n;
            if (dsts[i].hasRemaining()) {
                break;
            }
        }
        return total;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
        throw new NonWritableChannelException();
    }

    @Override
    public StreamChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public void force(boolean metaData) {
        // nothing is ever written
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) {
        throw new UnsupportedOperationException("a stream has no positional reads");
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) {
        throw new NonWritableChannelException();
    }

    @Override
    public int read(ByteBuffer dst, long position) {
        throw new UnsupportedOperationException("a stream has no positional reads");
    }

    @Override
    public int write(ByteBuffer src, long position) {
        throw new NonWritableChannelException();
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) {
        throw new UnsupportedOperationException("a stream cannot be mapped");
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) {
        throw new UnsupportedOperationException("a stream cannot be locked");
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) {
        throw new UnsupportedOperationException("a stream cannot be locked");
    }

    @Override
    protected void implCloseChannel() throws IOException {
        ended = true;
        in.close();
    }
}
