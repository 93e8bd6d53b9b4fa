package io.tcpscope.analyzer.report;

import io.tcpscope.analyzer.engine.AnalysisSummary;
import io.tcpscope.analyzer.engine.ConnectionObserver;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.tcp.Endpoint;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * {@code --format zeek}: a conn.log as Zeek 7's ASCII writer prints it (tab-separated, the
 * {@code #separator \x09} ... {@code #types} header, one row per connection, {@code #close}),
 * readable by {@code zeek-cut}. The Zeek columns come from the connection's {@link ZeekConn}
 * (Zeek's own rules, Zeek's originator); tcpscope's columns follow them (README "Zeek conn.log").
 * {@code #open} and {@code #close} are capture times (the first and the last packet), never
 * the wall clock, so the same capture gives the same file.
 */
public final class ZeekReport implements Report {
    /** Zeek 7's conn.log columns, then tcpscope's. */
    public static final List<String> FIELDS = List.of("ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p",
            "proto", "service", "duration", "orig_bytes", "resp_bytes", "conn_state", "local_orig", "local_resp",
            "missed_bytes", "history", "orig_pkts", "orig_ip_bytes", "resp_pkts", "resp_ip_bytes", "tunnel_parents",
            "ip_proto", "tcpscope_id", "tcpscope_orig_role", "tcpscope_orig_final", "tcpscope_resp_final",
            "tcpscope_diagnoses");
    /** Their Zeek types. */
    public static final List<String> TYPES = List.of("time", "string", "addr", "port", "addr", "port", "enum", "string",
            "interval", "count", "count", "string", "bool", "bool", "count", "string", "count", "count", "count", "count",
            "set[string]", "count", "count", "string", "string", "string", "set[string]");

    private static final DateTimeFormatter OPEN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss")
            .withZone(ZoneOffset.UTC);

    private final PrintStream out;
    private final ReorderBuffer lines;
    private boolean headerWritten;

    public ZeekReport(PrintStream out, Order order, long memoryChars) {
        this.out = out;
        this.lines = new ReorderBuffer(out::println, order == Order.ID, memoryChars);
    }

    /** The observer this report needs on every connection. */
    public static List<ConnectionObserver.Factory> observers() {
        return List.of(ZeekConn.factory());
    }

    private void header(long nanos) {
        if (headerWritten) {
            return;
        }
        headerWritten = true;
        out.println("#separator \\x09");
        out.println("#set_separator\t,");
        out.println("#empty_field\t(empty)");
        out.println("#unset_field\t-");
        out.println("#path\tconn");
        out.println("#open\t" + time(nanos));
        out.println("#fields\t" + String.join("\t", FIELDS));
        out.println("#types\t" + String.join("\t", TYPES));
    }

    private static String time(long nanos) {
        return OPEN_TIME.format(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L)));
    }

    @Override
    public void record(ConnectionRecord c) {
        header(c.startNanos());
        lines.put(c.id(), render(c));
    }

    /**
     * One connection's rows (usually one; more when Zeek would have removed it and begun a new
     * one on a later packet), separated by newlines, with none at the end.
     */
    public static String render(ConnectionRecord c) {
        ZeekConn.Result result = c.observation(ZeekConn.Result.class);
        if (result == null) {
            throw new IllegalStateException("the pipeline ran without the Zeek observer");
        }
        StringBuilder rows = new StringBuilder();
        int n = 0;
        for (ZeekConn.Row z : result.rows()) {
            rows.append(n == 0 ? "" : "\n").append(row(c, z, n++));
        }
        return rows.toString();
    }

    private static String row(ConnectionRecord c, ZeekConn.Row z, int index) {
        ConnectionRecord.Side o = c.side(z.origRole());
        ConnectionRecord.Side r = c.side(z.origRole() == Endpoint.Role.CLIENT ? Endpoint.Role.SERVER
                : Endpoint.Role.CLIENT);
        long duration = z.lastNanos() - z.startNanos();
        StringBuilder b = new StringBuilder(200);
        col(b, seconds(z.startNanos()));
        col(b, uid(c, index));
        col(b, o.ip());
        col(b, Integer.toString(o.port()));
        col(b, r.ip());
        col(b, Integer.toString(r.port()));
        col(b, "tcp");
        col(b, "-");
        if (duration > 0) { // Zeek leaves them unset for a connection of one instant
            col(b, seconds(duration));
            col(b, Long.toString(z.origSize()));
            col(b, Long.toString(z.respSize()));
        } else {
            col(b, "-");
            col(b, "-");
            col(b, "-");
        }
        col(b, z.connState());
        col(b, isLocal(o) ? "T" : "F");
        col(b, isLocal(r) ? "T" : "F");
        col(b, Long.toString(z.missedBytes()));
        col(b, z.history().isEmpty() ? "-" : z.history());
        col(b, Long.toString(z.origPackets()));
        col(b, Long.toString(z.origIpBytes()));
        col(b, Long.toString(z.respPackets()));
        col(b, Long.toString(z.respIpBytes()));
        col(b, "-");
        col(b, "6");
        col(b, Long.toString(c.id()));
        col(b, z.origRole().key());
        col(b, o.state().name());
        col(b, r.state().name());
        StringBuilder d = new StringBuilder();
        for (io.tcpscope.analyzer.diagnosis.Diagnosis x : c.diagnoses()) {
            if (d.indexOf(x.code().name()) < 0) {
                d.append(d.length() == 0 ? "" : ",").append(x.code().name());
            }
        }
        b.append(d.length() == 0 ? "(empty)" : d);
        return b.toString();
    }

    private static void col(StringBuilder b, String v) {
        b.append(v).append('\t');
    }

    /** Seconds with 6 decimals, as Zeek prints {@code time} and {@code interval}. */
    static String seconds(long nanos) {
        long micros = Math.floorDiv(nanos + 500, 1000);
        long sec = Math.floorDiv(micros, 1_000_000L);
        long frac = Math.floorMod(micros, 1_000_000L);
        String f = Long.toString(frac);
        return sec + "." + "000000".substring(f.length()) + f;
    }

    /**
     * A deterministic uid in Zeek's form ("C" and base62): the same capture gives the same
     * uids. Made from the connection's id, start time, 4-tuple and the row's index.
     */
    static String uid(ConnectionRecord c, int index) {
        long h = mix(c.id() * 0x9E3779B97F4A7C15L ^ c.startNanos() ^ (long) index << 56);
        h = mix(h ^ c.client().addressHi() ^ Long.rotateLeft(c.client().addressLo(), 17));
        h = mix(h ^ c.server().addressHi() ^ Long.rotateLeft(c.server().addressLo(), 29));
        long h2 = mix(h ^ ((long) c.client().port() << 16 | c.server().port()));
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        StringBuilder b = new StringBuilder("C");
        for (long v : new long[] {h, h2}) {
            long x = v >>> 1;
            for (int i = 0; i < 8; i++) {
                b.append(alphabet.charAt((int) (x % 62)));
                x /= 62;
            }
        }
        return b.toString();
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Zeek's {@code Site::is_local_addr} with its defaults ({@code
     * Site::private_address_space_is_local}): 10/8, 172.16/12, 192.168/16, 100.64/10, 127/8,
     * fc00::/7, fe80::/10, ::1.
     */
    static boolean isLocal(ConnectionRecord.Side s) {
        if (s.ipVersion() == 4) {
            long a = s.addressLo() & 0xFFFFFFFFL;
            return a >>> 24 == 10 || a >>> 20 == (172L << 4 | 1) || a >>> 16 == (192L << 8 | 168)
                    || a >>> 22 == (100L << 2 | 1) || a >>> 24 == 127;
        }
        long hi = s.addressHi();
        return (hi >>> 57) == (0xfcL >>> 1) || (hi >>> 54) == (0xfe80L >>> 6) || (hi == 0 && s.addressLo() == 1);
    }

    @Override
    public void summary(AnalysisSummary summary, Alerts alerts) {
        header(Math.max(0, summary.firstNanos()));
        lines.finish();
        lines.close();
        out.println("#close\t" + time(Math.max(0, summary.lastNanos())));
    }

    @Override
    public void flush() {
        out.flush();
    }
}
