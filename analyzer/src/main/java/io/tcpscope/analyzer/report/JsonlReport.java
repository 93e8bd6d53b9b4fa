package io.tcpscope.analyzer.report;

import io.tcpscope.analyzer.decode.DecodeResult;
import io.tcpscope.analyzer.diagnosis.Diagnosis;
import io.tcpscope.analyzer.diagnosis.DiagnosisCode;
import io.tcpscope.analyzer.engine.AnalysisSummary;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.tcp.ConnectionFlag;
import io.tcpscope.analyzer.tcp.Transition;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JSON Lines: one {@code connection} object per record, {@code diagnosis} objects in live
 * mode, then one {@code summary}. The field names are a contract (README "JSON Lines").
 * Connection lines come in id order ({@link Report.Order#ID}) or as connections end.
 */
public final class JsonlReport implements Report {
    private final PrintStream out;
    private final JsonWriter json = new JsonWriter();
    private final String source;
    private final ReorderBuffer lines;
    private io.tcpscope.capture.live.CaptureStats pcapStats;
    private List<io.tcpscope.capture.file.CaptureSet.Member> files;

    /** In id order, the reorder buffer bounded by its default. */
    public JsonlReport(PrintStream out, String source) {
        this(out, source, Order.ID, ReorderBuffer.DEFAULT_MEMORY_CHARS);
    }

    /** @param memoryChars bound on rendered lines held in memory while they wait for their turn ({@link Order#ID}) */
    public JsonlReport(PrintStream out, String source, Order order, long memoryChars) {
        this.out = out;
        this.source = source;
        this.lines = new ReorderBuffer(out::println, order == Order.ID, memoryChars);
    }

    @Override
    public void record(ConnectionRecord c) {
        lines.put(c.id(), render(c));
    }

    /** One record as its JSON line (no newline). */
    public String render(ConnectionRecord c) {
        JsonWriter j = json.begin().open();
        j.field("type", "connection").field("id", c.id());
        endpoint(j, "client", c.client());
        endpoint(j, "server", c.server());
        j.field("role_inferred", c.roleGuessed());
        j.field("ip_version", c.client().ipVersion());
        j.rawNumber("start_ts", Format.epochSeconds(c.startNanos()));
        j.rawNumber("end_ts", Format.epochSeconds(c.endNanos()));
        j.rawNumber("duration_s", Format.durationSeconds(c.endNanos() - c.startNanos()));
        j.field("first_frame", c.firstFrame()).field("last_frame", c.lastFrame());
        j.field("end_reason", c.end().key());
        j.rawNumber("record_ts", Format.epochSeconds(c.builtNanos()));
        j.open("states");
        timeline(j, "client", c.client());
        timeline(j, "server", c.server());
        j.close();
        j.open("final").field("client", c.client().state().name()).field("server", c.server().state().name()).close();
        j.array("flags");
        for (ConnectionFlag f : c.flags()) {
            j.value(f.name());
        }
        j.endArray();
        j.array("diagnoses");
        for (Diagnosis d : c.diagnoses()) {
            diagnosis(j, d);
        }
        j.endArray();
        perSide(j, "packets", c.client().packets(), c.server().packets());
        perSide(j, "bytes", c.client().payloadBytes(), c.server().payloadBytes());
        perSide(j, "retransmissions", c.client().retransmissions(), c.server().retransmissions());
        perSide(j, "syn_retransmissions", c.client().synRetransmissions(), c.server().synRetransmissions());
        perSide(j, "out_of_order", c.client().outOfOrderSegments(), c.server().outOfOrderSegments());
        perSide(j, "duplicates", c.client().duplicates(), c.server().duplicates());
        perSide(j, "overlaps", c.client().overlapSegments(), c.server().overlapSegments());
        perSide(j, "missed_bytes", c.client().missedBytes(), c.server().missedBytes());
        perSide(j, "keepalives", c.client().keepalives(), c.server().keepalives());
        perSide(j, "zero_window_probes", c.client().zeroWindowProbes(), c.server().zeroWindowProbes());
        perSide(j, "duplicate_acks", c.client().duplicateAcks(), c.server().duplicateAcks());
        perSide(j, "zero_windows", c.client().zeroWindows(), c.server().zeroWindows());
        perSide(j, "lost_segments", c.client().lostSegments(), c.server().lostSegments());
        j.close();
        return j.text();
    }

    private static void endpoint(JsonWriter j, String name, ConnectionRecord.Side e) {
        j.open(name).field("ip", e.ip()).field("port", e.port()).close();
    }

    private static void timeline(JsonWriter j, String name, ConnectionRecord.Side e) {
        j.array(name);
        for (Transition t : e.timeline()) {
            j.open()
                    .rawNumber("ts", Format.epochSeconds(t.timestampNanos()))
                    .field("state", t.state().name())
                    .field("frame", t.frame())
                    .field("cause", CauseText.of(t.cause()))
                    .field("basis", t.basis().name().toLowerCase(Locale.ROOT))
                    .close();
        }
        j.endArray();
    }

    private static void perSide(JsonWriter j, String name, long client, long server) {
        j.open(name).field("client", client).field("server", server).close();
    }

    private static void diagnosis(JsonWriter j, Diagnosis d) {
        j.open()
                .field("code", d.code().name())
                .field("endpoint", d.endpoint().key())
                .rawNumber("since_ts", Format.epochSeconds(d.sinceNanos()))
                .rawNumber("duration_s", Format.durationSeconds(d.durationNanos()))
                .field("message", d.message())
                .close();
    }

    @Override
    public void diagnosisRaised(ConnectionRecord c, Diagnosis d) {
        JsonWriter j = json.begin().open();
        j.field("type", "diagnosis").field("connection", c.id());
        endpoint(j, "client", c.client());
        endpoint(j, "server", c.server());
        j.field("code", d.code().name())
                .field("endpoint", d.endpoint().key())
                .rawNumber("since_ts", Format.epochSeconds(d.sinceNanos()))
                .rawNumber("duration_s", Format.durationSeconds(d.durationNanos()))
                .field("message", d.message());
        j.close();
        out.println(j.text());
        out.flush();
    }

    @Override
    public void captureStats(io.tcpscope.capture.live.CaptureStats stats) {
        this.pcapStats = stats;
    }

    @Override
    public void captureFiles(List<io.tcpscope.capture.file.CaptureSet.Member> files) {
        this.files = files;
    }

    @Override
    public void summary(AnalysisSummary s, Alerts alerts) {
        lines.finish();
        lines.close();
        JsonWriter j = json.begin().open();
        j.field("type", "summary").field("source", source);
        j.field("frames", s.frames()).field("tcp_frames", s.tcpFrames());
        j.open("skipped");
        for (DecodeResult r : DecodeResult.values()) {
            if (r != DecodeResult.TCP) {
                j.field(r.key(), s.skipped(r));
            }
        }
        j.close();
        j.field("connections", s.connections());
        if (s.firstNanos() >= 0) {
            j.rawNumber("start_ts", Format.epochSeconds(s.firstNanos()));
            j.rawNumber("end_ts", Format.epochSeconds(s.lastNanos()));
        } else {
            j.nullField("start_ts").nullField("end_ts");
        }
        j.field("evicted", s.evictions());
        j.field("late_segments", s.lateSegments());
        j.field("interrupted", s.interrupted());
        if (s.damage() == null) {
            j.nullField("damage");
        } else {
            j.field("damage", s.damage());
        }
        if (files != null) {
            j.array("files");
            for (io.tcpscope.capture.file.CaptureSet.Member f : files) {
                j.open().field("index", f.index()).field("path", f.path().toString()).field("frames", f.frames());
                if (f.damage() == null) {
                    j.nullField("damage");
                } else {
                    j.field("damage", f.damage());
                }
                j.close();
            }
            j.endArray();
        }
        if (s.filter() != null) {
            j.open("filter").field("expression", s.filter()).field("frames_read", s.filterFramesRead()).close();
        }
        if (s.clock() == null) {
            j.nullField("clock");
        } else {
            j.field("clock", s.clock());
        }
        if (pcapStats != null) {
            j.open("pcap").field("received", pcapStats.received())
                    .field("dropped_kernel", pcapStats.droppedByKernel())
                    .field("dropped_interface", pcapStats.droppedByInterface()).close();
        }
        j.array("alerts");
        for (Map.Entry<DiagnosisCode, Long> e : alerts.counts().entrySet()) {
            j.open().field("code", e.getKey().name()).field("count", e.getValue());
            j.array("connections");
            for (long id : alerts.ids(e.getKey())) {
                j.value(id);
            }
            j.endArray().close();
        }
        j.endArray();
        j.close();
        out.println(j.text());
    }

    @Override
    public void flush() {
        out.flush();
    }
}
