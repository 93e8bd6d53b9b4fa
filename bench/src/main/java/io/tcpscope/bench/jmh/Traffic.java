package io.tcpscope.bench.jmh;

import io.tcpscope.analyzer.bench.TcpFrameBuilder;
import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.engine.Pipeline;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.LinkType;

/**
 * In-order traffic of {@code n} established connections fed to an {@link Analyzer}, frames
 * built in one reused buffer ({@link TcpFrameBuilder}) and handed over with {@link Frame#set}:
 * what the tracker benchmark measures per segment. Client {@code i} is 10.x.y.z (10.0.0.1 + i),
 * port 40000 + i % 20000, to server 192.168.1.1 port 80.
 */
final class Traffic {
    static final int SERVER = 0xc0a80101;
    private static final int ACK_PSH = TcpSegment.ACK | TcpSegment.PSH;

    private final TcpFrameBuilder builder = new TcpFrameBuilder();
    private final Frame frame = new Frame();
    private final Pipeline analyzer;
    private final int[] clientNext;
    private final int[] serverNext;
    private long number;
    private long nanos = 1_700_000_000_000_000_000L;
    private int round;

    Traffic(Pipeline analyzer, int connections) {
        this.analyzer = analyzer;
        this.clientNext = new int[connections];
        this.serverNext = new int[connections];
    }

    int connections() {
        return clientNext.length;
    }

    static int clientIp(int i) {
        return 0x0a000001 + i;
    }

    static int clientPort(int i) {
        return 40000 + i % 20000;
    }

    private void clientSends(int i, int flags, int payload) {
        send(clientIp(i), clientPort(i), SERVER, 80, clientNext[i], serverNext[i], flags, payload);
        clientNext[i] += payload + ((flags & TcpSegment.SYN) != 0 ? 1 : 0);
    }

    private void serverSends(int i, int flags, int payload) {
        send(SERVER, 80, clientIp(i), clientPort(i), serverNext[i], clientNext[i], flags, payload);
        serverNext[i] += payload + ((flags & TcpSegment.SYN) != 0 ? 1 : 0);
    }

    private void send(int src, int sport, int dst, int dport, int seq, int ack, int flags, int payload) {
        int length = builder.build(src, sport, dst, dport, seq, ack, flags, 502, payload, (int) number & 0xffff);
        nanos += 10_000;
        frame.set(++number, nanos, length, length, LinkType.ETHERNET, 0, builder.buffer(), 0);
        analyzer.onFrame(frame);
    }

    /** The three-way handshake of every connection. */
    void handshakes() {
        for (int i = 0; i < clientNext.length; i++) {
            clientNext[i] = 1_000_003 * i;
            serverNext[i] = -7 * 1_000_003 * i;
            clientSends(i, TcpSegment.SYN, 0);
            serverSends(i, TcpSegment.SYN | TcpSegment.ACK, 0);
            clientSends(i, TcpSegment.ACK, 0);
        }
    }

    /** One exchange on connection {@code i}: request, ACK, full-size response, ACK (4 segments). */
    void exchange(int i) {
        int r = round++;
        clientSends(i, ACK_PSH, 100 + (r & 255));
        serverSends(i, TcpSegment.ACK, 0);
        serverSends(i, ACK_PSH, TcpFrameBuilder.MAX_PAYLOAD);
        clientSends(i, TcpSegment.ACK, 0);
    }
}
