package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.testing.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every capture we have, good or broken, through {@code analyze --format jsonl}: never an
 * internal error (70), never a stack trace, and a summary line whenever the analysis ran
 * (exit 0, or 1 for a damaged capture).
 */
class CorpusRobustnessTest {
    /** Exit codes analyze may give on a file: ok, damaged, not found, bad format, I/O, no libpcap, bad filter, pcap. */
    static final Set<Integer> DOCUMENTED = Set.of(0, 1, 3, 4, 5, 6, 9, 10);

    static Path captureCorpus() {
        return CliRun.fixtures().toAbsolutePath().normalize().getParent().resolve("capture/src/test/resources/corpus");
    }

    static List<Path> files(Path dir, int depth) throws IOException {
        try (Stream<Path> s = Files.walk(dir, depth)) {
            return s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
    }

    /** The checks for one file; returns a problem description, or null. */
    static String problem(Path file, CliRun r) {
        if (r.exit() == ExitCode.INTERNAL) {
            return "exit 70: " + r.err().strip();
        }
        if (r.leaksStackTrace()) {
            return "stack trace on stderr: " + r.err();
        }
        if (!DOCUMENTED.contains(r.exit())) {
            return "undocumented exit " + r.exit() + ": " + r.err().strip();
        }
        if (r.exit() == 0 || r.exit() == 1) {
            List<String> lines = r.outLines();
            if (lines.isEmpty()) {
                return "exit " + r.exit() + " without output";
            }
            Map<String, Object> last;
            try {
                last = Json.object(Json.parse(lines.get(lines.size() - 1)));
            } catch (RuntimeException e) {
                return "last line is not JSON: " + e.getMessage();
            }
            if (!"summary".equals(last.get("type"))) {
                return "last line is not the summary";
            }
            if ((r.exit() == 1) != (last.get("damage") != null)) {
                return "exit " + r.exit() + " but damage " + last.get("damage");
            }
            if (r.exit() == 1 && r.errLines().size() != 1) {
                return "damaged capture should give one warning line: " + r.err();
            }
        } else if (r.errLines().size() != 1 || !r.err().startsWith("tcpscope: ")) {
            return "exit " + r.exit() + " should give one error line: " + r.err();
        }
        return null;
    }

    static Stream<DynamicTest> checks(List<Path> files) {
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            CliRun r = CliRun.of("analyze", "--format", "jsonl", f.toString());
            String p = problem(f, r);
            assertEquals(null, p, () -> f + ": " + p);
        }));
    }

    @TestFactory
    Stream<DynamicTest> captureModuleCorpus() throws IOException {
        List<Path> files = files(captureCorpus(), 1);
        assertTrue(files.size() >= 20, "corpus not found at " + captureCorpus());
        return checks(files);
    }

    @TestFactory
    Stream<DynamicTest> fixtureCaptures() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(CliRun.fixtures())) {
            files = s.map(d -> d.resolve("capture.pcap")).filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        assertTrue(files.size() >= 20, "fixtures not found at " + CliRun.fixtures());
        return checks(files);
    }

    /** The shared third-party corpus, when present on this machine: every file in its source folders. */
    @Test
    void sharedCorpus() throws IOException {
        Path root = CliRun.sharedCorpus();
        Assumptions.assumeTrue(root != null, "no shared corpus (../shared/corpus beside the repository, or /work/shared/corpus)");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.filter(Files::isDirectory).sorted().collect(Collectors.toList())) {
                files.addAll(files(d, 1));
            }
        }
        Map<Integer, Integer> byExit = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Path f : files) {
            CliRun r = CliRun.of("analyze", "--format", "jsonl", f.toString());
            byExit.merge(r.exit(), 1, Integer::sum);
            String p = problem(f, r);
            if (p != null) {
                problems.add(root.relativize(f) + ": " + p);
            }
        }
        System.out.println("shared corpus: " + files.size() + " files; by exit code " + byExit + "; problems "
                + problems.size());
        problems.forEach(p -> System.out.println("  " + p));
        assertFalse(files.isEmpty());
        assertEquals(List.of(), problems);
    }
}
