package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tcpscope ladder} and {@code tcpscope report} on the command line: outputs, options and errors a user can make. */
class PicturesCliTest {
    static String capture(String fixture) {
        return CliRun.fixture(fixture).toString();
    }

    @Test
    void ladderAsciiSvgFullAbsolute(@TempDir Path dir) throws Exception {
        CliRun ascii = CliRun.of("ladder", capture("stuck-fin-wait-2"), "--conn", "0", "--ascii");
        assertEquals(0, ascii.exit(), ascii.err());
        assertTrue(ascii.out().chars().allMatch(c -> c < 128));
        assertTrue(ascii.out().contains("FIN_WAIT_2 (assumed) |<"), ascii.out());
        CliRun absolute = CliRun.of("ladder", capture("stuck-fin-wait-2"), "--conn", "0", "--ascii", "--absolute");
        assertTrue(absolute.out().contains("20:45:13.247201"), absolute.out());
        Path svg = dir.resolve("l.svg");
        CliRun s = CliRun.of("ladder", capture("simultaneous-close"), "--conn", "0", "--format", "svg", "-o", svg.toString());
        assertEquals(0, s.exit(), s.err());
        assertEquals("", s.out());
        String text = Files.readString(svg, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"") && text.trim().endsWith("</svg>"));
        CliRun folded = CliRun.of("ladder", capture("bulk-random-loss"), "--conn", "0", "--ascii");
        CliRun full = CliRun.of("ladder", capture("bulk-random-loss"), "--conn", "0", "--ascii", "--full");
        assertTrue(folded.out().contains("... "), folded.out());
        assertTrue(full.outLines().size() > folded.outLines().size() + 100);
    }

    @Test
    void ladderErrors() {
        CliRun missing = CliRun.of("ladder", capture("stuck-fin-wait-2"));
        assertEquals(ExitCode.USAGE, missing.exit());
        assertTrue(missing.err().startsWith("tcpscope: ladder: missing --conn ID"), missing.err());
        CliRun format = CliRun.of("ladder", capture("stuck-fin-wait-2"), "--conn", "0", "--format", "png");
        assertEquals(ExitCode.USAGE, format.exit());
        assertTrue(format.err().contains("invalid --format 'png' (use text or svg)"), format.err());
        CliRun none = CliRun.of("ladder", capture("stuck-fin-wait-2"), "--conn", "7");
        assertEquals(ExitCode.USAGE, none.exit());
        assertEquals("tcpscope: no connection 7 in " + capture("stuck-fin-wait-2") + " (1 connections, ids 0-0)\n", none.err());
        CliRun file = CliRun.of("ladder", "/nonexistent.pcap", "--conn", "0");
        assertEquals(3, file.exit(), "exit code 3: file not found");
        assertEquals(1, file.errLines().size(), file.err());
    }

    @Test
    void reportWritesOneFile(@TempDir Path dir) throws Exception {
        Path html = dir.resolve("r.html");
        CliRun r = CliRun.of("report", capture("stuck-fin-wait-2"), capture("refused"), "-o", html.toString());
        assertEquals(0, r.exit(), r.err());
        String text = Files.readString(html, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("<!DOCTYPE html>") && text.endsWith("</html>\n"));
        CliRun noOut = CliRun.of("report", capture("stuck-fin-wait-2"));
        assertEquals(ExitCode.USAGE, noOut.exit());
        assertTrue(noOut.err().startsWith("tcpscope: report: missing -o FILE.html"), noOut.err());
        CliRun bad = CliRun.of("report", capture("stuck-fin-wait-2"), "-o", dir.resolve("no/such/dir/r.html").toString());
        assertEquals(ExitCode.OUTPUT, bad.exit());
        assertEquals(1, bad.errLines().size(), bad.err());
    }
}
