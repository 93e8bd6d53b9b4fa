package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Offline analysis needs no privilege: {@code analyze} runs in a child JVM as nobody with
 * every capability dropped (setpriv), on a fixture, with the Java reader and with a BPF
 * filter (libpcap offline), and prints exactly what the same command prints in this (root)
 * JVM. Needs root (to drop privileges) and setpriv; skipped otherwise.
 */
class OfflineWithoutRootTest {
    private static final String SETPRIV = "/usr/bin/setpriv";
    private static final List<String> AS_NOBODY = List.of(SETPRIV, "--reuid=65534", "--regid=65534",
        "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs");

    private static Path dir;
    private static List<String> classPath;
    private static Path capture;

    @BeforeAll
    static void copyClassPathAndCapture() throws IOException {
        if (!isRoot() || !Files.isExecutable(Path.of(SETPRIV))) {
            return;
        }
        dir = Files.createTempDirectory("tcpscope-offline");
        // The class path may sit under /root, which nobody cannot read: copy it.
        classPath = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (Files.exists(source)) {
                Path target = dir.resolve((i++) + "-" + source.getFileName());
                copy(source, target);
                classPath.add(target.toString());
            }
        }
        capture = dir.resolve("close-by-client.pcap");
        Files.copy(CliRun.fixture("close-by-client"), capture);
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                p.toFile().setReadable(true, false);
                p.toFile().setExecutable(Files.isDirectory(p), false);
            }
        }
    }

    @AfterAll
    static void delete() throws IOException {
        if (dir != null) {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void theChildIsReallyUnprivileged() throws Exception {
        assumeTrue(dir != null, "needs root and setpriv");
        Run id = asNobody(List.of("/bin/sh", "-c", "id -u; grep -E '^Cap(Eff|Prm):' /proc/self/status"));
        assertEquals(0, id.exit, id.output);
        assertEquals("65534\nCapPrm:\t0000000000000000\nCapEff:\t0000000000000000", id.output.strip());
    }

    @Test
    void analyzeAsNobodyPrintsWhatRootPrints() throws Exception {
        assumeTrue(dir != null, "needs root and setpriv");
        for (List<String> args : List.of(
                List.of("analyze", capture.toString()),
                List.of("analyze", "--format", "jsonl", capture.toString()),
                List.of("analyze", "--filter", "tcp port 80 or tcp port 8080 or tcp", "--format", "jsonl",
                    capture.toString()))) {
            CliRun root = CliRun.of(args.toArray(new String[0]));
            assertEquals(0, root.exit(), root::toString);
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-cp");
            command.add(String.join(File.pathSeparator, classPath));
            command.add(Main.class.getName());
            command.addAll(args);
            Run nobody = asNobody(command);
            assertEquals(0, nobody.exit, args + " as nobody: " + nobody.output);
            assertEquals(root.out(), nobody.output, args + " as nobody");
            assertTrue(root.out().contains("close-by-client.pcap"), root::toString);
        }
    }

    private record Run(int exit, String output) {
    }

    private static Run asNobody(List<String> command) throws Exception {
        List<String> all = new ArrayList<>(AS_NOBODY);
        all.addAll(command);
        Process process = new ProcessBuilder(all).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child did not finish");
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static boolean isRoot() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return line.split("\\s+")[2].equals("0");
            }
        }
        return false;
    }

    private static void copy(Path source, Path target) throws IOException {
        if (Files.isDirectory(source)) {
            try (Stream<Path> all = Files.walk(source)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    Path to = target.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } else {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
