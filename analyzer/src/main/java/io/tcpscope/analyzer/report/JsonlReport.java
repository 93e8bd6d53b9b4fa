package io.tcpscope.analyzer.report;

import io.tcpscope.analyzer.decode.DecodeResult;
import io.tcpscope.analyzer.diagnosis.Diagnosis;
import io.tcpscope.analyzer.diagnosis.DiagnosisCode;
import io.tcpscope.analyzer.diagnosis.SynFloods;
import io.tcpscope.analyzer.diagnosis.TimeWaits;
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
    private RecordView view = RecordView.ALL;
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
        this.lines = new ReorderBuffer(this::writeLine, order == Order.ID, memoryChars);
    }

    private List<io.tcpscope.analyzer.verdict.HostJoin.Unseen> hostSockets;

    @Override
    public void hostSockets(List<io.tcpscope.analyzer.verdict.HostJoin.Unseen> unseen) {
        this.hostSockets = List.copyOf(unseen);
    }

    private void writeLine(byte[] bytes, int offset, int length) {
        out.write(bytes, offset, length);
        out.write(LINE_SEPARATOR, 0, LINE_SEPARATOR.length);
    }

    private static final byte[] LINE_SEPARATOR = System.lineSeparator().getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /**
     * Renders the record into the reused writer and hands its bytes to the reorder buffer:
     * written at once when its id is next (or unordered), copied only when it must wait.
     */
    @Override
    public void record(ConnectionRecord c) {
        if (view.shows(c)) {
            lines.put(c.id(), renderInto(c));
        } else {
            lines.put(c.id(), (String) null);
        }
    }

    @Override
    public void view(RecordView view) {
        this.view = view;
    }

    /** One record as its JSON line (no newline). */
    public String render(ConnectionRecord c) {
        return renderInto(c).text();
    }

    /**
     * Renders a record into the report's reused writer, with the byte API (no String per
     * field): the bytes are those of the earlier String-built line (JsonlContractTest, goldens).
     */
    JsonWriter renderInto(ConnectionRecord c) {
        JsonWriter j = json.begin().open();
        j.field("type", "connection").field("id", c.id());
        endpoint(j, "client", c.client());
        endpoint(j, "server", c.server());
        j.field("role_inferred", c.roleGuessed());
        j.field("ip_version", c.client().ipVersion());
        j.epochSeconds("start_ts", c.startNanos());
        j.epochSeconds("end_ts", c.endNanos());
        j.durationSeconds("duration_s", c.endNanos() - c.startNanos());
        j.field("first_frame", c.firstFrame()).field("last_frame", c.lastFrame());
        j.field("end_reason", c.end().key());
        j.epochSeconds("record_ts", c.builtNanos());
        j.durationSeconds("idle_s", Math.max(0, c.builtNanos() - c.endNanos()));
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
        List<Diagnosis> diagnoses = c.diagnoses();
        for (int i = 0, n = diagnoses.size(); i < n; i++) {
            diagnosis(j, diagnoses.get(i));
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
        if (c.client().inconsistency() != null || c.server().inconsistency() != null) {
            // where the evidence contradicted itself (flag INCONSISTENT): per side, the first
            // contradiction, timeline-shaped (the state held, the frame, the cause)
            j.open("inconsistency");
            inconsistency(j, "client", c.client().inconsistency());
            inconsistency(j, "server", c.server().inconsistency());
            j.close();
        }
        diagnosisFacts(j, c, view.timeWaitNanos());
        j.close();
        return j;
    }

    /** {@code time_wait}: who holds it, from and until when (2MSL), or null. */
    private static void diagnosisFacts(JsonWriter j, ConnectionRecord c, long timeWaitNanos) {
        TimeWaits.Hold tw = TimeWaits.of(c, timeWaitNanos);
        if (tw == null) {
            j.nullField("time_wait");
        } else {
            j.open("time_wait").field("holder", tw.holder().key())
                    .rawNumber("since_ts", Format.epochSeconds(tw.sinceNanos()))
                    .rawNumber("until_ts", Format.epochSeconds(tw.untilNanos())).close();
        }
    }

    /** The SYN_FLOOD and TIME_WAIT_PILEUP alerts' own fields, and the TIME_WAIT count per host. */
    private static void summaryAlertFields(JsonWriter j, DiagnosisCode code, Alerts alerts) {
        if (code == DiagnosisCode.SYN_FLOOD) {
            j.array("listeners");
            for (SynFloods.Flood f : alerts.floods()) {
                j.open().field("ip", f.ip()).field("port", f.port()).field("attempts", f.attempts())
                        .field("half_open", f.halfOpen()).field("gave_up", f.gaveUp()).field("syn_cookies", f.synCookies())
                        .field("cookies_in_use", f.cookiesInUse()).field("unanswered", f.unanswered())
                        .field("synack_retransmissions", f.synAckRetransmissions()).field("sources", f.sources())
                        .field("sources_capped", f.sourcesCapped()).field("sources_estimated", f.sourcesEstimated())
                        .field("undecided", f.undecided())
                        .rawNumber("syns_per_s", String.format(Locale.ROOT, "%.1f", f.synsPerSecond()))
                        .field("peak_in_window", f.peakInWindow())
                        .rawNumber("start_ts", Format.epochSeconds(f.firstSynNanos()))
                        .rawNumber("end_ts", Format.epochSeconds(f.lastSynNanos()))
                        .field("message", f.message()).close();
            }
            j.endArray();
        } else if (code == DiagnosisCode.TIME_WAIT_PILEUP) {
            j.array("pileups");
            for (TimeWaits.Pileup p : alerts.timeWaits().pileups()) {
                j.open().field("host", p.hostIp()).field("peer", p.peer()).field("time_wait", p.count())
                        .field("threshold", p.threshold()).field("message", p.message()).close();
            }
            j.endArray();
        }
    }

    private static void endpoint(JsonWriter j, String name, ConnectionRecord.Side e) {
        j.open(name).address("ip", e.ipVersion(), e.addressHi(), e.addressLo()).field("port", e.port()).close();
    }

    private static void inconsistency(JsonWriter j, String name, Transition t) {
        if (t == null) {
            j.nullField(name);
            return;
        }
        j.open(name)
                .epochSeconds("ts", t.timestampNanos())
                .field("state", t.state().name())
                .field("frame", t.frame())
                .field("cause", CauseText.of(t.cause()))
                .close();
    }

    private static void timeline(JsonWriter j, String name, ConnectionRecord.Side e) {
        j.array(name);
        List<Transition> timeline = e.timeline();
        for (int i = 0, n = timeline.size(); i < n; i++) {
            Transition t = timeline.get(i);
            j.open()
                    .epochSeconds("ts", t.timestampNanos())
                    .field("state", t.state().name())
                    .field("frame", t.frame())
                    .field("cause", CauseText.of(t.cause()))
                    .lowerCase("basis", t.basis().name())
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
                .epochSeconds("since_ts", d.sinceNanos())
                .durationSeconds("duration_s", d.durationNanos())
                .field("message", d.message());
        if (d.reason() != null) {
            j.field("reason", d.reason());
        }
        j.close();
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
        if (d.reason() != null) {
            j.field("reason", d.reason());
        }
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
        if (hostSockets != null) {
            for (io.tcpscope.analyzer.verdict.HostJoin.Unseen u : hostSockets) {
                out.println(HostSocketLines.jsonl(json, u));
            }
        }
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
            j.endArray();
            summaryAlertFields(j, e.getKey(), alerts);
            j.close();
        }
        j.endArray();
        j.array("time_wait_at_end");
        for (Map.Entry<String, Long> e : alerts.timeWaits().perHost().entrySet()) {
            j.open().field("ip", e.getKey()).field("count", e.getValue()).close();
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
