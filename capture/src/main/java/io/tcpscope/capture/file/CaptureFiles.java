package io.tcpscope.capture.file;

import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.CaptureException.Kind;
import io.tcpscope.capture.PacketSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Opens capture files: detects pcap or pcapng by the magic number in the first four bytes
 * and returns the matching reader.
 *
 * <pre>
 *   first 4 bytes (as stored)   format
 *   d4 c3 b2 a1 / a1 b2 c3 d4   pcap, microseconds, little / big endian
 *   4d 3c b2 a1 / a1 b2 3c 4d   pcap, nanoseconds, little / big endian
 *   34 cd b2 a1 / a1 b2 cd 34   pcap, Kuznetzov's modified format (24-byte record headers)
 *   0a 0d 0d 0a                 pcapng section header block (either endianness)
 *   1f 8b / 28 b5 2f fd /       gzip / zstd / lz4 frame: decompressed as a stream, then the
 *   04 22 4d 18                 same detection inside ({@link Compression})
 * </pre>
 *
 * <p>Errors are {@link CaptureException}s with one line starting with the path, worded like
 * tcpdump's and libpcap's.
 */
public final class CaptureFiles {
    private CaptureFiles() {
    }

    static final int MAGIC_LENGTH = 4;
    /** Smallest read window: holds any file header and the smallest blocks. */
    static final int MINIMUM_WINDOW_CAPACITY = 64;

    /** The path that means standard input, as tcpdump -r and editcap take it. */
    public static final Path STANDARD_INPUT = Path.of("-");

    /** Whether {@code path} is {@code -}, standard input (a file named "-" is given as "./-"). */
    public static boolean isStandardInput(Path path) {
        return path.equals(STANDARD_INPUT);
    }

    /**
     * Opens captures as one: files, directories (their capture files, sorted by name) and
     * {@code -} (standard input, at most once), merged in timestamp order. See
     * {@link CaptureSet} for the order, the resources and the damage of a set; one file
     * behaves exactly as {@link #open(Path)}.
     */
    public static CaptureSet open(List<Path> paths) throws CaptureException {
        return open(paths, System.in);
    }

    /** {@link #open(List)} with another stream as standard input (tests). */
    public static CaptureSet open(List<Path> paths, InputStream standardInput) throws CaptureException {
        List<Path> files = CaptureSet.expand(paths);
        if (files.stream().filter(CaptureFiles::isStandardInput).count() > 1) {
            throw new IllegalArgumentException("standard input (-) given more than once");
        }
        return CaptureSet.open(files, standardInput);
    }

    /** Opens a capture file with the default window size. */
    public static PacketSource open(Path path) throws CaptureException {
        return open(path, FileWindow.DEFAULT_CAPACITY);
    }

    /**
     * Opens a capture file.
     *
     * @param windowCapacity bytes of the reused read window; also the largest block a
     *                       pcapng reader loads (tests use small windows)
     */
    static PacketSource open(Path path, int windowCapacity) throws CaptureException {
        String description = path.toString();
        if (Files.isDirectory(path)) {
            throw new CaptureException(Kind.NOT_FOUND, description + ": Is a directory");
        }
        return open(openChannel(path, description), description, windowCapacity);
    }

    /**
     * Reads a capture from a stream (standard input, a pipe): pcap or pcapng, compressed or
     * not, without seeking. Closing the source closes {@code in}.
     *
     * @param description names the stream in messages, e.g. {@code "-"} or {@code "standard input"}
     */
    public static PacketSource openStream(InputStream in, String description) throws CaptureException {
        return openStream(in, description, FileWindow.DEFAULT_CAPACITY);
    }

    static PacketSource openStream(InputStream in, String description, int windowCapacity) throws CaptureException {
        StreamChannel stream = new StreamChannel(in);
        return StreamCaptureSource.open(stream, "the input stream", description, description, windowCapacity);
    }

    /**
     * Opens the capture in {@code channel} (a file, or a {@link StreamChannel}); closes the
     * channel when that fails.
     */
    static PacketSource open(FileChannel channel, String description, int windowCapacity) throws CaptureException {
        return open(channel, description, windowCapacity, null);
    }

