package io.tcpscope.capture.file;

import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.LinkType;
import io.tcpscope.capture.PacketSource;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Reader throughput: reads a capture once to warm up, then {@code passes} times timed, and
 * prints packets, bytes, seconds and packets per second of the best pass.
 *
 * <pre>
 *   java -cp capture/target/classes io.tcpscope.capture.file.ReadBenchmark FILE [PASSES]
 *   java -cp capture/target/classes io.tcpscope.capture.file.ReadBenchmark --generate FILE COUNT [SIZE]
 * </pre>
 * {@code --generate} writes COUNT Ethernet frames of SIZE bytes (default 64) with
 * {@link PcapWriter}, one microsecond apart, to make a test file.
 */
public final class ReadBenchmark {
    private ReadBenchmark() {
    }

    private static final int DEFAULT_FRAME_SIZE = 64;
    private static final int DEFAULT_PASSES = 3;

    public static void main(String[] args) throws Exception {
        try {
            if (args.length >= 3 && args[0].equals("--generate")) {
                int size = args.length > 3 ? Integer.parseInt(args[3]) : DEFAULT_FRAME_SIZE;
                generate(Path.of(args[1]), Long.parseLong(args[2]), size);
                return;
            }
            if (args.length < 1 || args.length > 2) {
                System.err.println("usage: ReadBenchmark FILE [PASSES] | --generate FILE COUNT [SIZE]");
                System.exit(1);
            }
            Path path = Path.of(args[0]);
            int passes = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_PASSES;
            Pass warmUp = readOnce(path);
            System.out.printf(Locale.ROOT, "warm-up: %d packets, %d bytes, %.3f s%n",
                warmUp.packets, warmUp.bytes, warmUp.seconds);
            Pass best = null;
            for (int i = 0; i < passes; i++) {
                Pass pass = readOnce(path);
                System.out.printf(Locale.ROOT, "pass %d: %d packets, %d bytes, %.3f s, %.0f packets/s, %.0f MB/s%n",
                    i + 1, pass.packets, pass.bytes, pass.seconds, pass.packets / pass.seconds,
                    pass.fileBytes / pass.seconds / 1e6);
                if (best == null || pass.seconds < best.seconds) {
                    best = pass;
                }
            }
            if (best != null) {
                System.out.printf(Locale.ROOT, "best: %d packets, %d bytes, %.3f s, %.0f packets/s (checksum %d)%n",
                    best.packets, best.bytes, best.seconds, best.packets / best.seconds, best.checksum);
            }
        } catch (CaptureException e) {
            System.err.println("ReadBenchmark: " + e.getMessage());
            System.exit(e.kind().exitCode());
        }
    }

    private static final class Pass {
        long packets;
        long bytes;
        long fileBytes;
        long checksum;
        double seconds;
    }

    private static Pass readOnce(Path path) throws CaptureException {
        Pass pass = new Pass();
        long start = System.nanoTime();
        try (PacketSource source = CaptureFiles.open(path)) {
            Frame frame;
            long checksum = 0;
            while ((frame = source.next()) != null) {
                pass.packets++;
                pass.bytes += frame.capturedLength();
                // touch the data and the timestamp so that nothing is optimised away
                int length = frame.capturedLength();
                checksum += (length > 0 ? frame.buffer()[frame.offset() + length - 1] : 0) + frame.timestampNanos();
            }
            pass.checksum = checksum;
            if (source.damage() != null) {
                System.err.println("ReadBenchmark: " + path + ": " + source.damage());
            }
        }
        pass.seconds = (System.nanoTime() - start) / 1e9;
        pass.fileBytes = path.toFile().length();
        return pass;
    }

    private static void generate(Path path, long count, int size) throws CaptureException {
        byte[] frame = new byte[size];
        for (int i = 0; i < size; i++) {
            frame[i] = (byte) i;
        }
        long start = 1_700_000_000L * Timestamps.NANOS_PER_SECOND;
        try (PcapWriter writer = new PcapWriter(path, LinkType.ETHERNET, 65_535)) {
            for (long i = 0; i < count; i++) {
                frame[size - 1] = (byte) i;
                writer.write(start + i * 1_000, size, size, frame, 0);
            }
        }
        System.out.printf(Locale.ROOT, "wrote %d frames of %d bytes to %s%n", count, size, path);
    }
}
