package io.tcpscope.analyzer.bench;

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
 *
 * <p>That is {@link Shape#MIXED}, the default. Two more shapes ({@link Plan}):
 * <ul>
 *   <li>{@link Shape#ROUNDS}, the reference file of BENCHMARKS.md ({@code bench --generate F
 *       --reference}: 5M packets, 50,000 connections of 100 packets, 2,000 open at once): after
 *       the handshake, request/response rounds: a client request (200-700 bytes), a response of
 *       2-12 segments, all full-size (1460 bytes) but the last (200-1460), the client
 *       acknowledging every second segment and the last one (delayed ACKs, as Linux's quick-ack
 *       rule does for full-size segments), the next request acknowledging nothing new. Then
 *       the close: even index the client closes first (TIME_WAIT / CLOSED), odd index the
 *       server (CLOSED / TIME_WAIT). Each connection has exactly {@code packetsPerConnection}
 *       packets: the rounds stop wherever the data packets run out (any prefix is valid TCP,
 *       since every segment acknowledges all the peer sent).</li>
 *   <li>{@link Shape#OPEN}: every connection is open at once and none ever closes (ending
 *       {@link Ending#OPEN}): the handshake, then the {@code MIXED} data pattern. The next
 *       packet comes from a random one of all connections, so all of them are open by the end
 *       (e.g. 1M connections x 10 packets for the "1M open connections" measurement). Final
 *       states ESTABLISHED / ESTABLISHED.</li>
 * </ul>
 */
public final class SyntheticCapture {
    public static final int DEFAULT_CONNECTIONS = 20_000;
    public static final int DEFAULT_PACKETS_PER_CONNECTION = 50;
    /** Handshake (3) + one data packet + the longest ending (4). */
    public static final int MIN_PACKETS_PER_CONNECTION = 8;
    public static final long DEFAULT_SEED = 20240601L;
    /** Connections open at once. */
    public static final int CONCURRENCY = 1000;
    /** Connections open at once in {@link Shape#ROUNDS} and the reference file. */
    public static final int REFERENCE_CONCURRENCY = 2_000;
    public static final int REFERENCE_CONNECTIONS = 50_000;
    public static final int REFERENCE_PACKETS_PER_CONNECTION = 100;
    /** Handshake (3) + one data packet: {@link Shape#OPEN} has no ending. */
    public static final int MIN_PACKETS_OPEN = 4;
    /** Client ports per client address. */
    static final int PORTS_PER_CLIENT = 28_000;
    static final long START_NANOS = 1_700_000_000L * 1_000_000_000L;

    private static final int FIN = 0x01;
    private static final int SYN = 0x02;
    private static final int RST = 0x04;
    private static final int PSH = 0x08;
    private static final int ACK = 0x10;

    /** What the connections look like (see the class comment). */
    public enum Shape { MIXED, ROUNDS, OPEN;

        /** Fewest packets a connection of this shape can have. */
        public int minPacketsPerConnection() {
            return this == OPEN ? MIN_PACKETS_OPEN : MIN_PACKETS_PER_CONNECTION;
        }
    }

    /**
     * What to write.
     *
     * @param concurrency connections open at once (ignored by {@link Shape#OPEN}: all are)
     */
    public record Plan(Shape shape, int connections, int packetsPerConnection, int concurrency, long seed) {
        public Plan {
            if (connections < 0 || connections > 200 * PORTS_PER_CLIENT) {
                throw new IllegalArgumentException("connections " + connections + " not in 0.." + 200 * PORTS_PER_CLIENT);
            }
            if (packetsPerConnection < shape.minPacketsPerConnection()) {
                throw new IllegalArgumentException("packets per connection must be at least "
                        + shape.minPacketsPerConnection());
            }
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1");
            }
        }

        /** The class comment's default: {@link Shape#MIXED}, {@link #CONCURRENCY} open at once. */
        public static Plan mixed(int connections, int packetsPerConnection, long seed) {
            return new Plan(Shape.MIXED, connections, packetsPerConnection, CONCURRENCY, seed);
        }

        /** The reference file: 50,000 connections x 100 packets (5M), 2,000 open at once. */
        public static Plan reference() {
            return new Plan(Shape.ROUNDS, REFERENCE_CONNECTIONS, REFERENCE_PACKETS_PER_CONNECTION,
                    REFERENCE_CONCURRENCY, DEFAULT_SEED);
        }
    }

    /** How a connection ends. */
    public enum Ending { CLIENT_CLOSE, SERVER_CLOSE, RESET, STUCK_HALF_CLOSE, OPEN;

        /** Packets after the data phase. */
        int closingPackets() {
            switch (this) {
                case CLIENT_CLOSE: case SERVER_CLOSE:
                    return 4;
                case RESET:
                    return 1;
                case STUCK_HALF_CLOSE:
                    return 2;
                case OPEN:
                    return 0;
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

    /** The ending of connection {@code index} in a capture of this shape. */
    public static Ending ending(Shape shape, long index) {
        switch (shape) {
            case MIXED:
                return ending(index);
            case ROUNDS:
                return (index & 1) == 0 ? Ending.CLIENT_CLOSE : Ending.SERVER_CLOSE;
            case OPEN:
                return Ending.OPEN;
        }
        throw new AssertionError(shape);
    }

    /** Writes {@code connections} connections of {@code packetsPerConnection} packets to {@code path}. */
    public static Result write(Path path, int connections, int packetsPerConnection, long seed) throws CaptureException {
        return write(path, Plan.mixed(connections, packetsPerConnection, seed));
    }

    /** Writes the capture {@code plan} describes to {@code path}. */
    public static Result write(Path path, Plan plan) throws CaptureException {
        int connections = plan.connections();
        int packetsPerConnection = plan.packetsPerConnection();
        Shape shape = plan.shape();
        SplittableRandom random = new SplittableRandom(plan.seed());
        TcpFrameBuilder builder = new TcpFrameBuilder();
        long[] endings = new long[Ending.values().length];
        int concurrency = shape == Shape.OPEN ? connections : plan.concurrency();
        Flow[] open = new Flow[Math.min(concurrency, Math.max(connections, 1))];
        int openCount = 0;
        int started = 0;
        long frames = 0;
        long clock = START_NANOS;
        try (PcapWriter writer = new PcapWriter(path, LinkType.ETHERNET, 65_535, PcapWriter.Precision.MICROSECONDS)) {
            while (openCount < open.length && started < connections) {
                open[openCount++] = new Flow(shape, started++, packetsPerConnection, random);
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
                        open[slot] = new Flow(shape, started++, packetsPerConnection, random);
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
        final Shape shape;
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
        /** {@link Shape#ROUNDS}: segments left in this response, and sent of it so far. */
        int responseLeft;
        int responseSent;
        /** Server segments not yet acknowledged by a client ACK. */
        boolean pendingAck;

        Flow(Shape shape, int index, int packets, SplittableRandom random) {
            this.shape = shape;
            this.ending = ending(shape, index);
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
            if (d < dataPackets && shape == Shape.ROUNDS) {
                return round(b, random);
            }
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

        /**
         * {@link Shape#ROUNDS}: the next packet of the request/response rounds. A request
         * starts a response of 2-12 segments; the client ACKs every second one and the last.
         */
        private int round(TcpFrameBuilder b, SplittableRandom random) {
            if (responseLeft == 0) {
                int n = 200 + random.nextInt(501);
                int seq = clientNext;
                clientNext += n;
                responseLeft = 2 + random.nextInt(11);
                responseSent = 0;
                return client(b, seq, serverNext, ACK | PSH, 502, n);
            }
            if (responseSent > 0 && (responseSent % 2 == 0 || responseSent == responseLeft) && pendingAck) {
                pendingAck = false;
                if (responseSent == responseLeft) {
                    responseLeft = 0;
                }
                return client(b, clientNext, serverNext, ACK, 502, 0);
            }
            boolean last = responseSent == responseLeft - 1;
            int n = last ? 200 + random.nextInt(TcpFrameBuilder.MAX_PAYLOAD - 199) : TcpFrameBuilder.MAX_PAYLOAD;
            int seq = serverNext;
            serverNext += n;
            responseSent++;
            pendingAck = true;
            return server(b, seq, clientNext, last ? ACK | PSH : ACK, 509, n);
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
                case OPEN:
                    break;
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