    /**
     * Opens a capture file to read it as it grows ({@code analyze --follow}, like {@code tail
     * -f}): a plain pcap or pcapng file (not compressed, not a directory, not standard input),
     * whose end is waited at until {@code follow} ends it (see {@link Follow}). Opening waits
     * too, for the file header, when the writer has not written it yet; a stop then gives a
     * source without frames.
     */
    public static PacketSource follow(Path path, Follow follow) throws CaptureException {
        return follow(path, follow, FileWindow.DEFAULT_CAPACITY);
    }

    static PacketSource follow(Path path, Follow follow, int windowCapacity) throws CaptureException {
        String description = path.toString();
        if (isStandardInput(path)) {
            throw new IllegalArgumentException("standard input cannot be followed");
        }
        if (Files.isDirectory(path)) {
            throw new CaptureException(Kind.NOT_FOUND, description + ": Is a directory");
        }
        FileChannel channel = openChannel(path, description);
        follow.opened(path);
        try {
            return new FollowedCapture(open(channel, description, windowCapacity, follow), follow, description);
        } catch (CaptureException e) {
            if (follow.end() == Follow.End.STOPPED) {
                return new FollowedCapture(null, follow, description); // stopped before the header was written: no frames
            }
            throw e;
        }
    }

    private static PacketSource open(FileChannel channel, String description, int windowCapacity, Follow follow)
            throws CaptureException {
        if (windowCapacity < MINIMUM_WINDOW_CAPACITY) {
            throw new IllegalArgumentException("window of " + windowCapacity + " bytes is too small");
        }
        boolean opened = false;
        try {
            FileWindow window = new FileWindow(channel, description, windowCapacity, follow);
            int present = window.require(MAGIC_LENGTH);
            if (present == 0) {
                throw new CaptureException(Kind.BAD_FORMAT, description + ": empty file");
            }
            if (present < MAGIC_LENGTH) {
                throw new CaptureException(Kind.BAD_FORMAT, description
                    + ": not a pcap or pcapng file (only " + present + (present == 1 ? " byte)" : " bytes)"));
            }
            int magic = FileWindow.int32(window.bytes, window.start, true);
            PacketSource source;
            if (magic == PcapngReader.SECTION_HEADER_BLOCK) {
                source = new PcapngReader(channel, window, description);
            } else if (PcapReader.isPcapMagic(magic)) {
                source = new PcapReader(channel, window, description);
            } else if (Compression.detect(magic) != null && follow != null) {
                throw new CaptureException(Kind.BAD_FORMAT, description + ": " + Compression.detect(magic).label()
                    + "-compressed: --follow reads plain pcap and pcapng files as they grow (a compressed stream"
                    + " can be piped instead: tcpscope analyze - )");
            } else if (Compression.detect(magic) != null) {
                source = CompressedCaptures.open(Compression.detect(magic), channel, window, description, windowCapacity);
            } else {
                throw new CaptureException(Kind.UNKNOWN_FORMAT, description
                    + ": not a pcap or pcapng file (magic " + String.format("0x%08x", magic) + hint(magic) + ")");
            }
            opened = true;
            return source;
        } finally {
            if (!opened) {
                closeQuietly(channel);
            }
        }
    }

    private static FileChannel openChannel(Path path, String description) throws CaptureException {
        try {
            return FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new CaptureException(Kind.NOT_FOUND, description + ": No such file or directory", e);
        } catch (AccessDeniedException e) {
            throw new CaptureException(Kind.NOT_FOUND, description + ": Permission denied", e);
        } catch (IOException | UnsupportedOperationException e) {
            throw new CaptureException(Kind.NOT_FOUND, description + ": " + reason(e), e);
        }
    }

    /** What a few common non-capture files look like, to help the user. */
    private static String hint(int magic) {
        if (magic == 0x425a6839 || (magic >>> 8) == 0x425a68) {
            return ", bzip2-compressed: decompress it first";
        }
        if (magic == 0xfd377a58) {
            return ", xz-compressed: decompress it first";
        }
        if (magic == 0x504b0304) {
            return ", a zip archive";
        }
        return "";
    }

    /** The OS reason of an I/O failure, without Java's exception class or the path repeated. */
    static String reason(Exception e) {
        if (e instanceof FileSystemException) {
            String reason = ((FileSystemException) e).getReason();
            if (reason != null) {
                return reason;
            }
        }
        String message = e.getMessage();
        return message != null ? message : e.getClass().getSimpleName();
    }

    static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a file opened for reading: nothing useful to report
        }
    }
}
