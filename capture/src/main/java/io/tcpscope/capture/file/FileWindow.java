package io.tcpscope.capture.file;

import io.tcpscope.capture.CaptureException;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * A sliding window over a file: one reused byte array, refilled from a {@link FileChannel}
 * in large chunks.
 *
 * <pre>
 *   bytes:  [ consumed ... | start ......... end | free ......... capacity ]
 *                            ^ unconsumed data ^
 *   file offset of bytes[0] = windowOffset;  file offset of bytes[start] = position()
 * </pre>
 *
 * <p>Readers look at {@code bytes[start .. end)} directly and advance {@link #start} when
 * they consume a record. {@link #require(int)} makes sure a whole record is in the window:
 * when it is not, the unconsumed tail is moved to the front (a copy of less than one
 * record) and the rest of the array is filled with one channel read. Nothing is allocated
 * after construction.
 *
 * <p><b>Limit:</b> the window holds at most {@link #capacity()} bytes, so a reader can ask
 * for at most that many at once; readers reject larger records as damage before asking.
 * File offsets are {@code long}: files over 4 GB work.
 *
 * <p><b>Followed</b> ({@link Follow}): the end of the file is not the end; a read that finds
 * it waits for the file to grow and reads again, so {@code require} returns less than asked
 * only once the following has ended.
 */
final class FileWindow {
    /** Default window size: one channel read fills up to this many bytes. */
    static final int DEFAULT_CAPACITY = 1 << 20;

    private static final VarHandle INT_LE =
        MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_BE =
        MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_LE =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_BE =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT_LE =
        MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_BE =
        MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

    private final FileChannel channel;
    private final String description;
    /** The window's bytes; readers index into it between {@link #start} and {@link #end}. */
    final byte[] bytes;
    private final ByteBuffer bytesWrapper;
    /** First unconsumed byte in {@link #bytes}. */
    int start;
    /** One past the last valid byte in {@link #bytes}. */
    int end;
    /** File offset of {@code bytes[0]}. */
    private long windowOffset;
    private boolean endOfFile;
    /** Set when the file is followed as it grows: the end of the file is waited at, see {@link Follow}. */
    private final Follow follow;

    FileWindow(FileChannel channel, String description, int capacity) {
        this(channel, description, capacity, null);
    }

    /** @param follow non-null: at the end of the file, wait for more ({@code analyze --follow}) */
    FileWindow(FileChannel channel, String description, int capacity, Follow follow) {
        this.channel = channel;
        this.description = description;
        this.bytes = new byte[capacity];
        this.bytesWrapper = ByteBuffer.wrap(bytes);
        this.follow = follow;
    }

    int capacity() {
        return bytes.length;
    }

    /** Bytes in the window from {@link #start}. */
    int available() {
        return end - start;
    }

    /** File offset of {@code bytes[start]}. */
    long position() {
        return windowOffset + start;
    }

    /**
     * Makes at least {@code count} bytes available from {@link #start} (which may move).
     *
     * @param count at most {@link #capacity()}
     * @return the bytes available from {@link #start}: less than {@code count} only at the
     *         end of the file
     */
    int require(int count) throws CaptureException {
        if (end - start >= count) {
            return end - start;
        }
        if (count > bytes.length) {
            throw new IllegalArgumentException("window of " + bytes.length + " bytes asked for " + count);
        }
        while (end - start < count && !endOfFile) {
            compact();
            fill();
        }
        return end - start;
    }

    /**
     * Consumes {@code count} bytes, reading past the window when needed (by moving the file
     * position, without reading what is skipped).
     *
     * @return whether the file had that many bytes
     */
    boolean skip(long count) throws CaptureException {
        long inWindow = end - start;
        if (count <= inWindow) {
            start += (int) count;
            return true;
        }
        long target = position() + count;
        windowOffset = target;
        start = 0;
        end = 0;
        try {
            channel.position(target);
            if (follow != null) {
                long size;
                if (!follow.mayRead(channel, windowOffset)) {
                    endOfFile = true;
                    return false;
                }
                while ((size = channel.size()) < target) {
                    if (!follow.await(channel, size)) {
                        endOfFile = true;
                        return false;
                    }
                }
                return true;
            }
            endOfFile = target > channel.size();
            return !endOfFile;
        } catch (IOException e) {
            throw readError(e);
        }
    }

    /** Size of the file now, for damage messages. */
    long fileSize() throws CaptureException {
        try {
            return channel.size();
        } catch (IOException e) {
            throw readError(e);
        }
    }

    private void compact() {
        if (start > 0) {
            int unconsumed = end - start;
            System.arraycopy(bytes, start, bytes, 0, unconsumed);
            windowOffset += start;
            start = 0;
            end = unconsumed;
        }
    }

    private void fill() throws CaptureException {
        bytesWrapper.limit(bytes.length).position(end);
        try {
            if (follow != null && !follow.mayRead(channel, windowOffset + end)) {
                endOfFile = true; // stopped: what the window holds is still read
                return;
            }
            int read = channel.read(bytesWrapper);
            if (read < 0) {
                // followed: wait for the writer, then read again (require's loop calls fill again)
                endOfFile = follow == null || !follow.await(channel, windowOffset + end);
            } else {
                end += read;
            }
        } catch (IOException e) {
            throw readError(e);
        }
    }

    private CaptureException readError(IOException e) {
        return new CaptureException(CaptureException.Kind.IO,
            description + ": read error: " + CaptureFiles.reason(e), e);
    }

    /** A 32-bit field in the given byte order. */
    static int int32(byte[] bytes, int offset, boolean bigEndian) {
        return bigEndian ? (int) INT_BE.get(bytes, offset) : (int) INT_LE.get(bytes, offset);
    }

    /** A 64-bit field in the given byte order. */
    static long int64(byte[] bytes, int offset, boolean bigEndian) {
        return bigEndian ? (long) LONG_BE.get(bytes, offset) : (long) LONG_LE.get(bytes, offset);
    }

    /** An unsigned 32-bit field in the given byte order. */
    static long uint32(byte[] bytes, int offset, boolean bigEndian) {
        return int32(bytes, offset, bigEndian) & 0xFFFF_FFFFL;
    }

    /** An unsigned 16-bit field in the given byte order. */
    static int uint16(byte[] bytes, int offset, boolean bigEndian) {
        short value = bigEndian ? (short) SHORT_BE.get(bytes, offset) : (short) SHORT_LE.get(bytes, offset);
        return value & 0xFFFF;
    }
}
