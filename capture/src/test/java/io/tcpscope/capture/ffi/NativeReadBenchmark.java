package io.tcpscope.capture.ffi;

import io.tcpscope.capture.Frame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;

/**
 * Packets per second reading one large pcap file through {@link LibpcapSource} and through
 * pcap4j's {@code PcapHandle.getNextRawPacket()} (JNA, a new byte[] per packet). Not a test:
 * timings belong in native-notes.md, never in assertions.
 *
 * <pre>
 * java -cp capture/target/classes:capture/target/test-classes:$(cat cp.txt) \
 *     io.tcpscope.capture.ffi.NativeReadBenchmark [file] [packets] [rounds]
 * </pre>
 * The file (default /tmp/tcpscope-bench-2M.pcap) is written first if it does not exist.
 */
public final class NativeReadBenchmark {
    private NativeReadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Paths.get(args.length > 0 ? args[0] : "/tmp/tcpscope-bench-2M.pcap");
        int packets = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        if (!Files.exists(file)) {
            System.out.printf("writing %d packets to %s%n", packets, file);
            PcapTestFiles.writeMany(file, packets);
        }
        System.out.printf("%s: %d bytes, %s%n", file, Files.size(file), LibpcapSource.libraryVersion());
        double[] jnr = new double[rounds];
        double[] pcap4j = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            jnr[round] = timeJnr(file);
            pcap4j[round] = timePcap4j(file);
            System.out.printf("round %d: LibpcapSource %.2f Mpkt/s, pcap4j getNextRawPacket %.2f Mpkt/s%n",
                    round + 1, jnr[round] / 1e6, pcap4j[round] / 1e6);
        }
        System.out.printf("median of %d rounds: LibpcapSource %.2f Mpkt/s, pcap4j %.2f Mpkt/s%n",
                rounds, median(jnr) / 1e6, median(pcap4j) / 1e6);
    }

    private static double timeJnr(Path file) throws Exception {
        long start = System.nanoTime();
        long count = 0;
        long checksum = 0;
        try (LibpcapSource source = LibpcapSource.openOffline(file, null)) {
            for (Frame f = source.next(); f != null; f = source.next()) {
                checksum += f.buffer()[f.offset() + f.capturedLength() - 1] + f.timestampNanos();
                count++;
            }
        }
        return rate(count, start, checksum);
    }

    private static double timePcap4j(Path file) throws Exception {
        long start = System.nanoTime();
        long count = 0;
        long checksum = 0;
        PcapHandle handle = Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.NANO);
        try {
            for (byte[] packet = handle.getNextRawPacket(); packet != null; packet = handle.getNextRawPacket()) {
                checksum += packet[packet.length - 1]; // no getTimestamp(): it builds a java.sql.Timestamp per call
                count++;
            }
        } finally {
            handle.close();
        }
        return rate(count, start, checksum);
    }

    private static double rate(long count, long startNanos, long checksum) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        if (checksum == 42) {
            System.out.print(""); // keeps the checksum alive
        }
        return count / seconds;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
