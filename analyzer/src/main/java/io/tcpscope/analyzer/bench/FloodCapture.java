package io.tcpscope.analyzer.bench;

import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.LinkType;
import io.tcpscope.capture.file.PcapWriter;
import java.nio.file.Path;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Writes a SYN flood from spoofed sources against one listener, as a capture point in front
 * of a Linux server would see it ({@code tcpscope bench --generate F --shape flood --sources
 * N}), for the bounded-memory run of README "Robustness":
 *
 * <pre>
 *   time (capture)         what                                           packets
 *   0                      the long-lived connection: handshake, one       6
 *                          request/response; then silent through the flood
 *   1 s .. 1 s + N/rate    N SYNs, one per spoofed source, at {@code rate}  N
 *                          per second (gaps uniform in 0..2/rate)
 *                          half of them (drawn per SYN) answered by a      ~N/2
 *                          SYN-ACK 20-200 us later; the other half
 *                          dropped before the listener (a rate limit)
 *                          of the answered ones, those that find room in   2 per request socket
 *                          the SYN queue ({@link #SYN_BACKLOG} request
 *                          sockets, each held 7 s) see their SYN-ACK
 *                          resent after 1 s and 3 s (Linux with
 *                          net.ipv4.tcp_synack_retries=2); the rest were
 *                          answered with a SYN cookie: one SYN-ACK
 *                          no final ACK ever comes
 *   every 10 s of flood    a legitimate client: handshake, request,        8 each
 *   (from 5 s in; or once  response, client close (it gets through)
 *   in its middle)
 *   flood end + 4 s        the long-lived connection: one more exchange    3
 *                          (it must still be the same connection), after
 *                          the last request sockets' retransmissions; the
 *                          capture ends with it
 * </pre>
 *
 * <p>Addresses: the listener {@link #LISTENER_IP}:{@link #LISTENER_PORT}; the long-lived
 * client 198.51.100.7:51000; legitimate clients 203.0.113.1-250, ports from 40000; spoofed
 * sources {@code N} distinct addresses, a bijective 32-bit mix of a counter (spread over the
 * whole IPv4 space, as spoofing tools draw them; the listener's and the real clients'
 * addresses are skipped), each with a random port 1024-65535 and a random ISN. Everything is
 * drawn from one seeded {@link SplittableRandom}: the same arguments give the same bytes.
 */
public final class FloodCapture {
    /** The flooded listener: 192.0.2.10:80. */
    public static final int LISTENER_IP = 0xc000020a;
    public static final int LISTENER_PORT = 80;
    /** The long-lived connection's client: 198.51.100.7:51000. */
    public static final int LONG_LIVED_IP = 0xc6336407;
    public static final int LONG_LIVED_PORT = 51_000;
    /** Legitimate clients: 203.0.113.1-250. */
    static final int LEGIT_NET = 0xcb007100;
    /** Default SYNs per second. */
    public static final int DEFAULT_RATE = 100_000;
    /** Request sockets the listener's SYN queue holds (tcp_max_syn_backlog / the listen backlog). */
    public static final int SYN_BACKLOG = 1024;
    /** A request socket lives 1 + 2 + 4 s with two SYN-ACK retransmissions (after 1 s and 3 s). */
    static final long REQUEST_LIFETIME_NANOS = 7_000_000_000L;
    static final long LEGIT_EVERY_NANOS = 10_000_000_000L;
    private static final long SECOND = 1_000_000_000L;

    private static final int FIN = 0x01;
    private static final int SYN = 0x02;
    private static final int PSH = 0x08;
    private static final int ACK = 0x10;

    /**
     * What to write.
     *
     * @param sources distinct spoofed sources, one SYN each
     * @param rate    SYNs per second
     */
    public record Plan(int sources, int rate, long seed) {
        public Plan {
            if (sources < 0 || rate < 1) {
                throw new IllegalArgumentException("sources " + sources + ", rate " + rate);
            }
        }
    }

    /**
     * What was written.
     *
     * @param answered            spoofed SYNs answered by a SYN-ACK
     * @param requestSockets      of those, SYN-ACKs that had a request socket (resent twice)
     * @param legit               legitimate full connections (besides the long-lived one)
     */
    public record Result(long frames, long sources, long answered, long requestSockets, long legit) {
    }

    private FloodCapture() {
    }

    /** A packet due later (a SYN-ACK, a retransmission): written when the clock reaches it. */
    private record Due(long nanos, long order, int srcIp, int srcPort, int dstIp, int dstPort, int seq, int ack,
                       int flags) {
    }

    /** A bijection of 32-bit ints (xorshift-multiply steps, each invertible): distinct in, distinct out. */
    static int spread(int x) {
        x ^= x >>> 16;
        x *= 0x7feb352d;
        x ^= x >>> 15;
        x *= 0x846ca68b;
        x ^= x >>> 16;
        return x;
    }

    private static boolean reserved(int ip) {
        return ip == LISTENER_IP || ip == LONG_LIVED_IP || (ip & 0xffffff00) == LEGIT_NET;
    }

    public static Result write(Path path, Plan plan) throws CaptureException {
        SplittableRandom random = new SplittableRandom(plan.seed());
        TcpFrameBuilder b = new TcpFrameBuilder();
        PriorityQueue<Due> due = new PriorityQueue<>((x, y) -> x.nanos != y.nanos ? Long.compare(x.nanos, y.nanos)
                : Long.compare(x.order, y.order));
        long[] order = {0};
        long frames = 0;
        long answered = 0;
        long requestSockets = 0;
        long legit = 0;
        long start = SyntheticCapture.START_NANOS;
        long floodStart = start + SECOND;
        long gap = SECOND / plan.rate();
        try (PcapWriter w = new PcapWriter(path, LinkType.ETHERNET, 65_535, PcapWriter.Precision.NANOSECONDS)) {
            Writer out = new Writer(w, b);
            // The long-lived connection: up before the flood, then silent through it.
            int lc = random.nextInt();
            int ls = random.nextInt();
            long t = start;
            out.at(t, LONG_LIVED_IP, LONG_LIVED_PORT, LISTENER_IP, LISTENER_PORT, lc, 0, SYN, 0);
            out.at(t += 300_000, LISTENER_IP, LISTENER_PORT, LONG_LIVED_IP, LONG_LIVED_PORT, ls, lc + 1, SYN | ACK, 0);
            out.at(t += 300_000, LONG_LIVED_IP, LONG_LIVED_PORT, LISTENER_IP, LISTENER_PORT, lc + 1, ls + 1, ACK, 0);
            lc = exchange(out, t + 1_000_000, LONG_LIVED_IP, LONG_LIVED_PORT, lc + 1, ls + 1);
            ls += 1 + 1200;
            // The flood.
            // Every 10 s from 5 s in; a flood shorter than 10 s has one in its middle.
            long nextLegit = floodStart + Math.min(LEGIT_EVERY_NANOS / 2, plan.sources() * gap / 2);
            long queueWindowStart = floodStart;
            int inQueue = 0;
            int counter = 0;
            t = floodStart;
            for (int i = 0; i < plan.sources(); i++) {
                t += random.nextLong(2 * gap + 1);
                if (t >= nextLegit) { // queued first: what is written so far is before nextLegit
                    legitConnection(due, order, random, nextLegit, legit++);
                    nextLegit += LEGIT_EVERY_NANOS;
                }
                while (!due.isEmpty() && due.peek().nanos <= t) {
                    out.write(due.poll());
                }
                int ip;
                do {
                    ip = spread(counter++ ^ (int) plan.seed());
                } while (reserved(ip));
                int port = 1024 + random.nextInt(65_536 - 1024);
                int isn = random.nextInt();
                out.at(t, ip, port, LISTENER_IP, LISTENER_PORT, isn, 0, SYN, 0);
                if (random.nextBoolean()) {
                    answered++;
                    int sisn = random.nextInt();
                    long synAck = t + 20_000 + random.nextLong(180_001);
                    due.add(new Due(synAck, order[0]++, LISTENER_IP, LISTENER_PORT, ip, port, sisn, isn + 1, SYN | ACK));
                    // Request sockets are freed REQUEST_LIFETIME after they were made: model the
                    // queue as filling at the start of each lifetime window.
                    if (t - queueWindowStart >= REQUEST_LIFETIME_NANOS) {
                        queueWindowStart = t;
                        inQueue = 0;
                    }
                    if (inQueue < SYN_BACKLOG) {
                        inQueue++;
                        requestSockets++;
                        for (long after : new long[] {SECOND, 3 * SECOND}) {
                            due.add(new Due(synAck + after, order[0]++, LISTENER_IP, LISTENER_PORT, ip, port, sisn,
                                    isn + 1, SYN | ACK));
                        }
                    }
                }
            }
            long floodEnd = t;
            while (!due.isEmpty()) {
                out.write(due.poll());
            }
            // The long-lived connection again, 4 s after the flood (after the last retransmissions):
            // the same connection; the capture ends with it.
            long back = Math.max(floodEnd + 4 * SECOND, out.last + 1_000_000);
            exchange(out, back, LONG_LIVED_IP, LONG_LIVED_PORT, lc, ls);
            frames = out.frames;
        }
        return new Result(frames, plan.sources(), answered, requestSockets, legit);
    }

    /** Client request (200 bytes), server response (1200 bytes), client ACK; returns the client's next seq. */
    private static int exchange(Writer out, long t, int ip, int port, int c, int s) throws CaptureException {
        out.at(t, ip, port, LISTENER_IP, LISTENER_PORT, c, s, ACK | PSH, 200);
        out.at(t + 300_000, LISTENER_IP, LISTENER_PORT, ip, port, s, c + 200, ACK | PSH, 1200);
        out.at(t + 600_000, ip, port, LISTENER_IP, LISTENER_PORT, c + 200, s + 1200, ACK, 0);
        return c + 200;
    }

    /** A legitimate client's whole connection, its packets queued at their times (they interleave with the flood). */
    private static void legitConnection(PriorityQueue<Due> due, long[] order, SplittableRandom random,
                                        long t, long k) {
        int ip = LEGIT_NET + 1 + (int) (k % 250);
        int port = 40_000 + (int) (k % 20_000);
        int c = random.nextInt();
        int s = random.nextInt();
        long rtt = 400_000;
        int[][] packets = {
            {1, c, 0, SYN, 0}, {0, s, c + 1, SYN | ACK, 0}, {1, c + 1, s + 1, ACK, 0},
            {1, c + 1, s + 1, ACK | PSH, 300}, {0, s + 1, c + 301, ACK | PSH, 900},
            {1, c + 301, s + 901, FIN | ACK, 0}, {0, s + 901, c + 302, FIN | ACK, 0}, {1, c + 302, s + 902, ACK, 0},
        };
        for (int i = 0; i < packets.length; i++) {
            int[] p = packets[i];
            long at = t + i * rtt / 2;
            if (p[0] == 1) {
                due.add(new Due(at, order[0]++, ip, port, LISTENER_IP, LISTENER_PORT, p[1], p[2], p[3] | p[4] << 8));
            } else {
                due.add(new Due(at, order[0]++, LISTENER_IP, LISTENER_PORT, ip, port, p[1], p[2], p[3] | p[4] << 8));
            }
        }
    }

    /** The pcap writer and the frame builder, with the IP ids and the frame count. */
    private static final class Writer {
        final PcapWriter w;
        final TcpFrameBuilder b;
        long frames;
        long last;
        int ipId;

        Writer(PcapWriter w, TcpFrameBuilder b) {
            this.w = w;
            this.b = b;
        }

        void at(long nanos, int srcIp, int srcPort, int dstIp, int dstPort, int seq, int ack, int flags, int payload)
                throws CaptureException {
            int len = b.build(srcIp, srcPort, dstIp, dstPort, seq, ack, flags, (flags & SYN) != 0 ? 64_240 : 502,
                    payload, ipId++ & 0xffff);
            w.write(nanos, len, len, b.buffer(), 0);
            frames++;
            last = nanos;
        }

        /** A queued packet; {@code flags} carries the payload length above bit 8. */
        void write(Due d) throws CaptureException {
            at(d.nanos, d.srcIp, d.srcPort, d.dstIp, d.dstPort, d.seq, d.ack, d.flags & 0xff, d.flags >>> 8);
        }
    }
}
