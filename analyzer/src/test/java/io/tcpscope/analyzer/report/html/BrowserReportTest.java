package io.tcpscope.analyzer.report.html;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.cli.CliRun;
import io.tcpscope.analyzer.testing.Json;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Opens {@code tcpscope report}'s file in headless Chromium (Debian's {@code chromium}; skipped
 * with a message when it is not installed; {@code scripts/test} installs it) with an empty
 * profile, and checks the DOM after the page's script ran ({@code --dump-dom}; the page sets
 * {@code data-ready="1"} on its body when done): every connection a table row with its
 * {@code data-conn-id}, the chart's bands, every inlined ladder, a ladder the page drew itself
 * from the compact segment list with one arrow per delivered segment, no errors (the page's own
 * record of errors, CSP violations included, and Chromium's log of console messages), no network
 * request from the page (Chromium's net log: no request made for the file:// page but file: ones).
 * Chromium's own background requests go to a dead proxy on loopback. Then the table filtered by
 * state and sorted by id descending (preset in the address) shows exactly those rows, in that
 * order. Saves a screenshot as
 * {@code target/browser/report.png}.
 */
class BrowserReportTest {
    static final String[] FIXTURES = {"stuck-fin-wait-2", "simultaneous-close", "loss-syn-ack", "syn-flood",
        "many-connections", "stuck-several-services", "rst-by-server"};

    static String chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            for (String name : new String[] {"chromium", "chromium-browser"}) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        return null;
    }

    /** Runs Chromium on {@code url} with an empty profile; returns stdout (stderr goes to {@code log}). */
    static String run(String chromium, Path work, String url, List<String> extra, Path log) throws Exception {
        Path profile = Files.createTempDirectory(work, "profile");
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--user-data-dir=" + profile, "--no-first-run",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps",
                "--no-pings", "--disable-domain-reliability", "--disable-breakpad",
                "--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
                "--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000"));
        cmd.addAll(extra);
        cmd.add(url);
        Path out = work.resolve("stdout-" + System.nanoTime());
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish: " + cmd);
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    @Test
    void theReportOpensInChromium() throws Exception {
        String chromium = chromium();
        Assumptions.assumeTrue(chromium != null,
                "chromium not installed (apt-get install chromium, or run scripts/test): browser test skipped");
        Path work = Path.of("target", "browser").toAbsolutePath();
        Files.createDirectories(work);
        Path html = work.resolve("report.html");
        List<String> args = new ArrayList<>(List.of("report"));
        List<String> analyze = new ArrayList<>(List.of("analyze", "--format", "jsonl"));
        for (String f : FIXTURES) {
            args.add(ReportRun.capture(f).toString());
            analyze.add(ReportRun.capture(f).toString());
        }
        args.addAll(List.of("-o", html.toString()));
        CliRun report = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, report.exit(), report.err());
        List<Long> ids = new ArrayList<>();
        for (String line : CliRun.of(analyze.toArray(String[]::new)).outLines()) {
            Map<String, Object> o = Json.object(Json.parse(line));
            if ("connection".equals(o.get("type"))) {
                ids.add(((Number) o.get("id")).longValue());
            }
        }
        assertTrue(ids.size() > 100, "enough connections for several pages: " + ids.size());

        Map<String, Object> data = HtmlReportTest.data(Files.readString(html, StandardCharsets.UTF_8));
        List<Object> inline = Json.array(data.get("inline"));
        // A connection the page must draw itself, with a few segments, all delivered.
        long drawn = -1;
        int delivered = 0;
        for (Object o : Json.array(data.get("conns"))) {
            List<Object> row = Json.array(o);
            long id = ((Number) row.get(0)).longValue();
            String segs = (String) row.get(13);
            String timelines = row.get(14) + " " + row.get(15);
            if (!inline.contains(id) && !segs.contains("!") && segs.split(" ").length >= 4 && !timelines.matches(".*,[FAS]\\b.*")) {
                drawn = id;
                delivered = (int) Arrays.stream(segs.split(" ")).filter(t -> !t.startsWith("~")).count();
                break;
            }
        }
        assertTrue(drawn >= 0, "a connection to draw in the page");

        String url = html.toUri() + "#rows=all&ladder=" + drawn;
        Path log = work.resolve("chromium.log");
        Path netLog = work.resolve("netlog.json");
        String dom = run(chromium, work, url, List.of("--log-net-log=" + netLog, "--dump-dom"), log);
        assertTrue(dom.contains("data-ready=\"1\""), "the page's script finished:\n" + tail(dom));
        assertTrue(dom.contains("data-errors=\"[]\""), "no errors in the page: " + attr(dom, "data-errors"));
        assertEquals(Integer.toString(ids.size()), attr(dom, "data-connections"));
        List<Long> rows = new ArrayList<>();
        Matcher m = Pattern.compile("<tr data-conn-id=\"(\\d+)\"").matcher(dom);
        while (m.find()) {
            rows.add(Long.parseLong(m.group(1)));
        }
        assertEquals(ids, rows, "every connection a row, in id order");
        assertTrue(count(dom, "<path class=\"band\"") >= 2, "the chart's bands");
        assertEquals(inline.size(), count(dom, "<figure class=\"inline-ladder\""));
        assertTrue(count(dom, "class=\"ladder\" data-conn-id=") >= inline.size() + 1, "inline ladders and the drawn one");
        Matcher js = Pattern.compile("<svg class=\"ladder\" data-conn-id=\"" + drawn + "\" data-drawn=\"js\"[^>]*>(.*?)</svg>",
                Pattern.DOTALL).matcher(dom);
        assertTrue(js.find(), "the page drew connection " + drawn + "'s ladder");
        assertEquals(delivered, count(js.group(1), "class=\"arrow\""), "one arrow per segment");

        List<String> console = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains(":CONSOLE")).toList();
        assertEquals(List.of(), console, "no console messages");
        List<String> requests = new ArrayList<>();
        Pattern url2 = Pattern.compile("\"url\":\"([^\"]*)\"");
        for (String line : Files.readAllLines(netLog, StandardCharsets.UTF_8)) {
            if (line.contains("\"network_isolation_key\":\"file://")) {
                Matcher u = url2.matcher(line);
                while (u.find()) {
                    if (!u.group(1).startsWith("file:")) {
                        requests.add(u.group(1));
                    }
                }
            }
        }
        assertTrue(Files.size(netLog) > 0, "the net log was written");
        assertEquals(List.of(), requests, "no network requests from the page");

        // Filtering and sorting in the page: either side in CLOSE_WAIT, newest first.
        List<Long> closeWait = new ArrayList<>();
        List<Object> states = Json.array(data.get("states"));
        for (Object o : Json.array(data.get("conns"))) {
            List<Object> row = Json.array(o);
            if (states.get(((Number) row.get(5)).intValue()).equals("CLOSE_WAIT")
                    || states.get(((Number) row.get(6)).intValue()).equals("CLOSE_WAIT")) {
                closeWait.add(0, ((Number) row.get(0)).longValue());
            }
        }
        assertTrue(closeWait.size() >= 2, "the fixtures have CLOSE_WAIT endpoints");
        String filtered = run(chromium, work, html.toUri() + "#rows=all&state=CLOSE_WAIT&sort=id&dir=desc",
                List.of("--dump-dom"), work.resolve("chromium-filter.log"));
        List<Long> shown = new ArrayList<>();
        Matcher f = Pattern.compile("<tr data-conn-id=\"(\\d+)\"").matcher(filtered);
        while (f.find()) {
            shown.add(Long.parseLong(f.group(1)));
        }
        assertEquals(closeWait, shown, "filtered by state, sorted by id descending");

        Path png = work.resolve("report.png");
        Files.deleteIfExists(png);
        run(chromium, work, html.toUri() + "#ladder=" + drawn, List.of("--window-size=1280,1600",
                "--hide-scrollbars", "--screenshot=" + png), work.resolve("chromium-screenshot.log"));
        byte[] head = Arrays.copyOf(Files.readAllBytes(png), 8);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head, "a PNG screenshot");
    }

    static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }

    static String attr(String dom, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(dom);
        return m.find() ? m.group(1) : null;
    }

    private static String tail(String s) {
        return s.length() < 2000 ? s : s.substring(s.length() - 2000);
    }
}
