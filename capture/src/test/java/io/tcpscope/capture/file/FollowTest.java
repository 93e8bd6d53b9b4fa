package io.tcpscope.capture.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.PacketSource;

import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CaptureFiles#follow}: a file appended to in pieces (cut anywhere: in a record header,
 * in the data, in a pcapng block, in a block skipped past the window) while it is followed
 * gives the frames of the whole file; each piece is written only once the reader waits at the
 * end (its onWait), so every cut is met by the reader. Stop, truncation, replacement, deletion.
 */
class FollowTest {
    @TempDir
    Path dir;

    /** Waits at most this long for the reader to reach the end of the file (never reached when it works). */
    static final long PATIENCE_SECONDS = 60;

    /** A reader thread following a file; {@code atEnd} gets a permit each time it waits. */
    static final class Follower extends Thread {
        final Semaphore atEnd = new Semaphore(0);
        final Follow follow = new Follow(atEnd::release, 1);
        final Path path;
        final int window;
        final List<ReadResult.Copy> frames = new ArrayList<>();
        volatile String damage;
        volatile OptionalLong end = OptionalLong.empty();
        volatile Throwable failure;

        Follower(Path path, int window) {
            this.path = path;
            this.window = window;
            setDaemon(true);
        }

        @Override
        public void run() {
            try (PacketSource source = CaptureFiles.follow(path, follow, window)) {
                Frame frame;
                while ((frame = source.next()) != null) {
                    synchronized (frames) {
                        frames.add(new ReadResult.Copy(frame.number(), frame.timestampNanos(), frame.capturedLength(),
                                frame.originalLength(), frame.linkType(), frame.interfaceId(),
                                Arrays.copyOfRange(frame.buffer(), frame.offset(), frame.offset() + frame.capturedLength())));
                    }
                }
                damage = source.damage();
                end = source.captureEndNanos();
            } catch (Throwable t) {
                failure = t;
            }
        }

        void awaitEnd() throws InterruptedException {
            assertTrue(atEnd.tryAcquire(PATIENCE_SECONDS, TimeUnit.SECONDS), "the reader never reached the end");
        }

        void stopAndJoin() throws Exception {
            follow.stop();
            join(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
            assertFalse(isAlive(), "the reader did not stop");
            if (failure != null) {
                throw new AssertionError(failure);
            }
        }
    }

    /** Piece lengths: many tiny ones (cuts inside headers), some large. */
    static List<Integer> pieces(int total, long seed) {
        Random random = new Random(seed);
        List<Integer> pieces = new ArrayList<>();
        int written = 0;
        while (written < total) {
            int n = random.nextInt(4) == 0 ? 1 + random.nextInt(2000) : 1 + random.nextInt(23);
            n = Math.min(n, total - written);
            pieces.add(n);
            written += n;
        }
        return pieces;
    }

