package io.tcpscope.analyzer.report.html;

import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.analyzer.diagnosis.DiagnosisCode;
import io.tcpscope.analyzer.engine.AnalysisSummary;
import io.tcpscope.analyzer.engine.ConnectionObserver;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.engine.RecordSink;
import io.tcpscope.analyzer.report.ladder.Ladder;
import io.tcpscope.analyzer.report.ladder.SegmentLog;
import io.tcpscope.analyzer.report.ladder.SvgLadder;
import io.tcpscope.analyzer.tcp.Cause;
import io.tcpscope.analyzer.tcp.ConnectionFlag;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.SegmentKind;
import io.tcpscope.analyzer.tcp.TcpState;
import io.tcpscope.analyzer.tcp.Transition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * {@code tcpscope report}: one self-contained HTML file (no network: a Content-Security-Policy
 * of {@code default-src 'none'}, the script and style inline). The verdict first ({@link
 * Verdict}), counts of final state pairs, the {@link StateChart}, the connection table (drawn by
 * the page's script from a compact, gzip-compressed list; paged, sortable, filterable), and the
 * ladders: inline SVG for diagnosed connections ({@link #MAX_INLINE_DIAGNOSED}) and a sample
 * (the first connection of each final state pair, {@link #MAX_SAMPLE}); any other connection's
 * ladder is drawn in the page from its compact segment list (the {@link SegmentLog} kept the
 * first {@link #HEAD} and last {@link #TAIL} segments of each connection).
 *
 * <p>Memory: one compact row per connection (its segment list as a short string), three numbers
 * per transition for the chart, and the inline ladders.
 */
public final class HtmlReport implements RecordSink {
    public static final int HEAD = 6;
    public static final int TAIL = 5;
    public static final int MAX_INLINE_DIAGNOSED = 100;
    public static final int MAX_SAMPLE = 24;

    /** The observers the report needs from the pipeline. */
    public static List<ConnectionObserver.Factory> observers() {
        return List.of(SegmentLog.factory(HEAD, TAIL, id -> true));
    }

    private record Row(long id, int clientIp, int clientPort, int serverIp, int serverPort, int clientState,
                       int serverState, int flags, int[] diagnoses, long startNanos, long endNanos, long packets,
                       long bytes, String segments, String clientTimeline, String serverTimeline) {
    }

    private final String source;
    private final Verdict verdict;
    private final StateChart chart = new StateChart();
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Integer> ips = new HashMap<>();
    private final List<String> ipList = new ArrayList<>();
    private final Map<Long, String> inline = new TreeMap<>();
    private final Map<Long, String> inlineWhy = new HashMap<>();
    private final Set<String> sampledPairs = new HashSet<>();
    private final Map<String, Long> pairs = new TreeMap<>();
    private int inlineDiagnosed;
    private int sampled;
    private long diagnosedConnections;

    public HtmlReport(String source, Verdict verdict) {
        this.source = source;
        this.verdict = verdict;
    }

    @Override
    public void record(ConnectionRecord r) {
        verdict.record(r);
        chart.record(r);
        String pair = r.client().state() + " / " + r.server().state();
        pairs.merge(pair, 1L, Long::sum);
        SegmentLog.Segments segs = r.observation(SegmentLog.Segments.class);
        if (segs == null) {
            segs = SegmentLog.Segments.of(List.of());
        }
        int[] diags = r.diagnoses().stream().mapToInt(d -> d.code().ordinal()).distinct().toArray();
        int flags = 0;
        for (ConnectionFlag f : r.flags()) {
            flags |= 1 << f.ordinal();
        }
        rows.add(new Row(r.id(), ip(r.client().ip()), r.client().port(), ip(r.server().ip()), r.server().port(),
                r.client().state().ordinal(), r.server().state().ordinal(), flags, diags, r.startNanos(), r.endNanos(),
                r.client().packets() + r.server().packets(), r.client().payloadBytes() + r.server().payloadBytes(),
                segments(r, segs), timeline(r, r.client(), segs), timeline(r, r.server(), segs)));
        if (!r.diagnoses().isEmpty()) {
            diagnosedConnections++;
            if (inlineDiagnosed < MAX_INLINE_DIAGNOSED) {
                inlineDiagnosed++;
                inline.put(r.id(), new SvgLadder(false).render(Ladder.of(r, segs, false)));
                inlineWhy.put(r.id(), r.diagnoses().get(0).code().name());
            }
        } else if (sampled < MAX_SAMPLE && sampledPairs.add(pair)) {
            sampled++;
            inline.put(r.id(), new SvgLadder(false).render(Ladder.of(r, segs, false)));
            inlineWhy.put(r.id(), "sample: " + pair);
        }
    }

    private int ip(String ip) {
        Integer i = ips.get(ip);
        if (i == null) {
            i = ipList.size();
            ips.put(ip, i);
            ipList.add(ip);
        }
        return i;
    }

    /**
     * The compact segment list: one token per segment, {@code dt,dirFlags,len,seq,ack,win,kind}
     * with empty fields where the value is the predicted one (see report.js {@code decodeSegments}).
     */
    static String segments(ConnectionRecord r, SegmentLog.Segments segs) {
        StringBuilder b = new StringBuilder(segs.size() * 10);
        long prevUs = 0;
        long[] nextSeq = {-2, -2};
        long[] lastAck = {-1, -1};
        long[] lastWin = {-1, -1};
        boolean scaled = r.client().windowScale() >= 0 && r.server().windowScale() >= 0;
        for (int i = 0; i < segs.size(); i++) {
            if (i == segs.foldAt() && segs.dropped().segments() > 0) {
                SegmentLog.Fold f = segs.dropped();
                b.append('~').append(f.segments()).append(',').append(f.dataSegments()).append(',').append(f.bytes())
                        .append(',').append(f.retransmissions()).append(',').append((f.lastNanos() - f.firstNanos()) / 1000)
                        .append(' ');
                nextSeq[0] = nextSeq[1] = -2;
            }
            SegmentLog.Segment s = segs.get(i);
            int d = s.sender() == Endpoint.Role.CLIENT ? 0 : 1;
            long us = (s.nanos() - r.startNanos()) / 1000;
            long window = scaled && !s.has(TcpSegment.SYN) ? (long) s.window() << r.side(s.sender()).windowScale() : s.window();
            StringBuilder t = new StringBuilder(24);
            t.append(Long.toString(Math.max(0, us - prevUs), 36)).append(',').append(d == 0 ? 'c' : 's')
                    .append(Integer.toHexString(s.flags())).append(',');
            if (s.length() > 0) {
                t.append(s.length());
            }
            t.append(',');
            if (s.relSeq() != nextSeq[d]) {
                t.append(s.relSeq());
            }
            t.append(',');
            if (s.relAck() != lastAck[d]) {
                t.append(s.relAck());
            }
            t.append(',');
            if (window != lastWin[d]) {
                t.append(window);
            }
            t.append(',');
            SegmentKind expected = s.has(TcpSegment.RST) ? SegmentKind.RESET
                    : s.length() > 0 || s.has(TcpSegment.SYN) || s.has(TcpSegment.FIN) ? SegmentKind.IN_ORDER : SegmentKind.EMPTY;
            if (s.kind() != expected) {
                t.append(KIND_LETTERS.charAt(s.kind().ordinal()));
            }
            if (!s.delivered()) {
                t.append('!');
            }
            int end = t.length();
            while (end > 0 && t.charAt(end - 1) == ',') {
                end--;
            }
            t.setLength(end);
            b.append(t).append(' ');
            prevUs = us;
            nextSeq[d] = s.relSeq() < 0 ? -2 : s.relSeq() + s.length() + (s.has(TcpSegment.SYN) ? 1 : 0)
                    + (s.has(TcpSegment.FIN) ? 1 : 0);
            lastAck[d] = s.relAck();
            lastWin[d] = window;
        }
        if (segs.foldAt() >= segs.size() && segs.dropped().segments() > 0) {
            SegmentLog.Fold f = segs.dropped();
            b.append('~').append(f.segments()).append(',').append(f.dataSegments()).append(',').append(f.bytes())
                    .append(',').append(f.retransmissions()).append(',').append((f.lastNanos() - f.firstNanos()) / 1000);
        }
        return b.toString().trim();
    }

    /** Letters of {@link SegmentKind}, by ordinal (report.js reads the same string). */
    static final String KIND_LETTERS = "DRKZITOVE";

    /**
     * One token per transition: {@code time,state,basis[,implied]}; the time is {@code #i} when it
     * is that of the i-th kept segment (most are), else µs since the connection's start in base 36.
     */
    static String timeline(ConnectionRecord r, ConnectionRecord.Side side, SegmentLog.Segments segs) {
        StringBuilder b = new StringBuilder();
        int from = 0;
        for (Transition t : side.timeline()) {
            int at = -1;
            for (int i = from; i < segs.size(); i++) {
                long ns = segs.get(i).nanos();
                if (ns == t.timestampNanos()) {
                    at = i;
                    break;
                }
                if (ns > t.timestampNanos()) {
                    break;
                }
            }
            if (at >= 0) {
                b.append('#').append(at);
                from = at;
            } else {
                b.append(Long.toString(Math.max(0, (t.timestampNanos() - r.startNanos()) / 1000), 36));
            }
            b.append(',').append(t.state().ordinal()).append(',').append(t.basis().ordinal());
            Cause.Detail d = t.cause().detail();
            if (d == Cause.Detail.FIN_IMPLIED_BY_ACK || d == Cause.Detail.FIN_IMPLIED_BY_SEQ) {
                b.append(",F");
            } else if (d == Cause.Detail.SYN_ACK_IMPLIED) {
                b.append(",A");
            } else if (d == Cause.Detail.SYN_IMPLIED) {
                b.append(",S");
            }
            b.append(' ');
        }
        return b.toString().trim();
    }

    /** The whole page. */
    public String render(AnalysisSummary summary) {
        rows.sort(Comparator.comparingLong(Row::id));
        long start = summary.firstNanos() < 0 ? 0 : summary.firstNanos();
        long end = Math.max(start, summary.lastNanos());
        StringBuilder h = new StringBuilder(1 << 20);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline';"
                        + " style-src 'unsafe-inline'; img-src data:\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>tcpscope report: ").append(esc(source)).append("</title>\n<style>\n")
                .append(resource("report.css")).append("</style>\n</head>\n<body data-ready=\"0\">\n");
        h.append("<header><h1>tcpscope report</h1><p class=\"source\">").append(esc(source)).append(": ")
                .append(rows.size()).append(" connections, ").append(summary.frames()).append(" frames, ")
                .append(String.format(java.util.Locale.ROOT, "%.3f", (end - start) / 1e9)).append(" s of capture from ")
                .append(java.time.Instant.ofEpochSecond(0, start)).append("</p></header>\n");
        // Verdict first.
        h.append("<section id=\"verdict\"><h2>Verdict</h2>\n");
        List<Verdict.Finding> findings = verdict.findings();
        if (findings.isEmpty()) {
            h.append("<p class=\"ok\">Nothing stuck, no floods, resets or TIME_WAIT pile-ups.</p>\n");
        } else {
            h.append("<ul class=\"findings\">\n");
            for (Verdict.Finding f : findings) {
                h.append("<li class=\"finding ").append(esc(f.kind())).append("\" data-kind=\"").append(esc(f.kind()))
                        .append("\" data-culprit=\"").append(esc(f.culprit())).append("\">").append(esc(f.text()))
                        .append(" <a href=\"#ladder=").append(f.example()).append("\" class=\"example\">connection ")
                        .append(f.example()).append("</a></li>\n");
            }
            h.append("</ul>\n");
        }
        h.append("<p>").append(diagnosedConnections).append(" diagnosed connections.</p>\n");
        h.append("<table id=\"pairs\"><thead><tr><th>client final</th><th>server final</th><th>connections</th></tr></thead><tbody>\n");
        pairs.entrySet().stream().sorted(Comparator.comparingLong((Map.Entry<String, Long> e) -> -e.getValue())
                .thenComparing(Map.Entry::getKey)).forEach(e -> {
                    String[] p = e.getKey().split(" / ");
                    h.append("<tr><td>").append(p[0]).append("</td><td>").append(p[1]).append("</td><td class=\"num\">")
                            .append(e.getValue()).append("</td></tr>\n");
                });
        h.append("</tbody></table>\n</section>\n");
        h.append("<section id=\"chart\"><h2>Endpoints per state over capture time</h2>\n").append(chart.svg(start, end))
                .append("</section>\n");
        h.append("<section id=\"connections\"><h2>Connections</h2>\n<div id=\"filters\">")
                .append("<label>state <select id=\"f-state\"><option value=\"\">any</option></select></label> ")
                .append("<label>diagnosis <select id=\"f-diag\"><option value=\"\">any</option>"
                        + "<option value=\"none\">none</option><option value=\"some\">some</option></select></label> ")
                .append("<label>flag <select id=\"f-flag\"><option value=\"\">any</option></select></label> ")
                .append("<label>endpoint <input id=\"f-endpoint\" type=\"search\" placeholder=\"10.0.0.1:80\"></label> ")
                .append("<span id=\"count\"></span> <button id=\"prev\" type=\"button\">&larr;</button> <span id=\"page\">"
                        + "</span> <button id=\"next\" type=\"button\">&rarr;</button></div>\n")
                .append("<table id=\"conns\"><thead><tr>")
                .append("<th data-key=\"id\">id</th><th data-key=\"client\">client</th><th data-key=\"server\">server</th>"
                        + "<th data-key=\"cstate\">client state</th><th data-key=\"sstate\">server state</th>"
                        + "<th data-key=\"flags\">flags</th><th data-key=\"diag\">diagnoses</th>"
                        + "<th data-key=\"start\">start</th><th data-key=\"dur\">duration</th>"
                        + "<th data-key=\"packets\">packets</th><th data-key=\"bytes\">bytes</th>")
                .append("</tr></thead><tbody></tbody></table>\n")
                .append("<div id=\"ladder-view\"></div>\n</section>\n");
        h.append("<section id=\"ladders\"><h2>Ladders: diagnosed connections and a sample</h2>\n");
        if (diagnosedConnections > inlineDiagnosed) {
            h.append("<p>").append(inlineDiagnosed).append(" of ").append(diagnosedConnections)
                    .append(" diagnosed connections are drawn here; click a connection's id in the table for any other.</p>\n");
        }
        for (Map.Entry<Long, String> e : inline.entrySet()) {
            h.append("<figure class=\"inline-ladder\" data-conn-id=\"").append(e.getKey()).append("\"><figcaption>connection ")
                    .append(e.getKey()).append(" (").append(esc(inlineWhy.get(e.getKey()))).append(")</figcaption>\n")
                    .append(e.getValue()).append("</figure>\n");
        }
        h.append("</section>\n");
        h.append("<script type=\"application/octet-stream\" id=\"data\" data-encoding=\"gzip+base64\">")
                .append(data(start)).append("</script>\n<script>\n").append(resource("report.js")).append("</script>\n");
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    /** The page's data: JSON, gzip-compressed, base64. */
    private String data(long start) {
        StringBuilder j = new StringBuilder(rows.size() * 120 + 4096);
        j.append("{\"states\":").append(names(TcpState.values())).append(",\"bases\":")
                .append(names(Transition.Basis.values())).append(",\"flags\":").append(names(ConnectionFlag.values()))
                .append(",\"diagnoses\":").append(names(DiagnosisCode.values())).append(",\"kinds\":\"")
                .append(KIND_LETTERS).append("\",\"ips\":[");
        for (int i = 0; i < ipList.size(); i++) {
            j.append(i == 0 ? "" : ",").append('"').append(ipList.get(i)).append('"');
        }
        j.append("],\"inline\":[");
        boolean first = true;
        for (Long id : inline.keySet()) {
            j.append(first ? "" : ",").append(id);
            first = false;
        }
        j.append("],\"conns\":[\n");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            j.append(i == 0 ? "" : ",\n").append('[').append(r.id()).append(',').append(r.clientIp()).append(',')
                    .append(r.clientPort()).append(',').append(r.serverIp()).append(',').append(r.serverPort()).append(',')
                    .append(r.clientState()).append(',').append(r.serverState()).append(',').append(r.flags()).append(",[");
            for (int k = 0; k < r.diagnoses().length; k++) {
                j.append(k == 0 ? "" : ",").append(r.diagnoses()[k]);
            }
            j.append("],").append((r.startNanos() - start) / 1000).append(',').append((r.endNanos() - r.startNanos()) / 1000)
                    .append(',').append(r.packets()).append(',').append(r.bytes()).append(",\"").append(r.segments())
                    .append("\",\"").append(r.clientTimeline()).append("\",\"").append(r.serverTimeline()).append("\"]");
        }
        j.append("]}");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(j.length() / 4);
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 1 << 16) {
            {
                def.setLevel(java.util.zip.Deflater.BEST_COMPRESSION);
            }
        }) {
            gz.write(j.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static String names(Enum<?>[] values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            b.append(i == 0 ? "" : ",").append('"').append(values[i].name()).append('"');
        }
        return b.append(']').toString();
    }

    static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String esc(String s) {
        return SvgLadder.esc(s);
    }
}
