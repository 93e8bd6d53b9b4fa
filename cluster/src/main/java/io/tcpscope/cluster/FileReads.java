package io.tcpscope.cluster;

import io.tcpscope.analyzer.decode.DecodeResult;
import io.tcpscope.analyzer.decode.PacketDecoder;
import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.PacketSource;
import io.tcpscope.capture.file.CaptureFiles;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.input.PortableDataStream;
import org.apache.spark.sql.Row;

/**
 * The three reads of one capture file, each a whole file in one task, through tcpscope's own
 * streaming reader (compressed files included): its counts, its merge keys (only for files
 * that overlap another), its TCP segments as rows. Damage ends the file, as in {@code CaptureSet}.
 */
final class FileReads {
    private FileReads() {
    }

    /** Opens the file (again) from its start. */
    @FunctionalInterface
    interface Opener extends java.io.Serializable {
        PacketSource open() throws CaptureException;
    }

    /** A file as {@code binaryFiles} hands it over. */
    static Opener of(String path, PortableDataStream stream) {
        return () -> {
            InputStream in = stream.open();
            return CaptureFiles.openStream(in, path);
        };
    }

    /** A file that cannot be read at all is damage (as one of several files in {@code analyze}). */
    static FileStats stats(String path, Opener stream) {
        FileStats f = new FileStats(path);
        PacketDecoder decoder = new PacketDecoder();
        TcpSegment segment = new TcpSegment();
        try (PacketSource source = stream.open()) {
            Frame frame;
            try {
                while ((frame = source.next()) != null) {
                    long nanos = frame.timestampNanos();
                    if (f.frames++ == 0) {
                        f.firstNanos = nanos;
                    }
                    f.maxNanos = Math.max(f.maxNanos, nanos);
                    DecodeResult r = decoder.decode(frame.buffer(), frame.offset(), frame.capturedLength(),
                            frame.linkType(), segment);
                    if (r == DecodeResult.TCP) {
                        f.tcpFrames++;
                    } else {
                        f.skipped[r.ordinal()]++;
                    }
                }
                f.damage = source.damage();
            } catch (CaptureException e) {
                f.damage = message(path, e);
            }
        } catch (CaptureException e) {
            f.damage = "cannot be read: " + message(path, e);
        }
        return f;
    }

    private static String message(String path, CaptureException e) {
        String text = e.getMessage();
        String prefix = path + ": ";
        return text != null && text.startsWith(prefix) ? text.substring(prefix.length()) : String.valueOf(text);
    }

    /** The merge key of every frame of the file, in file order (see {@link FrameNumbers}). */
    static long[] mergeKeys(Opener stream, long frames) {
        long[] keys = new long[Math.toIntExact(frames)];
        int n = 0;
        long max = Long.MIN_VALUE;
        try (PacketSource source = stream.open()) {
            Frame frame;
            while (n < keys.length && (frame = source.next()) != null) {
                max = Math.max(max, frame.timestampNanos());
                keys[n++] = max;
            }
        } catch (CaptureException e) {
            // the same damage as the first read: it ended there
        }
        return n == keys.length ? keys : Arrays.copyOf(keys, n);
    }

    /** The file's TCP segments as {@link Segments} rows, read as they are consumed. */
    static Iterator<Row> segments(Opener stream, int file, long frames, FrameNumbers numbers) {
        return new Iterator<>() {
            private final PacketDecoder decoder = new PacketDecoder();
            private final TcpSegment segment = new TcpSegment();
            private PacketSource source;
            private long position;
            private long max = Long.MIN_VALUE;
            private Row next;
            private boolean done;

            @Override
            public boolean hasNext() {
                while (next == null && !done) {
                    advance();
                }
                return next != null;
            }

            private void advance() {
                try {
                    if (source == null) {
                        source = stream.open();
                    }
                    Frame frame = position < frames ? source.next() : null;
                    if (frame == null) {
                        close();
                        return;
                    }
                    position++;
                    long nanos = frame.timestampNanos();
                    max = Math.max(max, nanos);
                    if (decoder.decode(frame.buffer(), frame.offset(), frame.capturedLength(), frame.linkType(),
                            segment) == DecodeResult.TCP) {
                        next = Segments.row(segment, nanos, file, position, numbers.number(file, position, max));
                    }
                } catch (CaptureException e) {
                    close(); // damage: the file ends here, as counted by the first read
                }
            }

            private void close() {
                done = true;
                if (source != null) {
                    source.close();
                }
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Row r = next;
                next = null;
                return r;
            }
        };
    }
}
