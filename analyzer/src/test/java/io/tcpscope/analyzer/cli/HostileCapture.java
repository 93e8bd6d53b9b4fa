package io.tcpscope.analyzer.cli;

import io.tcpscope.analyzer.bench.TcpFrameBuilder;
import io.tcpscope.capture.LinkType;
import io.tcpscope.capture.file.PcapWriter;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Hostile traffic other than a SYN flood, for {@link HostileTrafficHeapTest}: the connections a
 * user came for, then a flood of one-way segments from spoofed sources, then the user's
 * connections again.
 *
 * <pre>
 *   time      what
 *   0         E: 198.51.100.7:51000 - 192.0.2.10:80 handshake and one exchange; then idle
 *   0.1 s     S: 198.51.100.8:52000 - 192.0.2.10:80 handshake, exchange, client FIN, server
 *             ACK: client FIN_WAIT_2, server CLOSE_WAIT; then silent for good
 *   1 s ..    {@code sources} one-packet segments, one per spoofed source (distinct addresses,
 *             random ports, sequence and acknowledgment numbers) to 192.0.2.10:80: ACK floods
 *             (bare ACKs, or with 100 bytes), or, every {@code blindEvery}-th, a blind RST or
 *             FIN+ACK spoofed as E's client, its sequence number out of E's window
 *   +120 s    E: one more exchange (idle two minutes through the flood; the capture ends)
 * </pre>
 */
public final class HostileCapture {
    static final long START_NANOS = 1_764_547_200_000_000_000L;
    static final int SERVER = 0xc000020a;
    static final int E_IP = 0xc6336407;
    static final int E_PORT = 51_000;
    static final int S_IP = 0xc6336408;
    static final int S_PORT = 52_000;
    private static final int FIN = 0x01;
    private static final int SYN = 0x02;
    private static final int RST = 0x04;
    private static final int PSH = 0x08;
    private static final int ACK = 0x10;

    /** What was written: frames, and the blind RSTs and FINs against E. */
    public record Result(long frames, long rsts, long fins) {
    }

    private final PcapWriter w;
    private final TcpFrameBuilder b = new TcpFrameBuilder();
    private long frames;
    private int ipId;

    private HostileCapture(PcapWriter w) {
        this.w = w;
    }

    private void at(long t, int src, int sport, int dst, int dport, int seq, int ack, int flags, int payload)
            throws Exception {
        int len = b.build(src, sport, dst, dport, seq, ack, flags, 502, payload, ipId++ & 0xffff);
        w.write(t, len, len, b.buffer(), 0);
        frames++;
    }

    public static Result write(Path path, int sources, int blindEvery, long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        long rsts = 0;
        long fins = 0;
        try (PcapWriter pw = new PcapWriter(path, LinkType.ETHERNET, 65_535, PcapWriter.Precision.NANOSECONDS)) {
            HostileCapture h = new HostileCapture(pw);
            long t = START_NANOS;
            int ec = random.nextInt();
            int es = random.nextInt();
            h.at(t, E_IP, E_PORT, SERVER, 80, ec, 0, SYN, 0);
            h.at(t += 300_000, SERVER, 80, E_IP, E_PORT, es, ec + 1, SYN | ACK, 0);
            h.at(t += 300_000, E_IP, E_PORT, SERVER, 80, ec + 1, es + 1, ACK, 0);
            ec += 1;
            es += 1;
            h.exchange(t += 1_000_000, ec, es);
            ec += 200;
            es += 1200;
            int sc = random.nextInt();
            int ss = random.nextInt();
            t = START_NANOS + 100_000_000L;
            h.at(t, S_IP, S_PORT, SERVER, 80, sc, 0, SYN, 0);
            h.at(t += 300_000, SERVER, 80, S_IP, S_PORT, ss, sc + 1, SYN | ACK, 0);
            h.at(t += 300_000, S_IP, S_PORT, SERVER, 80, sc + 1, ss + 1, ACK, 0);
            h.at(t += 300_000, S_IP, S_PORT, SERVER, 80, sc + 1, ss + 1, ACK | PSH, 100);
            h.at(t += 300_000, SERVER, 80, S_IP, S_PORT, ss + 1, sc + 101, ACK | PSH, 500);
            h.at(t += 300_000, S_IP, S_PORT, SERVER, 80, sc + 101, ss + 501, FIN | ACK, 0);
            h.at(t += 300_000, SERVER, 80, S_IP, S_PORT, ss + 501, sc + 102, ACK, 0);
            t = START_NANOS + 1_000_000_000L;
            int counter = 0;
            for (int i = 0; i < sources; i++) {
                t += 5_000 + random.nextLong(10_001); // about 100k a second
                if (blindEvery > 0 && i % blindEvery == blindEvery - 1) {
                    // Blind: E's 4-tuple, a sequence number at least 2^24 away from what E's server expects.
                    int seq = ec + (1 << 24) + (int) random.nextLong(0x1_0000_0000L - (2L << 24));
                    boolean rst = (i / blindEvery) % 2 == 0;
                    if (rst) {
                        rsts++;
                        h.at(t, E_IP, E_PORT, SERVER, 80, seq, 0, RST, 0);
                    } else {
                        fins++;
                        h.at(t, E_IP, E_PORT, SERVER, 80, seq, random.nextInt(), FIN | ACK, 0);
                    }
                    continue;
                }
                int ip;
                do {
                    ip = spread(counter++ ^ (int) seed);
                } while (ip == SERVER || ip == E_IP || ip == S_IP);
                int port = 1024 + random.nextInt(65_536 - 1024);
                h.at(t, ip, port, SERVER, 80, random.nextInt(), random.nextInt(), random.nextBoolean() ? ACK : ACK | PSH,
                        random.nextBoolean() ? 0 : 100);
            }
            h.exchange(t + 120_000_000_000L, ec, es);
            return new Result(h.frames, rsts, fins);
        }
    }

    private void exchange(long t, int c, int s) throws Exception {
        at(t, E_IP, E_PORT, SERVER, 80, c, s, ACK | PSH, 200);
        at(t + 300_000, SERVER, 80, E_IP, E_PORT, s, c + 200, ACK | PSH, 1200);
        at(t + 600_000, E_IP, E_PORT, SERVER, 80, c + 200, s + 1200, ACK, 0);
    }

    private static int spread(int x) {
        x ^= x >>> 16;
        x *= 0x7feb352d;
        x ^= x >>> 15;
        x *= 0x846ca68b;
        x ^= x >>> 16;
        return x;
    }
}
