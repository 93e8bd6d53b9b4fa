package io.tcpscope.analyzer.report;

import java.util.List;
import io.tcpscope.analyzer.decode.DecodeResult;
import io.tcpscope.analyzer.diagnosis.Diagnosis;
import io.tcpscope.analyzer.diagnosis.DiagnosisCode;
import io.tcpscope.analyzer.engine.AnalysisSummary;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.tcp.ConnectionFlag;
import io.tcpscope.analyzer.tcp.TcpState;
import java.io.PrintStream;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * The table for people: one row per connection (id, client, server, the two final states,
 * duration, flags, diagnosis codes), then the diagnosis messages, then a summary. Rows come
 * in id order through a bounded {@link ReorderBuffer} ({@link Report.Order#ID}) or as
 * connections end; the messages wait in a bounded {@link Spool} until the rows are done.
 */
public final class TextReport implements Report {
    /** Width of the CLIENT and SERVER columns for IPv4 ("255.255.255.255:65535" is 21). */
    static final int IPV4_ENDPOINT_WIDTH = 23;
    /** Widest endpoint text: "[" + 39-character IPv6 + "]:65535". */
    static final int MAX_ENDPOINT_WIDTH = 47;

    private final PrintStream out;
    private final String source;
    private final ReorderBuffer rowLines;
    private final Spool messages;
    private final ReorderBuffer messageLines;
    private final Map<String, Long> statePairs = new java.util.TreeMap<>();
    private final boolean rows;
    private boolean headerDone;
    private int endpointWidth = IPV4_ENDPOINT_WIDTH;
    private io.tcpscope.capture.live.CaptureStats pcapStats;
    private List<io.tcpscope.capture.file.CaptureSet.Member> files;

    /** Rows in id order, the reorder buffer bounded by its default. */
    public TextReport(PrintStream out, String source) {
        this(out, source, true, Order.ID, ReorderBuffer.DEFAULT_MEMORY_CHARS);
    }

    /**
     * @param rows        whether to print a row per connection; live mode on a terminal shows a
     *                    refreshed table instead and wants only the summary (which still counts them)
     * @param memoryChars bound on text held in memory: rows waiting for their turn, and again
     *                    the diagnosis messages waiting for the end
     */
    public TextReport(PrintStream out, String source, boolean rows, Order order, long memoryChars) {
        this.out = out;
        this.source = source;
        this.rows = rows;
        this.rowLines = new ReorderBuffer(this::emitRow, order == Order.ID, memoryChars);
        this.messages = new Spool(memoryChars);
        this.messageLines = new ReorderBuffer(messages::add, order == Order.ID, memoryChars);
    }

    private String row() {
        return "%-5s %-" + endpointWidth + "s %-" + endpointWidth + "s %-12s %-12s %9s  %s%n";
    }

    /**
     * Writes one row, in output order. A row wider than the CLIENT and SERVER columns (an IPv6
     * endpoint after IPv4 ones) widens them to the widest endpoint possible, once, and the
     * header is printed again, so every row lines up with the header above it.
     */
    private void emitRow(String fields) {
        String[] f = fields.split("\t", -1);
        if (Math.max(f[1].length(), f[2].length()) >= endpointWidth) {
            endpointWidth = MAX_ENDPOINT_WIDTH;
            headerDone = false;
        }
        if (!headerDone) {
            out.printf(row(), "ID", "CLIENT", "SERVER", "CLIENT-STATE", "SERVER-STATE", "DURATION", "FLAGS / DIAGNOSES");
            headerDone = true;
        }
        out.printf(row(), f[0], f[1], f[2], f[3], f[4], f[5], f[6]);
    }

    @Override
    public void record(ConnectionRecord c) {
        java.util.List<Diagnosis> diagnoses = c.diagnoses();
        String client = (c.roleGuessed() ? "?" : "") + c.client().endpoint();
        String server = c.server().endpoint();
        if (!rows) {
            headerDone = true;
        }
        StringBuilder notes = new StringBuilder();
        for (Diagnosis d : diagnoses) {
            notes.append(notes.length() == 0 ? "" : ",").append(d.code().name());
        }
        for (ConnectionFlag f : c.flags()) {
            notes.append(notes.length() == 0 ? "" : ",").append(f.name());
        }
        TcpState cs = c.client().state();
        TcpState ss = c.server().state();
        // The row's fields, tab-separated: it is laid out when it is written, in output order,
        // so that the columns fit every endpoint written so far (see emitRow).
        rowLines.put(c.id(), !rows ? null : c.id() + "\t" + client + "\t" + server + "\t" + cs.name() + "\t"
                + ss.name() + "\t" + Format.seconds(c.endNanos() - c.startNanos()) + "\t"
                + (notes.length() == 0 ? "-" : notes.toString()));
        statePairs.merge(cs.name() + "/" + ss.name(), 1L, Long::sum);
        StringBuilder lines = null;
        for (Diagnosis d : diagnoses) {
            lines = lines == null ? new StringBuilder() : lines;
            lines.append("  [").append(c.id()).append("] ").append(d.code().name()).append(": ").append(d.message())
                    .append('\n');
        }
        messageLines.put(c.id(), lines == null ? null : lines.toString());
    }

    @Override
    public void diagnosisRaised(ConnectionRecord c, Diagnosis d) {
        out.println("! [" + c.id() + "] " + d.code().name() + ": " + d.message());
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
        rowLines.finish();
        rowLines.close();
        messageLines.finish();
        messageLines.close();
        if (!headerDone) {
            out.println("no TCP connections");
        }
        if (!messages.isEmpty()) {
            out.println();
            out.println("Diagnoses:");
            messages.replay(out::println);
        }
        messages.close();
        out.println();
        StringBuilder skipped = new StringBuilder();
        long skippedTotal = 0;
        for (DecodeResult r : DecodeResult.values()) {
            if (r != DecodeResult.TCP && s.skipped(r) > 0) {
                skippedTotal += s.skipped(r);
                skipped.append(skipped.length() == 0 ? "" : ", ").append(s.skipped(r)).append(' ').append(r.key());
            }
        }
        out.printf("%s: %d frames, %d TCP, %d skipped%s; %d connections%n", source, s.frames(), s.tcpFrames(), skippedTotal,
                skippedTotal > 0 ? " (" + skipped + ")" : "", s.connections());
        if (files != null) {
            for (io.tcpscope.capture.file.CaptureSet.Member f : files) {
                out.printf("file %d: %s, %d frames%s%n", f.index(), f.path(), f.frames(),
                        f.damage() == null ? "" : ", DAMAGED: " + f.damage());
            }
        }
        if (s.firstNanos() >= 0) {
            out.printf("capture: %s to %s (%s)%n", Instant.ofEpochSecond(0, s.firstNanos()),
                    Instant.ofEpochSecond(0, s.lastNanos()), Format.seconds(s.lastNanos() - s.firstNanos()));
        }
        if (pcapStats != null) {
            out.printf("pcap: %d received, %d dropped by the kernel, %d dropped by the interface%n",
                    pcapStats.received(), pcapStats.droppedByKernel(), pcapStats.droppedByInterface());
        }
        if (!statePairs.isEmpty()) {
            StringBuilder pairs = new StringBuilder();
            statePairs.forEach((k, v) -> pairs.append(pairs.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
            out.println("final states (client/server): " + pairs);
        }
        Map<DiagnosisCode, Long> counts = new EnumMap<>(alerts.counts());
        if (counts.isEmpty()) {
            out.println("diagnoses: none");
        } else {
            StringBuilder d = new StringBuilder();
            counts.forEach((k, v) -> d.append(d.length() == 0 ? "" : ", ").append(k.name()).append(' ').append(v));
            out.println("diagnoses: " + d);
        }
        if (s.evictions() > 0) {
            out.println("evicted from the flow table (limit reached): " + s.evictions());
        }
        if (s.lateSegments() > 0) {
            out.println("late segments of connections already reported: " + s.lateSegments());
        }
        if (s.interrupted()) {
            out.println("INTERRUPTED: only the frames read before Ctrl-C/SIGTERM were analyzed");
        }
        if (s.damage() != null) {
            out.println("DAMAGED CAPTURE, analyzed up to the damage: " + s.damage());
        }
        if (s.filter() != null) {
            out.printf("filter '%s': kept %d of %d frames (frame numbers are the file's)%n", s.filter(), s.frames(),
                    s.filterFramesRead());
        }
        if (s.clock() != null) {
            out.println("CLOCK: " + s.clock());
        }
    }

    @Override
    public void flush() {
        out.flush();
    }
}
