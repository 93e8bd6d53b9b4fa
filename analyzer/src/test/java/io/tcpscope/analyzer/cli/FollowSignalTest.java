package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code analyze --follow} in its own JVM, as a user runs it beside {@code tcpdump -w}: a
 * writer appends a fixture capture in pieces (cut inside records); the records come out while
 * the file is still being followed; SIGTERM (or SIGINT) ends it with every record and the
 * summary, exit 143 (130): the same lines as a plain analyze of the finished file.
 */
class FollowSignalTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @org.junit.jupiter.api.condition.EnabledOnOs(org.junit.jupiter.api.condition.OS.LINUX) // /proc/PID/fdinfo
    @CsvSource({"TERM, 143", "INT, 130"})
    void aSignalEndsTheFollowingWithEveryRecordAndTheSummary(String signal, int code) throws Exception {
        byte[] bytes = Files.readAllBytes(FollowCommandTest.FIXTURE);
        Path growing = dir.resolve("growing.pcap");
        Files.write(growing, new byte[0]);
        Path out = dir.resolve("out.jsonl");
        Path err = dir.resolve("err.txt");
        Process p = Child.tcpscope("analyze", "--follow", "--format", "jsonl", "--msl", "500ms", growing.toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try (OutputStream append = Files.newOutputStream(growing, StandardOpenOption.APPEND)) {
            int at = 0;
            for (int n : FollowCommandTest.pieces(bytes.length, 42)) {
                append.write(bytes, at, n);
                append.flush();
                at += n;
                Thread.sleep(2); // a writer at its own pace; the output does not depend on it
            }
        }
        Child.await("the whole file read", () -> Child.readOffset(p, growing) == bytes.length);
        // every record is written while the file is followed (each connection's TIME_WAIT of 1 s ends before the last frame)
        Child.await("60 connection lines on stdout", () -> FollowCommandTest.connectionLines(Child.read(out)) == 60);
        assertFalse(Child.read(out).contains("\"type\":\"summary\""));
        assertTrue(p.isAlive(), "--follow goes on at the end of the file");
        Child.signal(p, signal);
        assertEquals(code, Child.exit(p), Child.read(err));
        CliRun plain = CliRun.of("analyze", "--format", "jsonl", "--msl", "500ms", growing.toString());
        assertEquals(FollowCommandTest.sorted(plain.out()), FollowCommandTest.sorted(Child.read(out)));
        assertEquals("tcpscope: stopped following " + growing + " after 647 frames; the records and summary so far"
                + " were written\n", Child.read(err));
    }
}
