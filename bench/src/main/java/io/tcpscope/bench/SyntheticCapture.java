package io.tcpscope.bench;

import io.tcpscope.analyzer.bench.TcpFrameBuilder;
import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.LinkType;
import io.tcpscope.capture.file.PcapWriter;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a synthetic but protocol-correct capture for {@code tcpscope bench --generate}: many
 * interleaved TCP connections on Ethernet / IPv4, each with a three-way handshake, data both
 * ways with correct sequence and acknowledgement numbers, and an ending:
 *
 * <pre>
 *   connection index % 100   ending              packets at the end        final states (client / server)
 *   0..4                     RESET               one RST|ACK (even index:  CLOSED / CLOSED
 *                                                client sends it, odd: server)
 *   5                        STUCK_HALF_CLOSE    client FIN, server ACK,   FIN_WAIT_2 / CLOSE_WAIT
 *                                                then silence
 *   6..29                    SERVER_CLOSE        FIN, ACK, FIN, ACK        CLOSED / TIME_WAIT
 *   30..99                   CLIENT_CLOSE        FIN, ACK, FIN, ACK        TIME_WAIT / CLOSED
 * </pre>
 *
 * Every connection has exactly {@code packetsPerConnection} packets; the data phase repeats
 * "client request (80-700 bytes), two server segments (200-1460 bytes), client ACK". Up to
 * {@link #CONCURRENCY} connections are open at once and the next packet comes from a random
 * one of them, 1-20 µs after the previous packet. Everything is drawn from one seeded
 * {@link SplittableRandom}: the same arguments give the same bytes. The final states above
 * hold while the capture lasts under 60 s (Linux TIME_WAIT); the default 1M packets span about
 * 10 s.
 *
 * <p>Each connection has its own 4-tuple: client 10.0.0.1+ (index / 28000), port 32768 +
 * (index % 28000); server 192.168.1.1-8, port 80 or 443.
 */
public final class SyntheticCapture {
    public static final int DEFAULT_CONNECTIONS = 20_000;
    public static final int DEFAULT_PACKETS_PER_CONNECTION = 50;
    /** Handshake (3) + one data packet + the longest ending (4). */
    public static final int MIN_PACKETS_PER_CONNECTION = 8;
    public static final long DEFAULT_SEED = 20240601L;
    /** Connections open at once. */
    public static final int CONCURRENCY = 1000;
    /** Client ports per client address. */
    static final int PORTS_PER_CLIENT = 28_000;
    static final long START_NANOS = 1_700_000_000L * 1_000_000_000L;

    private static final int FIN = 0x01;
    private static final int SYN = 0x02;
    private static final int RST = 0x04;
    private static final int PSH = 0x08;
    private static final int ACK = 0x10;

    /** How a connection ends. */
    public enum Ending { CLIENT_CLOSE, SERVER_CLOSE, RESET, STUCK_HALF_CLOSE;

        /** Packets after the data phase. */
        int closingPackets() {
            switch (this) {
                case CLIENT_CLOSE: case SERVER_CLOSE:
                    return 4;
                case RESET:
                    return 1;
                case STUCK_HALF_CLOSE:
                    return 2;
            }
            throw new AssertionError(this);
        }
    }

    /** What was written. */
    public record Result(long frames, long connections, long[] endings) {
        /** Connections that end this way. */
        public long count(Ending ending) {
            return endings[ending.ordinal()];
        }
    }

    private SyntheticCapture() {
    }

    /** The ending of connection {@code index} (see the class comment). */
    public static Ending ending(long index) {
        int r = (int) (index % 100);
        if (r < 5) {
            return Ending.RESET;
        }
        if (r == 5) {
            return Ending.STUCK_HALF_CLOSE;
        }
        return r < 30 ? Ending.SERVER_CLOSE : Ending.CLIENT_CLOSE;
    }

    /** Writes {@code connections} connections of {@code packetsPerConnection} packets to {@code path}. */
    public static Result write(Path path, int connections, int packetsPerConnection, long seed) throws CaptureException {
        if (connections < 0 || connections > 200 * PORTS_PER_CLIENT) {
            throw new IllegalArgumentException("connections " + connections + " not in 0.." + 200 * PORTS_PER_CLIENT);
        }
        if (packetsPerConnection < MIN_PACKETS_PER_CONNECTION) {
            throw new IllegalArgumentException("packets per connection must be at least " + MIN_PACKETS_PER_CONNECTION);
        }
        SplittableRandom random = new SplittableRandom(seed);
        TcpFrameBuilder builder = new TcpFrameBuilder();
        long[] endings = new long[Ending.values().length];
        Flow[] open = new Flow[Math.min(CONCURRENCY, Math.max(connections, 1))];
        int openCount = 0;
        int started = 0;
        long frames = 0;
        long clock = START_NANOS;
        try (PcapWriter writer = new PcapWriter(path, LinkType.ETHERNET, 65_535, PcapWriter.Precision.MICROSECONDS)) {
            while (openCount < open.length && started < connections) {
                open[openCount++] = new Flow(started++, packetsPerConnection, random);
            }
            while (openCount > 0) {
                int slot = random.nextInt(openCount);
                Flow f = open[slot];
                int length = f.emit(builder, random);
                writer.write(clock, length, length, builder.buffer(), 0);
                frames++;
                clock += (1 + random.nextInt(20)) * 1_000L;
                if (f.done()) {
                    endings[f.ending.ordinal()]++;
                    if (started < connections) {
                        open[slot] = new Flow(started++, packetsPerConnection, random);
                    } else {
                        open[slot] = open[--openCount];
                        open[openCount] = null;
                    }
                }
            }
        }
        return new Result(frames, connections, endings);
    }

    /** One connection being written: its addresses and where each side is in its sequence space. */
    private static final class Flow {
        final Ending ending;
        final boolean clientResets;
        final int clientIp;
        final int clientPort;
        final int serverIp;
        final int serverPort;
        final int packets;
        final int dataPackets;
        int clientNext;
        int serverNext;
        int clientIpId;
        int serverIpId;
        int step;

        Flow(int index, int packets, SplittableRandom random) {
            this.ending = ending(index);
            this.clientResets = (index & 1) == 0;
            this.clientIp = 0x0a000001 + index / PORTS_PER_CLIENT;
            this.clientPort = 32768 + index % PORTS_PER_CLIENT;
            this.serverIp = 0xc0a80101 + index % 8;
            this.serverPort = index % 3 == 0 ? 443 : 80;
            this.packets = packets;
            this.dataPackets = packets - 3 - ending.closingPackets();
            this.clientNext = random.nextInt();
            this.serverNext = random.nextInt();
            this.clientIpId = random.nextInt(1 << 16);
            this.serverIpId = random.nextInt(1 << 16);
        }

        boolean done() {
            return step == packets;
        }

        /** Builds this connection's next packet; returns its length. */
        int emit(TcpFrameBuilder b, SplittableRandom random) {
            int s = step++;
            if (s == 0) {
                return client(b, clientNext++, 0, SYN, 64240, 0);
            }
            if (s == 1) {
                return server(b, serverNext++, clientNext, SYN | ACK, 65160, 0);
            }
            if (s == 2) {
                return client(b, clientNext, serverNext, ACK, 502, 0);
            }
            int d = s - 3;
            if (d < dataPackets) {
                switch (d & 3) {
                    case 0: {
                        int n = 80 + random.nextInt(621);
                        int seq = clientNext;
                        clientNext += n;
                        return client(b, seq, serverNext, ACK | PSH, 502, n);
                    }
                    case 1: case 2: {
                        int n = 200 + random.nextInt(TcpFrameBuilder.MAX_PAYLOAD - 199);
                        int seq = serverNext;
                        serverNext += n;
                        return server(b, seq, clientNext, ACK | PSH, 509, n);
                    }
                    default:
                        return client(b, clientNext, serverNext, ACK, 502, 0);
                }
            }
            return close(b, d - dataPackets);
        }

        private int close(TcpFrameBuilder b, int c) {
            switch (ending) {
                case RESET:
                    return clientResets ? client(b, clientNext, serverNext, RST | ACK, 0, 0)
                            : server(b, serverNext, clientNext, RST | ACK, 0, 0);
                case CLIENT_CLOSE: case STUCK_HALF_CLOSE:
                    switch (c) {
                        case 0: return client(b, clientNext++, serverNext, FIN | ACK, 502, 0);
                        case 1: return server(b, serverNext, clientNext, ACK, 509, 0);
                        case 2: return server(b, serverNext++, clientNext, FIN | ACK, 509, 0);
                        default: return client(b, clientNext, serverNext, ACK, 502, 0);
                    }
                case SERVER_CLOSE:
                    switch (c) {
                        case 0: return server(b, serverNext++, clientNext, FIN | ACK, 509, 0);
                        case 1: return client(b, clientNext, serverNext, ACK, 502, 0);
                        case 2: return client(b, clientNext++, serverNext, FIN | ACK, 502, 0);
                        default: return server(b, serverNext, clientNext, ACK, 509, 0);
                    }
            }
            throw new AssertionError(ending);
        }

        private int client(TcpFrameBuilder b, int seq, int ack, int flags, int window, int payload) {
            return b.build(clientIp, clientPort, serverIp, serverPort, seq, ack, flags, window, payload,
                    clientIpId++ & 0xffff);
        }

        private int server(TcpFrameBuilder b, int seq, int ack, int flags, int window, int payload) {
            return b.build(serverIp, serverPort, clientIp, clientPort, seq, ack, flags, window, payload,
                    serverIpId++ & 0xffff);
        }
    }
}