    /** Follows {@code bytes} appended in pieces, stops at the end; the reader is returned stopped. */
    Follower followInPieces(byte[] bytes, int window, long seed) throws Exception {
        Path path = dir.resolve("growing");
        Files.write(path, new byte[0]);
        Follower f = new Follower(path, window);
        f.start();
        try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.APPEND)) {
            int at = 0;
            for (int n : pieces(bytes.length, seed)) {
                f.awaitEnd();
                out.write(bytes, at, n);
                out.flush();
                at += n;
            }
        }
        f.awaitEnd();
        f.stopAndJoin();
        return f;
    }

    static void assertSameFrames(ReadResult whole, Follower f) {
        assertEquals(whole.count(), f.frames.size());
        for (int i = 0; i < whole.count(); i++) {
            ReadResult.Copy a = whole.frames.get(i);
            ReadResult.Copy b = f.frames.get(i);
            assertEquals(a.number(), b.number());
            assertEquals(a.timestampNanos(), b.timestampNanos());
            assertEquals(a.linkType(), b.linkType());
            assertEquals(a.interfaceId(), b.interfaceId());
            assertTrue(Arrays.equals(a.data(), b.data()), "frame " + a.number());
        }
    }

    static byte[] pcap() {
        CaptureBytes b = CaptureBytes.pcap(false, PcapReader.MAGIC_NANOSECONDS, 1);
        for (int i = 0; i < 40; i++) {
            b.record(1_700_000_000L + i, i * 1000L, CaptureBytes.data(1 + (i * 97) % 1500, i), 1514);
        }
        return b.bytes();
    }

    /** SHB, IDB, packets of three kinds, an unknown block larger than a small window, an ISB with isb_endtime. */
    static byte[] pcapng(long endUnits) {
        CaptureBytes b = CaptureBytes.pcapng().section(false).interfaceDescription(1, 65535, 9, null);
        for (int i = 0; i < 20; i++) {
            b.enhancedPacket(0, 1_700_000_000_000_000_000L + i * 1_000_000L, CaptureBytes.data(1 + (i * 131) % 900, i), 1514);
            if (i == 7) {
                b.block(0x0BAD0001, new byte[700]); // unknown: skipped, often past what the window holds
            }
        }
        b.simplePacket(CaptureBytes.data(60, 3), 60);
        byte[] isb = new CaptureBytes.Body(false).int32(0).int32((int) (endUnits >>> 32)).int32((int) endUnits)
                .option(3, new CaptureBytes.Body(false).int32((int) (endUnits >>> 32)).int32((int) endUnits).bytes())
                .endOfOptions().bytes();
        b.block(PcapngReader.INTERFACE_STATISTICS_BLOCK, isb);
        return b.bytes();
    }

    @Test
    void aPcapAppendedInPiecesGivesTheWholeFilesFrames() throws Exception {
        byte[] bytes = pcap();
        ReadResult whole = ReadResult.read(dir, "whole.pcap", bytes, FileWindow.DEFAULT_CAPACITY);
        assertEquals(40, whole.count());
        for (int window : new int[] {FileWindow.DEFAULT_CAPACITY, 1600}) {
            Follower f = followInPieces(bytes, window, window);
            assertSameFrames(whole, f);
            assertNull(f.damage, "stopped at a record boundary");
            assertEquals(Follow.End.STOPPED, f.follow.end());
            assertTrue(f.follow.waits() > 100, "waits " + f.follow.waits());
        }
    }

    @Test
    void aPcapngAppendedInPiecesGivesTheWholeFilesFramesAndItsEnd() throws Exception {
        long end = 1_700_000_123_000_000_000L;
        byte[] bytes = pcapng(end);
        ReadResult whole = ReadResult.read(dir, "whole.pcapng", bytes, FileWindow.DEFAULT_CAPACITY);
        assertEquals(21, whole.count());
        for (int window : new int[] {FileWindow.DEFAULT_CAPACITY, 1024}) {
            Follower f = followInPieces(bytes, window, 7 + window);
            assertSameFrames(whole, f);
            assertNull(f.damage);
            assertEquals(OptionalLong.of(end), f.end);
        }
    }

    @Test
    void aStopInsideARecordIsNoDamage() throws Exception {
        byte[] bytes = pcap();
        Path path = dir.resolve("cut.pcap");
        ReadResult whole = ReadResult.read(dir, "whole.pcap", bytes, FileWindow.DEFAULT_CAPACITY);
        assertEquals(40, whole.count());
        Files.write(path, Arrays.copyOf(bytes, (int) boundaryAfter(bytes, 10) + 9)); // 9 bytes into frame 11's header
        Follower f = new Follower(path, FileWindow.DEFAULT_CAPACITY);
        f.start();
        f.awaitEnd();
        f.stopAndJoin();
        assertEquals(10, f.frames.size());
        assertNull(f.damage, "the record being written when stopped is not damage");
    }

    /** File offset just past frame {@code n} of {@link #pcap()}. */
    static long boundaryAfter(byte[] pcap, int n) {
        long at = PcapReader.FILE_HEADER_LENGTH;
        for (int i = 0; i < n; i++) {
            at += PcapReader.RECORD_HEADER_LENGTH + (1 + (i * 97) % 1500);
        }
        return at;
    }

    @Test
    void aStopBeforeTheHeaderIsWrittenGivesNoFrames() throws Exception {
        Path path = dir.resolve("empty.pcap");
        Files.write(path, Arrays.copyOf(pcap(), 10)); // tcpdump has written 10 bytes of its header
        Follower f = new Follower(path, FileWindow.DEFAULT_CAPACITY);
        f.start();
        f.awaitEnd();
        f.stopAndJoin();
        assertEquals(0, f.frames.size());
        assertNull(f.damage);
    }

    @Test
    void aStopReadsNoMoreAndSaysWhatWasLeft() throws Exception {
        byte[] bytes = pcap();
        Path path = dir.resolve("whole.pcap");
        Files.write(path, bytes);
        Follower f = new Follower(path, FileWindow.DEFAULT_CAPACITY);
        f.follow.stop(); // before the first read
        f.start();
        f.join(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
        assertFalse(f.isAlive());
        assertEquals(0, f.frames.size());
        assertEquals(Follow.End.STOPPED, f.follow.end());
        assertEquals(bytes.length, f.follow.unreadBytes());

        Follower g = new Follower(path, 1600); // stopped at the end: nothing left
        g.start();
        g.awaitEnd();
        g.stopAndJoin();
        assertEquals(40, g.frames.size());
        assertEquals(0, g.follow.unreadBytes());
    }

    @Test
    void aFileThatShrinksEndsTheFollowingWithDamage() throws Exception {
        byte[] bytes = pcap();
        Path path = dir.resolve("shrinks.pcap");
        long half = boundaryAfter(bytes, 20);
        Files.write(path, Arrays.copyOf(bytes, (int) half));
        Follower f = new Follower(path, FileWindow.DEFAULT_CAPACITY);
        f.start();
        f.awaitEnd();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
            ch.truncate(24); // cut back to the file header (a new tcpdump -w of the same name truncates too)
        }
        f.join(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
        assertFalse(f.isAlive(), "the truncation did not end the following");
        assertEquals(Follow.End.TRUNCATED, f.follow.end());
        assertEquals(20, f.frames.size());
        assertEquals("the file was truncated while followed (its size went from " + half + " to 24 bytes: cut, or"
                + " written again from the start)", f.damage);
    }

    @Test
    void aReplacedFileIsReadToItsEndThenTheFollowingEnds() throws Exception {
        byte[] bytes = pcap();
        Path path = dir.resolve("rotated.pcap");
        long part1 = boundaryAfter(bytes, 15);
        long part2 = boundaryAfter(bytes, 30);
        Files.write(path, Arrays.copyOf(bytes, (int) part1));
        Follower f = new Follower(path, FileWindow.DEFAULT_CAPACITY);
        f.start();
        f.awaitEnd();
        try (OutputStream old = Files.newOutputStream(path, StandardOpenOption.APPEND)) {
            Path next = dir.resolve("next.pcap");
            Files.write(next, Arrays.copyOf(bytes, 24));
            old.write(bytes, (int) part1, (int) (part2 - part1)); // the writer's last records into the old file
            old.flush();
            Files.move(next, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        f.join(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
        assertFalse(f.isAlive(), "the replacement did not end the following");
        assertEquals(Follow.End.REPLACED, f.follow.end());
        assertEquals(30, f.frames.size(), "the old file is read to its end");
        assertNull(f.damage);
        assertTrue(f.follow.endMessage().startsWith("the path names another file now"), f.follow.endMessage());
    }

    @Test
    void aDeletedFileIsReadToItsEndThenTheFollowingEnds() throws Exception {
        byte[] bytes = pcap();
        Path path = dir.resolve("deleted.pcap");
        Files.write(path, Arrays.copyOf(bytes, (int) boundaryAfter(bytes, 5) + 3));
        Follower f = new Follower(path, FileWindow.DEFAULT_CAPACITY);
        f.start();
        f.awaitEnd();
        Files.delete(path);
        f.join(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
        assertFalse(f.isAlive(), "the deletion did not end the following");
        assertEquals(Follow.End.REPLACED, f.follow.end());
        assertEquals(5, f.frames.size());
        assertTrue(f.damage.startsWith("truncated record: frame 6"), "a cut at the end of a file that went is damage: "
                + f.damage);
        assertTrue(f.follow.endMessage().startsWith("the file was deleted while followed"), f.follow.endMessage());
    }

    @Test
    void compressedFilesAreNotFollowed() throws Exception {
        Path path = dir.resolve("trace.pcap.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(path))) {
            out.write(pcap());
        }
        CaptureException e = assertThrows(CaptureException.class, () -> CaptureFiles.follow(path, new Follow(() -> { })));
        assertEquals(CaptureException.Kind.BAD_FORMAT, e.kind());
        assertEquals(path + ": gzip-compressed: --follow reads plain pcap and pcapng files as they grow (a compressed"
                + " stream can be piped instead: tcpscope analyze - )", e.getMessage());
    }
}
