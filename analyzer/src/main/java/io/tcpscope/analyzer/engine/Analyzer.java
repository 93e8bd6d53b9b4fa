package io.tcpscope.analyzer.engine;

import io.tcpscope.analyzer.decode.DecodeResult;
import io.tcpscope.analyzer.decode.PacketDecoder;
import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.flow.FlowTable;
import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.ConnectionFlag;
import io.tcpscope.analyzer.tcp.ConnectionTracker;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.analyzer.tcp.TcpState;
import io.tcpscope.capture.Frame;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The engine shared by offline and live analysis: frames in, connections out. Decodes each
 * frame, finds its connection (starting a new one, or a new incarnation of a 4-tuple), and
 * hands the segment to the {@link ConnectionTracker}. Time is the capture's only.
 */
public final class Analyzer {
    /** Receives each connection once it is finished (ended and replaced, evicted, or at the end). */
    public interface ConnectionListener {
        void finished(Connection connection);
    }

    private final PacketDecoder decoder = new PacketDecoder();
    private final TcpSegment segment = new TcpSegment();
    private final ConnectionTracker tracker;
    private final FlowTable table;
    private final ConnectionListener listener;
    private final AnalysisSummary summary = new AnalysisSummary();
    private long nextId;

    public Analyzer(OsProfile profile, int maxConnections, ConnectionListener listener) {
        this.tracker = new ConnectionTracker(profile);
        this.listener = listener;
        this.table = new FlowTable(maxConnections, this::evicted);
    }

    public AnalysisSummary summary() {
        return summary;
    }

    /** Feeds one frame. The frame's bytes are not kept. */
    public void onFrame(Frame frame) {
        summary.frames++;
        long nanos = frame.timestampNanos();
        if (summary.firstNanos < 0) {
            summary.firstNanos = nanos;
        }
        summary.lastNanos = Math.max(summary.lastNanos, nanos);
        summary.lastFrame = frame.number();
        DecodeResult result = decoder.decode(frame.buffer(), frame.offset(), frame.capturedLength(), frame.linkType(), segment);
        if (result != DecodeResult.TCP) {
            summary.skipped[result.ordinal()]++;
            return;
        }
        summary.tcpFrames++;
        onSegment(segment, frame.number(), nanos);
    }

    private void onSegment(TcpSegment s, long frameNumber, long nanos) {
        Connection c = table.find(s.ipVersion, s.srcHi, s.srcLo, s.srcPort, s.dstHi, s.dstLo, s.dstPort);
        boolean bareSyn = s.has(TcpSegment.SYN) && !s.has(TcpSegment.ACK);
        boolean reused = false;
        if (c != null && bareSyn && startsNewIncarnation(c, s)) {
            tracker.endIncarnation(c, nanos, frameNumber);
            table.remove(c);
            finishConnection(c);
            c = null;
            reused = true;
        }
        if (c == null) {
            c = open(s, frameNumber, nanos);
            if (reused) {
                c.flags().add(ConnectionFlag.PORT_REUSE);
            }
        } else {
            table.touch(c);
        }
        Endpoint sender = c.isClient(s.ipVersion, s.srcHi, s.srcLo, s.srcPort) ? c.client() : c.server();
        tracker.process(c, sender, s, frameNumber, nanos);
    }

    /**
     * A bare SYN with a new ISN on a 4-tuple whose connection is over (each side CLOSED or in
     * TIME_WAIT) opens a new incarnation (RFC 9293 §3.10.7.4, RFC 6191).
     */
    private static boolean startsNewIncarnation(Connection c, TcpSegment s) {
        Endpoint sender = c.isClient(s.ipVersion, s.srcHi, s.srcLo, s.srcPort) ? c.client() : c.server();
        if (sender.synSent() && s.seq == sender.isn()) {
            return false; // the same SYN again: a retransmission
        }
        return c.client().stateOrClosed().ended() && c.server().stateOrClosed().ended();
    }

