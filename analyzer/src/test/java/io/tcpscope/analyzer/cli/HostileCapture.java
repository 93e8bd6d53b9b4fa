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

    /** The scanner of {@link #writeScan}. */
    static final int SCANNER = 0xcb007142;

    /**
     * E and S as in {@link #write}, then a port scan from {@link #SCANNER} (one source port) of
     * 192.0.2.10 ports 1-{@code ports}: a third refused (RST-ACK), a third open (SYN-ACK, then
     * the scanner's RST: a half-open scan), a third unanswered (filtered); then E once more.
     */
    public static long writeScan(Path path, int ports, long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        try (PcapWriter pw = new PcapWriter(path, LinkType.ETHERNET, 65_535, PcapWriter.Precision.NANOSECONDS)) {
            HostileCapture h = new HostileCapture(pw);
            int[] e = h.users(random);
            long t = START_NANOS + 1_000_000_000L;
            for (int port = 1; port <= ports; port++) {
                t += 20_000;
                int isn = random.nextInt();
                h.at(t, SCANNER, 61_000, SERVER, port, isn, 0, SYN, 0);
                switch (port % 3) {
                    case 0 -> h.at(t + 5_000, SERVER, port, SCANNER, 61_000, 0, isn + 1, RST | ACK, 0);
                    case 1 -> {
                        h.at(t + 5_000, SERVER, port, SCANNER, 61_000, random.nextInt(), isn + 1, SYN | ACK, 0);
                        h.at(t + 10_000, SCANNER, 61_000, SERVER, port, isn + 1, 0, RST, 0);
                    }
                    default -> { }
                }
            }
            h.exchange(t + 120_000_000_000L, e[0], e[1]);
            return h.frames;
        }
    }

    /**
     * E and S as in {@link #write}, then {@code sources} SYNs to [2001:db8::10]:80 from as many
     * distinct spoofed IPv6 sources; then E once more.
     */
    public static long writeIpv6Flood(Path path, int sources, long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        try (PcapWriter pw = new PcapWriter(path, LinkType.ETHERNET, 65_535, PcapWriter.Precision.NANOSECONDS)) {
            HostileCapture h = new HostileCapture(pw);
            int[] e = h.users(random);
            long t = START_NANOS + 1_000_000_000L;
            byte[] frame = new byte[14 + 40 + 60];
            for (int i = 0; i < sources; i++) {
                t += 10_000;
                int len = h.b.build(1, 1024 + random.nextInt(60_000), 2, 80, random.nextInt(), 0, SYN, 64_240, 0, 0);
                byte[] v4 = h.b.buffer();
                int tcp = len - 34;
                java.util.Arrays.fill(frame, (byte) 0);
                System.arraycopy(v4, 0, frame, 0, 12);
                frame[12] = (byte) 0x86;
                frame[13] = (byte) 0xdd;
                frame[14] = 0x60;
                frame[18] = (byte) (tcp >>> 8);
                frame[19] = (byte) tcp;
                frame[20] = 6;
                frame[21] = 64;
                long hi = 0x20010db800000000L | (random.nextLong() & 0xffffffffL);
                long lo = random.nextLong();
                for (int k = 0; k < 8; k++) {
                    frame[22 + k] = (byte) (hi >>> (56 - 8 * k));
                    frame[30 + k] = (byte) (lo >>> (56 - 8 * k));
                }
                frame[38] = 0x20;
                frame[39] = 0x01;
                frame[40] = 0x0d;
                frame[41] = (byte) 0xb8;
                frame[53] = 0x10;
                System.arraycopy(v4, 34, frame, 54, tcp);
                pw.write(t, 54 + tcp, 54 + tcp, frame, 0);
                h.frames++;
            }
            h.exchange(t + 120_000_000_000L, e[0], e[1]);
            return h.frames;
        }
    }

    /** E's handshake and exchange, S's half-close; returns E's client and server next sequence numbers. */
    private int[] users(SplittableRandom random) throws Exception {
        long t = START_NANOS;
        int ec = random.nextInt();
        int es = random.nextInt();
        at(t, E_IP, E_PORT, SERVER, 80, ec, 0, SYN, 0);
        at(t += 300_000, SERVER, 80, E_IP, E_PORT, es, ec + 1, SYN | ACK, 0);
        at(t += 300_000, E_IP, E_PORT, SERVER, 80, ec + 1, es + 1, ACK, 0);
        exchange(t + 1_000_000, ec + 1, es + 1);
        int sc = random.nextInt();
        int ss = random.nextInt();
        t = START_NANOS + 100_000_000L;
        at(t, S_IP, S_PORT, SERVER, 80, sc, 0, SYN, 0);
        at(t += 300_000, SERVER, 80, S_IP, S_PORT, ss, sc + 1, SYN | ACK, 0);
        at(t += 300_000, S_IP, S_PORT, SERVER, 80, sc + 1, ss + 1, ACK, 0);
        at(t += 300_000, S_IP, S_PORT, SERVER, 80, sc + 1, ss + 1, ACK | PSH, 100);
        at(t += 300_000, SERVER, 80, S_IP, S_PORT, ss + 1, sc + 101, ACK | PSH, 500);
        at(t += 300_000, S_IP, S_PORT, SERVER, 80, sc + 101, ss + 501, FIN | ACK, 0);
        at(t += 300_000, SERVER, 80, S_IP, S_PORT, ss + 501, sc + 102, ACK, 0);
        return new int[] {ec + 201, es + 1201};
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
