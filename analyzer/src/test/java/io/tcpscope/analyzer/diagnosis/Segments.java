package io.tcpscope.analyzer.diagnosis;

import io.tcpscope.analyzer.bench.TcpFrameBuilder;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.engine.Pipeline;
import io.tcpscope.analyzer.engine.RecordSink;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.LinkType;
import java.util.ArrayList;
import java.util.List;

/** Builds segments of IPv4 connections to 10.0.0.2:80 into a {@link Pipeline}, on a capture clock in microseconds. */
public final class Segments {
    public static final long MS = 1_000_000L;
    public static final long SECOND = 1_000_000_000L;
    public static final long T0 = 1_700_000_000L * SECOND;
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int ACK = 0x10;
    public static final int SERVER = 0x0A000002;
    public static final int CLIENT = 0x0A000001;
    public static final int CISN = 1000;
    public static final int SISN = 5000;

    public final List<ConnectionRecord> records = new ArrayList<>();
    public final Pipeline pipeline;
    private final TcpFrameBuilder builder = new TcpFrameBuilder();
    private final Frame frame = new Frame();
    private long number;

    public Segments() {
        this(null);
    }

    /** @param also a sink that sees every record too (a DiagnosisWatch), or null */
    public Segments(RecordSink also) {
        pipeline = new Pipeline(OsProfile.LINUX, Pipeline.Settings.defaults().withMaxConnections(100_000), r -> {
            records.add(r);
            if (also != null) {
                also.record(r);
            }
        });
    }

    /** A segment of the connection from {@code client}:{@code port} at T0 + {@code nanos}. */
    public Segments send(long nanos, int client, int port, boolean fromClient, int seq, int ack, int flags, int window, int payload) {
        int len = fromClient ? builder.build(client, port, SERVER, 80, seq, ack, flags, window, payload, (int) number)
                : builder.build(SERVER, 80, client, port, seq, ack, flags, window, payload, (int) number);
        frame.set(++number, T0 + nanos, len, len, LinkType.ETHERNET, 0, builder.buffer(), 0);
        pipeline.onFrame(frame);
        return this;
    }

    public Segments client(long nanos, int seq, int ack, int flags, int payload) {
        return send(nanos, CLIENT, 40000, true, seq, ack, flags, 502, payload);
    }

    public Segments server(long nanos, int seq, int ack, int flags, int payload) {
        return send(nanos, CLIENT, 40000, false, seq, ack, flags, 502, payload);
    }

    Segments serverWindow(long nanos, int seq, int ack, int window) {
        return send(nanos, CLIENT, 40000, false, seq, ack, ACK, window, 0);
    }

    /** SYN, SYN-ACK, ACK from T0 + {@code nanos}, 1 ms apart. */
    public Segments handshake(long nanos) {
        client(nanos, CISN, 0, SYN, 0);
        server(nanos + MS, SISN, CISN + 1, SYN | ACK, 0);
        return client(nanos + 2 * MS, CISN + 1, SISN + 1, ACK, 0);
    }

    /** Ends the capture at T0 + {@code nanos}; returns the records. */
    public List<ConnectionRecord> end(long nanos) {
        pipeline.advanceClock(T0 + nanos);
        pipeline.finish();
        return records;
    }

    public static List<String> codes(ConnectionRecord r) {
        List<String> out = new ArrayList<>();
        r.diagnoses().forEach(d -> out.add(d.code().name()));
        return out;
    }

    static Diagnosis only(ConnectionRecord r, DiagnosisCode code) {
        Diagnosis found = null;
        for (Diagnosis d : r.diagnoses()) {
            if (d.code() == code) {
                if (found != null) {
                    throw new AssertionError("two " + code + " in " + r.diagnoses());
                }
                found = d;
            }
        }
        if (found == null) {
            throw new AssertionError("no " + code + " in " + r.diagnoses());
        }
        return found;
    }
}
