package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.bench.TcpFrameBuilder;
import io.tcpscope.capture.LinkType;
import io.tcpscope.capture.file.PcapWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Running out of heap is one line on stderr with its own exit code (12) and the way out, never a
 * stack trace: a child JVM with a 32 MB heap analyzes 300k half-open connections (spoofed SYNs
 * that never close, so all stay open at once) with {@code --max-connections 300000}, more than
 * that heap holds. Without the option the table limit follows the heap and the same capture
 * is analyzed (the flood's half-opens are evicted).
 */
class OutOfMemoryTest {
    @TempDir
    Path dir;

    static void writeSynFlood(Path file, int connections) throws Exception {
        TcpFrameBuilder b = new TcpFrameBuilder();
        long t = 1_700_000_000L * 1_000_000_000L;
        try (PcapWriter w = new PcapWriter(file, LinkType.ETHERNET, 65535)) {
            for (int i = 0; i < connections; i++) {
                int len = b.build(0x0a000000 + (i >>> 14), 1024 + (i & 0x3fff), 0xc0a80101, 80, i * 7919, 0, 0x02, 64240, 0, i);
                w.write(t += 1000, len, len, b.buffer(), 0);
            }
        }
    }

    @Test
    void outOfMemoryIsOneLineWithItsOwnExitCode() throws Exception {
        Path capture = dir.resolve("flood.pcap");
        writeSynFlood(capture, 300_000);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path errFile = dir.resolve("err.txt");
        Process p = new ProcessBuilder(java.toString(), "-Xmx32m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "analyze", "--format", "jsonl",
                "--max-connections", "300000", capture.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(errFile.toFile())
                .start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM finished");
        List<String> err = Files.readAllLines(errFile, StandardCharsets.UTF_8);
        assertEquals(ExitCode.OUT_OF_MEMORY, p.exitValue(), String.join("\n", err));
        assertEquals(1, err.size(), "one line: " + err);
        assertTrue(err.get(0).startsWith("tcpscope: out of memory (Java heap "), err.get(0));
        assertTrue(err.get(0).contains("JAVA_OPTS=-Xmx") && err.get(0).contains("--max-connections"), err.get(0));
        assertFalse(err.get(0).contains("Exception") || err.get(0).contains("\tat "), err.get(0));
    }

    @Test
    void theDefaultLimitFollowsTheHeap() throws Exception {
        Path capture = dir.resolve("flood.pcap");
        writeSynFlood(capture, 300_000);
        List<String> lines = Child.analyzeInHeap("-Xmx32m", capture, dir.resolve("out.jsonl"), dir.resolve("err.txt"),
                "--format", "jsonl");
        String summary = lines.get(lines.size() - 1);
        assertEquals(300_001, lines.size(), "every connection and the summary");
        // 32 MB: half of the heap at FlowTable.BYTES_PER_CONNECTION each.
        long held = io.tcpscope.analyzer.flow.FlowTable.defaultMaxConnections(32L << 20);
        assertTrue(held < 300_000, "the limit " + held);
        assertTrue(summary.contains("\"connections\":300000,"), summary);
        assertTrue(summary.matches(".*\"evicted\":[1-9][0-9]*,.*"), summary);
    }

    @Test
    void theSameCaptureFitsWithABoundedFlowTable() throws Exception {
        Path capture = dir.resolve("flood.pcap");
        writeSynFlood(capture, 300_000);
        String out = String.join("\n", Child.analyzeInHeap("-Xmx32m", capture, dir.resolve("out.txt"),
                dir.resolve("err.txt"), "--max-connections", "2000"));
        assertTrue(out.contains("300000 connections"), out.substring(Math.max(0, out.length() - 1000)));
        assertTrue(out.contains("evicted from the flow table (limit reached): 298000"), out.substring(Math.max(0, out.length() - 1000)));
    }
}