    private Connection open(TcpSegment s, long frameNumber, long nanos) {
        boolean syn = s.has(TcpSegment.SYN);
        boolean ack = s.has(TcpSegment.ACK);
        boolean senderIsClient;
        boolean guessed = false;
        if (syn) {
            senderIsClient = !ack;
        } else {
            senderIsClient = guessSenderIsClient(s.srcPort, s.dstPort);
            guessed = true;
        }
        Connection c = senderIsClient
                ? new Connection(nextId++, guessed, s.ipVersion, s.srcHi, s.srcLo, s.srcPort, s.dstHi, s.dstLo, s.dstPort,
                        frameNumber, nanos)
                : new Connection(nextId++, guessed, s.ipVersion, s.dstHi, s.dstLo, s.dstPort, s.srcHi, s.srcLo, s.srcPort,
                        frameNumber, nanos);
        table.add(c);
        summary.connections++;
        if (syn && ack) {
            tracker.startAfterMissedSyn(c, s.ack - 1, frameNumber, nanos);
        } else if (!syn && !s.has(TcpSegment.RST)) {
            tracker.startMidstream(c, frameNumber, nanos);
        }
        return c;
    }

    /**
     * Guesses roles when no SYN was seen: a port below 1024 is the server; else a port in
     * the Linux ephemeral range (32768-60999) is the client; else the lower port is the server.
     */
    static boolean guessSenderIsClient(int srcPort, int dstPort) {
        boolean srcWellKnown = srcPort < 1024;
        boolean dstWellKnown = dstPort < 1024;
        if (srcWellKnown != dstWellKnown) {
            return dstWellKnown;
        }
        boolean srcEphemeral = srcPort >= 32768 && srcPort <= 60999;
        boolean dstEphemeral = dstPort >= 32768 && dstPort <= 60999;
        if (srcEphemeral != dstEphemeral) {
            return srcEphemeral;
        }
        return srcPort >= dstPort;
    }

    private void evicted(Connection c) {
        summary.evictions++;
        c.flags().add(ConnectionFlag.EVICTED);
        finishConnection(c);
    }

    private void finishConnection(Connection c) {
        tracker.finish(c, summary.lastNanos, summary.lastFrame);
        listener.finished(c);
    }

    /**
     * Live mode: the capture clock moved to {@code nowNanos} without a packet (libpcap's
     * read timeout, stamped with the same clock as packet timestamps).
     */
    public void advanceClock(long nowNanos) {
        summary.lastNanos = Math.max(summary.lastNanos, nowNanos);
    }

    /** Capture time now: the last frame's timestamp, or a later clock tick. */
    public long now() {
        return summary.lastNanos;
    }

    /** Visits the connections still in the flow table. */
    public void forEachOpen(java.util.function.Consumer<Connection> visitor) {
        table.forEach(visitor);
    }

    /**
     * Bounds memory on a long run: finishes and removes connections that are over (both
     * endpoints CLOSED, or TIME_WAIT whose 2MSL ran out on capture time) and connections
     * idle for longer than {@code idleTimeoutNanos}.
     *
     * @return how many were removed
     */
    public int expire(long idleTimeoutNanos) {
        long now = summary.lastNanos;
        List<Connection> done = new ArrayList<>();
        table.forEach(c -> {
            boolean over = c.ended() && (c.client().stateOrClosed() == TcpState.CLOSED || c.client().stateSinceNanos() + tracker.profile().timeWaitNanos() <= now)
                    && (c.server().stateOrClosed() == TcpState.CLOSED || c.server().stateSinceNanos() + tracker.profile().timeWaitNanos() <= now);
            if (over || now - c.endNanos() > idleTimeoutNanos) {
                done.add(c);
            }
        });
        done.sort(Comparator.comparingLong(Connection::id));
        for (Connection c : done) {
            table.remove(c);
            finishConnection(c);
        }
        return done.size();
    }

    /** Ends the capture: every connection still in the table is finished, in id order. */
    public void finish() {
        List<Connection> open = new ArrayList<>(table.size());
        table.forEach(open::add);
        open.sort(Comparator.comparingLong(Connection::id));
        for (Connection c : open) {
            table.remove(c);
            finishConnection(c);
        }
    }
}
