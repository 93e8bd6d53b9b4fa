package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./tcpscope} launcher in a scratch tree, with fake {@code mvn}, {@code java},
 * {@code ldconfig} and {@code apt-get} on the PATH that log their calls: it rebuilds when the
 * sources' content changes, not when only their times do, and finds libpcap in a long
 * {@code ldconfig -p} without the SIGPIPE race of {@code ldconfig -p | grep -q}.
 */
class LauncherTest {
    @TempDir
    Path tmp;

    private Path tree;
    private Path log;
    private Path bin;

    private void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/bash\n" + body + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void setUp() throws IOException {
        Path launcher = CliRun.fixtures().toAbsolutePath().normalize().getParent().resolve("tcpscope");
        assumeTrue(Files.isRegularFile(launcher), "no launcher at " + launcher);
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "no bash");
        tree = tmp.resolve("tree");
        Files.createDirectories(tree.resolve("analyzer/src/main/java"));
        Files.copy(launcher, tree.resolve("tcpscope"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.writeString(tree.resolve("pom.xml"), "<project/>");
        Files.writeString(tree.resolve("analyzer/pom.xml"), "<project/>");
        Files.writeString(tree.resolve("analyzer/src/main/java/A.java"), "class A {}");
        log = tmp.resolve("calls.log");
        bin = tmp.resolve("bin");
        Files.createDirectories(bin);
        script(bin.resolve("mvn"), "mkdir -p analyzer/target && touch analyzer/target/tcpscope.jar && echo mvn >> " + log);
        script(bin.resolve("java"), "echo java >> " + log);
        script(bin.resolve("apt-get"), "echo apt-get >> " + log);
        // libpcap first, then a long tail: `grep -q` exits at the first line and ldconfig gets SIGPIPE
        script(bin.resolve("ldconfig"), "echo '\tlibpcap.so.0.8 (libc6,x86-64) => /lib/libpcap.so.0.8'\n"
                + "for i in $(seq 1 20000); do echo \"\tlibfoo$i.so.1 (libc6,x86-64) => /lib/libfoo$i.so.1\"; done");
    }

    private List<String> run() throws Exception {
        Files.deleteIfExists(log);
        ProcessBuilder pb = new ProcessBuilder(tree.resolve("tcpscope").toString(), "--version");
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        pb.redirectErrorStream(true);
        pb.redirectOutput(tmp.resolve("out.txt").toFile());
        Process p = pb.start();
        assertEquals(0, p.waitFor(), Files.readString(tmp.resolve("out.txt")));
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void rebuildsOnContentNotOnFileTimes() throws Exception {
        setUp();
        assertEquals(List.of("mvn", "java"), run(), "no jar yet: build");
        assertEquals(List.of("java"), run(), "nothing changed");
        FileTime later = FileTime.from(Instant.now().plusSeconds(3600));
        try (Stream<Path> files = Files.walk(tree.resolve("analyzer/src"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.setLastModifiedTime(f, later); // what a cp -r without -p does to every file
            }
        }
        Files.setLastModifiedTime(tree.resolve("pom.xml"), later);
        assertEquals(List.of("java"), run(), "newer times, same content: no rebuild");
        Files.writeString(tree.resolve("analyzer/src/main/java/A.java"), "class A { int x; }");
        assertEquals(List.of("mvn", "java"), run(), "changed source: rebuild");
        Files.writeString(tree.resolve("analyzer/src/main/java/B.java"), "class B {}");
        assertEquals(List.of("mvn", "java"), run(), "new source file: rebuild");
    }

    @Test
    void findsLibpcapWithoutThePipeRace() throws Exception {
        setUp();
        for (int i = 0; i < 20; i++) {
            List<String> calls = run();
            assertEquals(false, calls.contains("apt-get"), "run " + i + " called apt-get: " + calls);
        }
    }
}
