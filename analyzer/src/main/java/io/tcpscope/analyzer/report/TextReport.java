package io.tcpscope.analyzer.report;

import io.tcpscope.analyzer.decode.DecodeResult;
import io.tcpscope.analyzer.diagnosis.Diagnosis;
import io.tcpscope.analyzer.diagnosis.DiagnosisCode;
import io.tcpscope.analyzer.engine.AnalysisSummary;
import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.ConnectionFlag;
import io.tcpscope.analyzer.tcp.TcpState;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The table for people: one row per connection (id, client, server, the two final states,
 * duration, flags, diagnosis codes), then the diagnosis messages, then a summary.
 */
public final class TextReport implements Report {
    /** Width of the CLIENT and SERVER columns for IPv4 ("255.255.255.255:65535" is 21). */
    static final int IPV4_ENDPOINT_WIDTH = 23;
    /** Widest endpoint text: "[" + 39-character IPv6 + "]:65535". */
    static final int MAX_ENDPOINT_WIDTH = 47;

    private final PrintStream out;
    private final String source;
    private final List<String> messages = new ArrayList<>();
    private final Map<String, Long> statePairs = new java.util.TreeMap<>();
    private final boolean rows;
    private boolean headerDone;
    private int endpointWidth = IPV4_ENDPOINT_WIDTH;
    private io.tcpscope.capture.live.CaptureStats pcapStats;

    public TextReport(PrintStream out, String source) {
        this(out, source, true);
    }

    /**
     * @param rows whether to print a row per connection; live mode on a terminal shows a
     *             refreshed table instead and wants only the summary (which still counts them)
     */
    public TextReport(PrintStream out, String source, boolean rows) {
        this.out = out;
        this.source = source;
        this.rows = rows;
    }

    /**
     * Sizes the CLIENT and SERVER columns before the first row, for a caller that knows every
     * endpoint in advance (analyze): {@code width} is the longest endpoint text.
     */
    public void fitEndpoints(int width) {
        if (!headerDone) {
            endpointWidth = Math.max(IPV4_ENDPOINT_WIDTH, Math.min(width + 1, MAX_ENDPOINT_WIDTH));
        }
    }

    private String row() {
        return "%-5s %-" + endpointWidth + "s %-" + endpointWidth + "s %-12s %-12s %9s  %s%n";
    }

    @Override
    public void connection(Connection c, List<Diagnosis> diagnoses) {
        String client = (c.roleGuessed() ? "?" : "") + Format.endpoint(c.client());
        String server = Format.endpoint(c.server());
        if (rows && Math.max(client.length(), server.length()) >= endpointWidth) {
            // A streamed row wider than the columns (an IPv6 endpoint in live output): widen
            // them to the widest endpoint possible, once, and print the header again so that
            // every row lines up with the header above it.
            endpointWidth = MAX_ENDPOINT_WIDTH;
            headerDone = false;
        }
        if (!rows) {
            headerDone = true;
        } else if (!headerDone) {
            out.printf(row(), "ID", "CLIENT", "SERVER", "CLIENT-STATE", "SERVER-STATE", "DURATION", "FLAGS / DIAGNOSES");
            headerDone = true;
        }
        StringBuilder notes = new StringBuilder();
        for (Diagnosis d : diagnoses) {
            notes.append(notes.length() == 0 ? "" : ",").append(d.code().name());
        }
        for (ConnectionFlag f : c.flags()) {
            notes.append(notes.length() == 0 ? "" : ",").append(f.name());
        }
        TcpState cs = c.client().stateOrClosed();
        TcpState ss = c.server().stateOrClosed();
        if (rows) {
            out.printf(row(), c.id(), client, server,
                    cs.name(), ss.name(), Format.seconds(c.endNanos() - c.startNanos()),
                    notes.length() == 0 ? "-" : notes.toString());
        }
        statePairs.merge(cs.name() + "/" + ss.name(), 1L, Long::sum);
        for (Diagnosis d : diagnoses) {
            messages.add("  [" + c.id() + "] " + d.code().name() + ": " + d.message());
        }
    }

    @Override
    public void diagnosisRaised(Connection c, Diagnosis d) {
        out.println("! [" + c.id() + "] " + d.code().name() + ": " + d.message());
        out.flush();
    }

    @Override
    public void captureStats(io.tcpscope.capture.live.CaptureStats stats) {
        this.pcapStats = stats;
    }

    @Override
    public void summary(AnalysisSummary s, Alerts alerts) {
        if (!headerDone) {
            out.println("no TCP connections");
        }
        if (!messages.isEmpty()) {
            out.println();
            out.println("Diagnoses:");
            messages.forEach(out::println);
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
