package io.tcpscope.analyzer.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.testing.Json;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTML report as a file: self-contained (nothing to fetch), its data one row per connection
 * in id order with the records' states, ladders inlined for every diagnosed connection, the
 * verdict naming the stuck half-close's culprit.
 */
class HtmlReportTest {

    static String render(ReportRun run, String name) {
        HtmlReport report = new HtmlReport(name, new RecordVerdict());
        run.records().forEach(report::record);
        return report.render(run.summary());
    }

    static Map<String, Object> data(String html) throws Exception {
        Matcher m = Pattern.compile("<script type=\"application/octet-stream\" id=\"data\"[^>]*>([^<]*)</script>")
                .matcher(html);
        assertTrue(m.find(), "the data block");
        byte[] gz = Base64.getDecoder().decode(m.group(1).trim());
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return Json.object(Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stuck-fin-wait-2", "stuck-close-wait-pileup", "syn-flood", "many-connections", "ipv6"})
    void selfContainedOneRowPerConnection(String fixture) throws Exception {
        ReportRun run = ReportRun.of(fixture);
        String html = render(run, fixture);
        assertTrue(html.contains("Content-Security-Policy\" content=\"default-src 'none';"), "nothing may be fetched");
        String withoutSvgNamespace = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")
                .replace("'http://www.w3.org/2000/svg'", "");
        assertFalse(withoutSvgNamespace.contains("http://") || withoutSvgNamespace.contains("https://"),
                "no external address");
        assertFalse(Pattern.compile("<(script|img|link|iframe)[^>]* (src|href)=").matcher(html).find(),
                "no external script, image or style");
        Map<String, Object> d = data(html);
        List<Object> conns = Json.array(d.get("conns"));
        assertEquals(run.records().size(), conns.size());
        List<Object> states = Json.array(d.get("states"));
        for (int i = 0; i < conns.size(); i++) {
            List<Object> row = Json.array(conns.get(i));
            ConnectionRecord r = run.records().get(i);
            assertEquals(r.id(), ((Number) row.get(0)).longValue());
            assertEquals(r.client().state().name(), states.get(((Number) row.get(5)).intValue()));
            assertEquals(r.server().state().name(), states.get(((Number) row.get(6)).intValue()));
            assertEquals(r.client().port(), ((Number) row.get(2)).intValue());
            assertEquals(r.diagnoses().size() > 0, !Json.array(row.get(8)).isEmpty());
        }
        List<Long> inline = new ArrayList<>();
        Matcher m = Pattern.compile("<figure class=\"inline-ladder\" data-conn-id=\"(\\d+)\"").matcher(html);
        while (m.find()) {
            inline.add(Long.parseLong(m.group(1)));
        }
        for (ConnectionRecord r : run.records()) {
            if (!r.diagnoses().isEmpty()) {
                assertTrue(inline.contains(r.id()), "diagnosed connection " + r.id() + " inlined");
            }
        }
        assertEquals(inline.size(), Json.array(d.get("inline")).size());
        assertTrue(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"state-chart\""));
    }

    @Test
    void theVerdictNamesTheCloseWaitSide() throws Exception {
        String html = render(ReportRun.of("stuck-fin-wait-2"), "stuck-fin-wait-2");
        int verdict = html.indexOf("<section id=\"verdict\">");
        int chart = html.indexOf("<section id=\"chart\">");
        assertTrue(verdict > 0 && verdict < chart, "verdict first");
        assertTrue(html.substring(verdict, chart).contains("data-kind=\"stuck_half_close\" data-culprit=\"10.77.0.2:8080\""),
                html.substring(verdict, chart));
    }

    @Test
    void aSynFloodNamesItsServer() throws Exception {
        ReportRun run = ReportRun.of("syn-flood");
        RecordVerdict v = new RecordVerdict();
        run.records().forEach(v::record);
        List<Verdict.Finding> floods = v.findings().stream().filter(f -> f.kind().equals("flood")).toList();
        assertFalse(floods.isEmpty(), v.findings().toString());
        String server = run.records().get(0).server().endpoint();
        assertEquals(server, floods.get(0).culprit());
    }
}
