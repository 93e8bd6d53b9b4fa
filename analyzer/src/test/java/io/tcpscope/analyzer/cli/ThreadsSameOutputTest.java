package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code analyze --threads 1} and {@code --threads 2} give the same output, stderr and exit
 * code: over every kernel-truth fixture (JSON Lines and text) and every file of the capture
 * corpus (damaged and odd files included, so errors and damage reports are covered too).
 */
class ThreadsSameOutputTest {
    private static void same(Path file, String... format) {
        List<String> one = new ArrayList<>(List.of("analyze", "--threads", "1"));
        List<String> two = new ArrayList<>(List.of("analyze", "--threads", "2"));
        one.addAll(List.of(format));
        two.addAll(List.of(format));
        one.add(file.toString());
        two.add(file.toString());
        CliRun a = CliRun.of(one.toArray(String[]::new));
        CliRun b = CliRun.of(two.toArray(String[]::new));
        assertEquals(a.exit(), b.exit(), file + ": exit");
        assertEquals(a.out(), b.out(), file + ": output");
        assertEquals(a.err(), b.err(), file + ": stderr");
    }

    @Test
    void everyFixture() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(CliRun.fixtures())) {
            files = s.map(d -> d.resolve("capture.pcap")).filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        assertTrue(files.size() >= 20, "fixtures not found at " + CliRun.fixtures());
        for (Path f : files) {
            same(f, "--format", "jsonl");
            same(f, "--format", "text");
        }
    }

    @Test
    void everyCorpusFile() throws IOException {
        List<Path> files = CorpusRobustnessTest.files(CorpusRobustnessTest.captureCorpus(), 3);
        assertTrue(files.size() >= 10, "corpus not found");
        for (Path f : files) {
            same(f, "--format", "jsonl");
        }
    }

    @Test
    void badThreadsValueIsAUsageError() {
        CliRun r = CliRun.of("analyze", "--threads", "3", CliRun.fixture("capture-ends-after-syn").toString());
        assertEquals(ExitCode.USAGE, r.exit());
        assertTrue(r.err().contains("--threads must be 1 or 2"), r.err());
    }
}
