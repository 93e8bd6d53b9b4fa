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
    private RecordView view = RecordView.ALL;
    /** Marks a message line that a SYN flood summary may replace: TAG + listener + TAG + line. */
    private static final char TAG = '\u0001';
    private long hiddenRows;
    /** The alerts over the same records ({@link #alerts}), for folding; null: nothing folds as it comes. */
    private Alerts alerts;
    /** Per flooded listener: rows folded as they came, and the HALF_OPEN/UNANSWERED_SYN messages among them. */
    private final Map<String, long[]> foldedRows = new java.util.LinkedHashMap<>();
    /**
     * One-way pickups listed as rows before the rest fold ({@link #oneWayPickup}): an ACK
     * flood's or a scan's spoofed sources would otherwise be a row each.
     */
    public static final int ONE_WAY_ROWS = 20;
    /** Most segments a folded one-way pickup has. */
    static final int ONE_WAY_MAX_SEGMENTS = 2;
    private long oneWayRows;
    private long oneWayFolded;
    /** Most segments a folded probe has ({@link #probe}). */
    static final int PROBE_MAX_SEGMENTS = 3;
    /** Clients whose probes are counted (the first seen); others' are rows. */
    static final int MAX_SCANNERS = 4096;
    /** Per client address (at most {@link #MAX_SCANNERS}): probes seen, probes folded. */
    private final Map<String, long[]> probes = new java.util.LinkedHashMap<>();
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
        return "%-5s %-" + endpointWidth + "s %-" + endpointWidth + "s %-12s %-12s %9s %8s  %s%n";
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
            out.printf(row(), "ID", "CLIENT", "SERVER", "CLIENT-STATE", "SERVER-STATE", "DURATION", "IDLE", "FLAGS / DIAGNOSES");
            headerDone = true;
        }
        out.printf(row(), f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]);
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
            if (diagnosed(diagnoses, f)) {
                continue; // the diagnosis of the same name says it
            }
            notes.append(notes.length() == 0 ? "" : ",").append(f.name());
        }
        TcpState cs = c.client().state();
        TcpState ss = c.server().state();
        if (folds(c)) {
            long[] n = foldedRows.computeIfAbsent(server, k -> new long[2]);
            n[0]++;
            n[1] += diagnoses.size();
            statePairs.merge(cs.name() + "/" + ss.name(), 1L, Long::sum);
            rowLines.put(c.id(), (String) null);
            messageLines.put(c.id(), (String) null);
            return;
        }
        // A scanner's probes first (counted per scanner), then one-way connections (spoofed sources).
        boolean fold = foldsProbe(c);
        if (!fold && oneWayPickup(c) && ++oneWayRows > ONE_WAY_ROWS) {
            oneWayFolded++;
            fold = true;
        }
        if (fold) {
            statePairs.merge(cs.name() + "/" + ss.name(), 1L, Long::sum);
            rowLines.put(c.id(), (String) null);
            messageLines.put(c.id(), (String) null);
            return;
        }
        // The row's fields, tab-separated: it is laid out when it is written, in output order,
        // so that the columns fit every endpoint written so far (see emitRow).
        boolean shown = view.shows(c);
        if (!shown) {
            hiddenRows++;
        }
        rowLines.put(c.id(), !rows || !shown ? null : c.id() + "\t" + client + "\t" + server + "\t" + cs.name() + "\t"
                + ss.name() + "\t" + Format.seconds(c.endNanos() - c.startNanos()) + "\t"
                + Format.seconds(c.builtNanos() - c.endNanos()) + "\t" + (notes.length() == 0 ? "-" : notes.toString()));
        statePairs.merge(cs.name() + "/" + ss.name(), 1L, Long::sum);
        StringBuilder lines = null;
        for (Diagnosis d : shown ? diagnoses : List.<Diagnosis>of()) {
            lines = lines == null ? new StringBuilder() : lines;
            if (!view.all() && (d.code() == DiagnosisCode.HALF_OPEN || d.code() == DiagnosisCode.UNANSWERED_SYN)) {
                lines.append(TAG).append(server).append(TAG);
            }
            lines.append("  [").append(c.id()).append("] ").append(d.code().name()).append(": ").append(d.message())
                    .append('\n');
        }
        messageLines.put(c.id(), lines == null ? null : lines.toString());
    }

    /**
     * Whether the record is one row of a SYN flood that the text folds: not {@code --all}, a
     * never-completed handshake to a listener the records so far show flooded ({@link
     * Alerts#inFlood}: from the record that makes it a flood on, in the order records come),
     * with no diagnosis but HALF_OPEN or UNANSWERED_SYN (a different problem is always shown).
     */
    private boolean folds(ConnectionRecord c) {
        if (view.all() || alerts == null || !alerts.inFlood(c)) {
            return false;
        }
        for (Diagnosis d : c.diagnoses()) {
            if (d.code() != DiagnosisCode.HALF_OPEN && d.code() != DiagnosisCode.UNANSWERED_SYN) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the record is a one-way pickup the text folds (beyond the first {@link
     * #ONE_WAY_ROWS}): not {@code --all}, picked up mid-stream, one direction only, at most
     * {@link #ONE_WAY_MAX_SEGMENTS} segments, no diagnosis: what an ACK flood's, a RST flood's
     * or a scan's spoofed sources leave, one connection each.
     */
    private boolean oneWayPickup(ConnectionRecord c) {
        if (view.all()) {
            return false;
        }
        for (Diagnosis d : c.diagnoses()) {
            if (d.code() != DiagnosisCode.UNANSWERED_SYN) {
                return false;
            }
        }
        long a = c.client().packets();
        long b = c.server().packets();
        return (a == 0 || b == 0) && a + b <= ONE_WAY_MAX_SEGMENTS
                && (c.has(ConnectionFlag.MIDSTREAM) || (c.client().synSent() && c.client().payloadBytes() == 0));
    }

    /**
     * Whether the record is a probe of a scan the text folds: not {@code --all}, a client that
     * sent a SYN and no data, at most {@link #PROBE_MAX_SEGMENTS} segments (SYN, then RST-ACK:
     * refused; or SYN-ACK and the scanner's RST: a half-open scan), never established, no
     * diagnosis but REFUSED, RESET, UNANSWERED_SYN or HALF_OPEN, from a client address that already had
     * {@link #ONE_WAY_ROWS} probes listed as rows.
     */
    private boolean foldsProbe(ConnectionRecord c) {
        if (view.all() || c.has(ConnectionFlag.MIDSTREAM) || !c.client().synSent() || c.client().payloadBytes() != 0
                || c.server().payloadBytes() != 0 || c.client().packets() + c.server().packets() > PROBE_MAX_SEGMENTS) {
            return false;
        }
        TcpState cs = c.client().state();
        TcpState ss = c.server().state();
        if ((cs != TcpState.CLOSED && cs != TcpState.SYN_SENT)
                || (ss != TcpState.CLOSED && ss != TcpState.LISTEN && ss != TcpState.SYN_RECEIVED)) {
            return false;
        }
        for (Diagnosis d : c.diagnoses()) {
            if (d.code() != DiagnosisCode.RESET && d.code() != DiagnosisCode.REFUSED
                    && d.code() != DiagnosisCode.UNANSWERED_SYN && d.code() != DiagnosisCode.HALF_OPEN) {
                return false;
            }
        }
        String ip = c.client().ip();
        long[] n = probes.get(ip);
        if (n == null) {
            if (probes.size() >= MAX_SCANNERS) {
                return false;
            }
            n = new long[2];
            probes.put(ip, n);
        }
        if (++n[0] <= ONE_WAY_ROWS) {
            return false;
        }
        n[1]++;
        return true;
    }

    @Override
    public void alerts(Alerts alerts) {
        this.alerts = alerts;
    }

    private static boolean diagnosed(List<Diagnosis> diagnoses, ConnectionFlag f) {
        for (Diagnosis d : diagnoses) {
            if (d.code().name().equals(f.name())) {
                return true;
            }
        }
        return false;
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

    private List<io.tcpscope.analyzer.verdict.HostJoin.Unseen> hostSockets;

    @Override
    public void hostSockets(List<io.tcpscope.analyzer.verdict.HostJoin.Unseen> unseen) {
        this.hostSockets = List.copyOf(unseen);
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
        boolean foldedMessages = foldedRows.values().stream().anyMatch(n -> n[1] > 0);
        if (!messages.isEmpty() || foldedMessages) {
            out.println();
            out.println("Diagnoses:");
            java.util.Set<String> flooded = new java.util.HashSet<>();
            alerts.floods().forEach(f -> flooded.add(f.listener()));
            Map<String, long[]> folded = new java.util.LinkedHashMap<>();
            foldedRows.forEach((listener, n) -> {
                if (n[1] > 0) {
                    folded.put(listener, new long[] {n[1]});
                }
            });
            messages.replay(line -> {
                if (line.isEmpty() || line.charAt(0) != TAG) {
                    out.println(line);
                    return;
                }
                int end = line.indexOf(TAG, 1);
                String listener = line.substring(1, end);
                if (flooded.contains(listener)) {
                    folded.computeIfAbsent(listener, k -> new long[1])[0]++;
                } else {
                    out.println(line.substring(end + 1));
                }
            });
            folded.forEach((listener, n) -> out.println("  " + n[0] + " HALF_OPEN/UNANSWERED_SYN messages of the SYN flood on "
                    + listener + " not listed (--all lists them)"));
        }
        messages.close();
        if (hostSockets != null) {
            HostSocketLines.text(out, hostSockets);
        }
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
        for (io.tcpscope.analyzer.diagnosis.SynFloods.Flood f : alerts.floods()) {
            out.println("SYN_FLOOD: " + f.message());
        }
        foldedRows.forEach((listener, n) -> out.println("SYN flood on " + listener + ": " + n[0]
                + " never-completed handshakes not listed as rows (those reported once the flood was recognised;"
                + " --all lists them)"));
        if (oneWayFolded > 0) {
            out.println("one-way connections: " + oneWayFolded + " not listed as rows (one direction, at most "
                    + ONE_WAY_MAX_SEGMENTS + " segments, no diagnosis but UNANSWERED_SYN: spoofed"
                    + " sources of an ACK, RST or unanswered SYN flood, stray segments; the first " + ONE_WAY_ROWS + " are; --all lists them)");
        }
        probes.forEach((ip, n) -> {
            if (n[1] > 0) {
                out.println("failed attempts from " + ip + ": " + n[0] + " connections never established (a SYN, at most "
                        + PROBE_MAX_SEGMENTS + " segments: a scan, or a client retrying a refused or silent service), "
                        + n[1] + " not listed as rows (the first " + ONE_WAY_ROWS + " are; --all lists them)");
            }
        });
        Map<String, Long> timeWait = alerts.timeWaits().perHost();
        if (!timeWait.isEmpty()) {
            StringBuilder t = new StringBuilder();
            timeWait.forEach((k, v) -> t.append(t.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
            out.println("TIME_WAIT at the end, per host: " + t);
        }
        for (io.tcpscope.analyzer.diagnosis.TimeWaits.Pileup p : alerts.timeWaits().pileups()) {
            out.println("TIME_WAIT_PILEUP: " + p.message());
        }
        if (hiddenRows > 0) {
            out.println("not shown (--only-problems, --state, --diagnosis): " + hiddenRows + " connections");
        }
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
    public void view(RecordView view) {
        this.view = view;
    }

    @Override
    public void flush() {
        out.flush();
    }
}
