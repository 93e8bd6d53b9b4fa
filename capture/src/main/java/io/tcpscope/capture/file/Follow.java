package io.tcpscope.capture.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Reading a capture file as it grows ({@code analyze --follow}, like {@code tail -f}): where
 * a plain read meets the end of the file, a followed read waits and reads again. The readers
 * do not know: their {@link FileWindow} simply takes longer to fill, also in the middle of a
 * record (the writer has written half of it).
 *
 * <p><b>Waiting.</b> At the end of the file the reading thread polls the file's size every
 * {@link #POLL_MILLIS} ms (a wait on a monitor, woken at once by {@link #stop()}). Before its
 * first sleep of each dry spell it runs the {@code onWait} action, on the reading thread
 * (the command flushes its output there: the records so far become visible while nothing
 * comes). This is the only place the capture module sleeps on the wall clock; the frames'
 * timestamps remain the analysis's only clock.
 *
 * <p><b>The end.</b> A followed file has no end of its own; reading stops when
 * <ul>
 *   <li>{@link #stop()} is called (Ctrl-C, SIGTERM, a closed output): {@link End#STOPPED}.
 *       What was read into the window is still handed out; nothing more is read ({@link
 *       #unreadBytes()} says what the file held beyond). A record cut there is one being
 *       written (or not read), not damage.</li>
 *   <li>the file gets shorter than what was read (truncated, or rewritten in place as a new
 *       {@code tcpdump -w} of the same name does): {@link End#TRUNCATED}, damage.</li>
 *   <li>the path is deleted or names another file (renamed away, a new file moved in, as log
 *       rotation does): {@link End#REPLACED}; the file that was opened is read to its end
 *       first (nothing written to it is lost), the new one is not read (a new capture, maybe
 *       with another link type: run again for it).</li>
 * </ul>
 * A file truncated and rewritten beyond the point read between two polls cannot be told from
 * one that grew: what follows is read as records, and what does not parse is damage.
 *
 * <p>Thread safety: {@link #stop()} may be called from any thread (a shutdown hook); the rest
 * from the reading thread.
 */
public final class Follow {
    /** How often the size of a file at its end is looked at, in milliseconds of wall time. */
    public static final long POLL_MILLIS = 100;

    /** Why a followed read ended. */
    public enum End {
        /** Not ended (still following, or the reader stopped by itself, e.g. at damage). */
        NONE,
        /** {@link #stop()} was called while waiting for more. */
        STOPPED,
        /** The file became shorter than what was read. */
        TRUNCATED,
        /** The path was deleted or now names another file; the opened one was read to its end. */
        REPLACED
    }

    private final Runnable onWait;
    private final long pollMillis;
    private final Object monitor = new Object();
    private volatile boolean stopRequested;
    private volatile End end = End.NONE;
    private Path path;
    private Object fileKey;
    private boolean draining;
    private boolean deleted;
    private long shrunkFrom;
    private long shrunkTo;
    private long waits;
    private long unread;

    /** @param onWait run on the reading thread when a wait at the end of the file begins */
    public Follow(Runnable onWait) {
        this(onWait, POLL_MILLIS);
    }

    /** With another poll interval (tests: a file written in hundreds of pieces). */
    Follow(Runnable onWait, long pollMillis) {
        this.onWait = Objects.requireNonNull(onWait);
        this.pollMillis = pollMillis;
    }

    /**
     * Ends the following (any thread): the reader hands out what it has read already and reads
     * no more; at the end of the file it stops at once.
     */
    public void stop() {
        stopRequested = true;
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    /** Whether {@link #stop()} was called. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** Why the read ended (complete once the source returned {@code null}). */
    public End end() {
        return end;
    }

    /**
     * After {@link End#STOPPED}: how many bytes the file held beyond what was read when the
     * stop came (0 when it came at the end of the file).
     */
    public long unreadBytes() {
        return unread;
    }

    /** How many times the reader waited at the end of the file (tests). */
    public long waits() {
        return waits;
    }

    /** One line on why the read ended, for {@link End#TRUNCATED} and {@link End#REPLACED}; else null. */
    public String endMessage() {
        return switch (end) {
            case NONE, STOPPED -> null;
            case TRUNCATED -> "the file was truncated while followed (its size went from " + shrunkFrom + " to "
                    + shrunkTo + " bytes: cut, or written again from the start)";
            case REPLACED -> (deleted ? "the file was deleted while followed" : "the path names another file now (the"
                    + " followed one was renamed or replaced)") + "; the followed file was read to its end";
        };
    }

    /** The file being followed, opened as {@code channel}: remembers which file the path names now. */
    void opened(Path path) {
        this.path = path;
        this.fileKey = fileKey(path);
    }

    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException | RuntimeException e) {
            return null; // deleted already, or no file keys here: not told apart
        }
    }

    /** Whether the path was deleted or names another file than the one opened. */
    private boolean replaced() {
        if (path == null) {
            return false;
        }
        try {
            Object now = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            return fileKey != null && now != null && !fileKey.equals(now);
        } catch (NoSuchFileException e) {
            deleted = true;
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // cannot look now: look again next time
        }
    }

    /**
     * Called by the window before it reads from the file, {@code known} bytes into it: false
     * once stopped (the bytes already read are still handed out, nothing more is read).
     */
    boolean mayRead(FileChannel channel, long known) throws IOException {
        if (!stopRequested) {
            return true;
        }
        if (end == End.NONE) {
            unread = Math.max(0, channel.size() - known);
            end = End.STOPPED;
        }
        return false;
    }

    /**
     * Called by the window when a read found the end of the file, {@code known} bytes into it:
     * waits until the file holds more, or the following ends.
     *
     * @return true to read again (there is more, or a replaced file is read to its end); false:
     *         the end ({@link #end()} says why)
     */
    boolean await(FileChannel channel, long known) throws IOException {
        boolean first = true;
        while (true) {
            if (!mayRead(channel, known)) {
                return false;
            }
            long size = channel.size();
            if (size > known) {
                return true;
            }
            if (size < known) {
                shrunkFrom = known;
                shrunkTo = size;
                end = End.TRUNCATED;
                return false;
            }
            if (draining) {
                end = End.REPLACED;
                return false;
            }
            if (replaced()) {
                draining = true; // one more read: what the writer put into the old file before it went
                return true;
            }
            if (first) {
                first = false;
                waits++;
                onWait.run();
                continue; // onWait may have stopped it (a closed output)
            }
            synchronized (monitor) {
                if (!stopRequested) {
                    try {
                        monitor.wait(pollMillis);
                    } catch (InterruptedException e) {
                        stop(); // an interrupt is a stop too
                    }
                }
            }
        }
    }
}
