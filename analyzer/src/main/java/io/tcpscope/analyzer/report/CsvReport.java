package io.tcpscope.analyzer.report;

import io.tcpscope.analyzer.diagnosis.Diagnosis;
import io.tcpscope.analyzer.engine.AnalysisSummary;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.tcp.ConnectionFlag;
import io.tcpscope.analyzer.tcp.Transition;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * {@code --format csv}: RFC 4180 (CRLF line ends, a field quoted when it holds a comma, a
 * quote, CR or LF, its quotes doubled), a header row, then one row per connection: the JSON
 * Lines connection fields flattened ({@code client_ip}, ..., {@code client_final},
 * {@code server_final}, per-side counters as {@code client_X}/{@code server_X}); a timeline as
 * its states joined by {@code >}, flags and diagnosis codes joined by {@code ;}. No summary row
 * (a spreadsheet wants one table). The column names are a contract like the JSON field names.
 */
public final class CsvReport implements Report {
    private record Counter(String name, ToLongFunction<ConnectionRecord.Side> value) {
    }

    private static final List<Counter> COUNTERS = List.of(
            new Counter("packets", ConnectionRecord.Side::packets),
            new Counter("bytes", ConnectionRecord.Side::payloadBytes),
            new Counter("retransmissions", ConnectionRecord.Side::retransmissions),
            new Counter("syn_retransmissions", ConnectionRecord.Side::synRetransmissions),
            new Counter("out_of_order", ConnectionRecord.Side::outOfOrderSegments),
            new Counter("duplicates", ConnectionRecord.Side::duplicates),
            new Counter("overlaps", ConnectionRecord.Side::overlapSegments),
            new Counter("missed_bytes", ConnectionRecord.Side::missedBytes),
            new Counter("keepalives", ConnectionRecord.Side::keepalives),
            new Counter("zero_window_probes", ConnectionRecord.Side::zeroWindowProbes),
            new Counter("duplicate_acks", ConnectionRecord.Side::duplicateAcks),
            new Counter("zero_windows", ConnectionRecord.Side::zeroWindows),
            new Counter("lost_segments", ConnectionRecord.Side::lostSegments));

    /** The header row's names, in order. */
    public static final List<String> COLUMNS;

    static {
        List<String> c = new ArrayList<>(List.of("id", "client_ip", "client_port", "server_ip", "server_port",
                "role_inferred", "ip_version", "start_ts", "end_ts", "duration_s", "first_frame", "last_frame",
                "end_reason", "record_ts", "client_states", "server_states", "client_final", "server_final", "flags",
                "diagnoses"));
        for (Counter k : COUNTERS) {
            c.add("client_" + k.name());
            c.add("server_" + k.name());
        }
        COLUMNS = List.copyOf(c);
    }

    private final PrintStream out;
    private final ReorderBuffer lines;

    public CsvReport(PrintStream out, Order order, long memoryChars) {
        this.out = out;
        this.lines = new ReorderBuffer(this::line, order == Order.ID, memoryChars);
        line(String.join(",", COLUMNS));
    }

    private void line(String text) {
        out.print(text);
        out.print("\r\n");
    }

    @Override
    public void record(ConnectionRecord c) {
        lines.put(c.id(), render(c));
    }

    /** One connection's row (no line end). */
    public static String render(ConnectionRecord c) {
        List<String> v = new ArrayList<>(COLUMNS.size());
        v.add(Long.toString(c.id()));
        v.add(c.client().ip());
        v.add(Integer.toString(c.client().port()));
        v.add(c.server().ip());
        v.add(Integer.toString(c.server().port()));
        v.add(Boolean.toString(c.roleGuessed()));
        v.add(Integer.toString(c.ipVersion()));
        v.add(Format.epochSeconds(c.startNanos()));
        v.add(Format.epochSeconds(c.endNanos()));
        v.add(Format.durationSeconds(c.endNanos() - c.startNanos()));
        v.add(Long.toString(c.firstFrame()));
        v.add(Long.toString(c.lastFrame()));
        v.add(c.end().key());
        v.add(Format.epochSeconds(c.builtNanos()));
        v.add(states(c.client()));
        v.add(states(c.server()));
        v.add(c.client().state().name());
        v.add(c.server().state().name());
        StringBuilder flags = new StringBuilder();
        for (ConnectionFlag f : c.flags()) {
            flags.append(flags.length() == 0 ? "" : ";").append(f.name());
        }
        v.add(flags.toString());
        StringBuilder codes = new StringBuilder();
        for (Diagnosis d : c.diagnoses()) {
            codes.append(codes.length() == 0 ? "" : ";").append(d.code().name());
        }
        v.add(codes.toString());
        for (Counter k : COUNTERS) {
            v.add(Long.toString(k.value().applyAsLong(c.client())));
            v.add(Long.toString(k.value().applyAsLong(c.server())));
        }
        StringBuilder b = new StringBuilder(256);
        for (int i = 0; i < v.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(field(v.get(i)));
        }
        return b.toString();
    }

    private static String states(ConnectionRecord.Side s) {
        StringBuilder b = new StringBuilder();
        for (Transition t : s.timeline()) {
            b.append(b.length() == 0 ? "" : ">").append(t.state().name());
        }
        return b.toString();
    }

    /** RFC 4180 §2.6-2.7: quoted when needed, inner quotes doubled. */
    static String field(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == ',' || ch == '"' || ch == '\r' || ch == '\n') {
                return '"' + s.replace("\"", "\"\"") + '"';
            }
        }
        return s;
    }

    @Override
    public void summary(AnalysisSummary summary, Alerts alerts) {
        lines.finish();
        lines.close();
    }

    @Override
    public void flush() {
        out.flush();
    }
}
