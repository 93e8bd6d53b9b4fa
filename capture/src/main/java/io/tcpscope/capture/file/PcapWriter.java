package io.tcpscope.capture.file;

import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.CaptureException.Kind;
import io.tcpscope.capture.Frame;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes classic pcap files (the format {@link PcapReader} reads and {@code tcpdump -r}
 * expects), in little-endian byte order, with microsecond or nanosecond timestamps.
 *
 * <pre>
 *   file header (24 bytes)                      record (16 bytes + captured bytes)
 *   +--------------------------------------+    +--------------------------------------+
 *   | magic a1b2c3d4 (us) / a1b23c4d (ns)  | 0  | timestamp seconds                    | 0
 *   | major 2 (2 bytes) | minor 4 (2 bytes)| 4  | microseconds or nanoseconds          | 4
 *   | reserved 0                           | 8  | captured length                      | 8
 *   | reserved 0                           | 12 | original length                      | 12
 *   | snaplen                              | 16 +--------------------------------------+
 *   | LINKTYPE_*                           | 20 | captured bytes ...                   | 16
 *   +--------------------------------------+    +--------------------------------------+
 * </pre>
 *
 * <p>Records are gathered in one reused buffer of {@link #BUFFER_CAPACITY} bytes and written
 * when it is full, on {@link #flush()} and on {@link #close()}: nothing is allocated per
 * packet. <b>Limits:</b> a frame longer than the snaplen is cut to the snaplen (its original
 * length is kept), as a capture would; the snaplen itself is at most
 * {@link PcapReader#RECORD_LIMIT}. Timestamps are written as unsigned 32-bit seconds, so
 * they must lie between 1970 and 2106; others wrap around.
 */
public final class PcapWriter implements AutoCloseable {
    /** Timestamp unit of the file, chosen by its magic number. */
    public enum Precision {
        /** Magic 0xa1b2c3d4: what every pcap reader understands. */
        MICROSECONDS,
        /** Magic 0xa1b23c4d: keeps the nanoseconds tcpscope frames carry. */
        NANOSECONDS
    }

    /** Bytes gathered before one channel write. */
    static final int BUFFER_CAPACITY = 1 << 20;

    private static final VarHandle INT_LE =
        MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_LE =
        MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private final WritableByteChannel channel;
    private final String description;
    private final int snaplen;
    private final Precision precision;
    private final byte[] buffer = new byte[BUFFER_CAPACITY];
    private final ByteBuffer bufferWrapper = ByteBuffer.wrap(buffer);
    private int buffered;
    private long framesWritten;
    /** Frames and bytes known to be in the file (flushed whole). */
    private long framesOnDisk;
    private long bytesOnDisk;
    /** Whether the buffer still starts with the file header (nothing flushed yet). */
    private boolean headerInBuffer = true;
    private boolean closed;

    /** Creates (or truncates) {@code path} and writes a nanosecond pcap header. */
    public PcapWriter(Path path, int linkType, int snaplen) throws CaptureException {
        this(path, linkType, snaplen, Precision.NANOSECONDS);
    }

    /** Creates (or truncates) {@code path} and writes the pcap file header. */
    public PcapWriter(Path path, int linkType, int snaplen, Precision precision) throws CaptureException {
        this(openForWriting(path), path.toString(), linkType, snaplen, precision);
    }

    /**
     * Writes to an open channel (for example standard output); {@link #close()} closes it.
     *
     * @param description names the destination in error messages
     */
    public PcapWriter(WritableByteChannel channel, String description, int linkType, int snaplen,
                      Precision precision) throws CaptureException {
        if (snaplen <= 0 || snaplen > PcapReader.RECORD_LIMIT) {
            throw new IllegalArgumentException("snaplen " + snaplen + " not in 1.." + PcapReader.RECORD_LIMIT);
        }
        if (linkType < 0 || linkType > PcapReader.LINKTYPE_MASK) {
            throw new IllegalArgumentException("link type " + linkType + " not in 0.." + PcapReader.LINKTYPE_MASK);
        }
        this.channel = channel;
        this.description = description;
        this.snaplen = snaplen;
        this.precision = precision;
        int magic = precision == Precision.NANOSECONDS ? PcapReader.MAGIC_NANOSECONDS : PcapReader.MAGIC_MICROSECONDS;
        INT_LE.set(buffer, PcapReader.HEADER_MAGIC, magic);
        SHORT_LE.set(buffer, PcapReader.HEADER_VERSION_MAJOR, (short) PcapReader.VERSION_MAJOR);
        SHORT_LE.set(buffer, PcapReader.HEADER_VERSION_MINOR, (short) PcapReader.VERSION_MINOR);
        INT_LE.set(buffer, 8, 0);
        INT_LE.set(buffer, 12, 0);
        INT_LE.set(buffer, PcapReader.HEADER_SNAPLEN, snaplen);
        INT_LE.set(buffer, PcapReader.HEADER_LINKTYPE, linkType);
        buffered = PcapReader.FILE_HEADER_LENGTH;
    }

    private static FileChannel openForWriting(Path path) throws CaptureException {
        try {
            return FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING);
        } catch (NoSuchFileException e) {
            throw new CaptureException(Kind.NOT_FOUND, path + ": No such file or directory", e);
        } catch (AccessDeniedException e) {
            throw new CaptureException(Kind.NOT_FOUND, path + ": Permission denied", e);
        } catch (IOException | UnsupportedOperationException e) {
            throw new CaptureException(Kind.IO, path + ": " + CaptureFiles.reason(e), e);
        }
    }

    /** Writes a frame read from any source (its bytes, lengths and timestamp). */
    public void write(Frame frame) throws CaptureException {
        write(frame.timestampNanos(), frame.capturedLength(), frame.originalLength(), frame.buffer(), frame.offset());
    }

    /**
     * Writes one record.
     *
     * @param timestampNanos nanoseconds since the epoch
     * @param capturedLength bytes to take from {@code bytes}; cut to the snaplen
     * @param originalLength length on the wire
     * @param bytes          the frame's bytes
     * @param offset         first frame byte in {@code bytes}
     */
    public void write(long timestampNanos, int capturedLength, int originalLength, byte[] bytes, int offset)
            throws CaptureException {
        if (closed) {
            throw new IllegalStateException(description + ": writer is closed");
        }
        if (capturedLength < 0 || originalLength < 0) {
            throw new IllegalArgumentException("negative length: captured " + capturedLength
                + ", original " + originalLength);
        }
        int length = Math.min(capturedLength, snaplen);
        int recordLength = PcapReader.RECORD_HEADER_LENGTH + length;
        if (BUFFER_CAPACITY - buffered < recordLength) {
            flushBuffer();
        }
        long seconds = Math.floorDiv(timestampNanos, Timestamps.NANOS_PER_SECOND);
        long nanos = Math.floorMod(timestampNanos, Timestamps.NANOS_PER_SECOND);
        int record = buffered;
        INT_LE.set(buffer, record + PcapReader.RECORD_SECONDS, (int) seconds);
        INT_LE.set(buffer, record + PcapReader.RECORD_FRACTION,
            (int) (precision == Precision.NANOSECONDS ? nanos : nanos / 1_000));
        INT_LE.set(buffer, record + PcapReader.RECORD_CAPTURED_LENGTH, length);
        INT_LE.set(buffer, record + PcapReader.RECORD_ORIGINAL_LENGTH, Math.max(originalLength, length));
        System.arraycopy(bytes, offset, buffer, record + PcapReader.RECORD_HEADER_LENGTH, length);
        buffered = record + recordLength;
        framesWritten++;
    }

    /** Records written so far. */
    public long framesWritten() {
        return framesWritten;
    }

    /** Writes what is buffered, so that readers of the file see every frame written so far. */
    public void flush() throws CaptureException {
        if (!closed) {
            flushBuffer();
        }
    }

    private void flushBuffer() throws CaptureException {
        bufferWrapper.limit(buffered).position(0);
        try {
            while (bufferWrapper.hasRemaining()) {
                channel.write(bufferWrapper);
            }
        } catch (IOException e) {
            throw failed(e, bufferWrapper.position());
        }
        bytesOnDisk += buffered;
        framesOnDisk = framesWritten;
        headerInBuffer = false;
        buffered = 0;
    }

    /**
     * A write failed after {@code written} bytes of the buffer (a full disk): the file is cut
     * back to the last whole record (so that it stays a valid capture), the writer is closed, and
     * the error says how many frames the file holds.
     */
    private CaptureException failed(IOException e, int written) {
        int boundary = 0;
        long frames = framesOnDisk;
        int at = 0;
        if (headerInBuffer) {
            at = PcapReader.FILE_HEADER_LENGTH;
            boundary = written >= at ? at : 0;
        }
        while (at + PcapReader.RECORD_HEADER_LENGTH <= buffered && boundary == at) {
            int length = (int) INT_LE.get(buffer, at + PcapReader.RECORD_CAPTURED_LENGTH);
            int end = at + PcapReader.RECORD_HEADER_LENGTH + length;
            if (end > written) {
                break;
            }
            at = end;
            boundary = end;
            frames++;
        }
        String kept;
        if (channel instanceof FileChannel file) {
            try {
                file.truncate(bytesOnDisk + boundary);
                kept = "the file holds the " + frames + " frames before it, cut at a record boundary";
            } catch (IOException truncateFailed) {
                kept = "the file may end in a cut record (" + CaptureFiles.reason(truncateFailed) + ")";
            }
        } else {
            kept = frames + " frames were written whole";
        }
        framesOnDisk = frames;
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // the write error is the one to report
        }
        return new CaptureException(Kind.IO, description + ": write error: " + CaptureFiles.reason(e) + "; " + kept, e);
    }

    /** Frames the file holds whole (after a write error: those before it). */
    public long framesOnDisk() {
        return framesOnDisk;
    }

    /** Whether the writer is closed (by {@link #close()}, or by a write error). */
    public boolean isClosed() {
        return closed;
    }

    /** Flushes and closes the file. Idempotent. */
    @Override
    public void close() throws CaptureException {
        if (closed) {
            return;
        }
        try {
            flushBuffer();
        } finally {
            closed = true;
            try {
                channel.close();
            } catch (IOException e) {
                // a failed close after a successful flush can still lose data on some file systems
                throw new CaptureException(Kind.IO, description + ": close failed: " + CaptureFiles.reason(e), e);
            }
        }
    }
}
