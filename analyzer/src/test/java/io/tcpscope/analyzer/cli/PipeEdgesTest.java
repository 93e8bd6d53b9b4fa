package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command in its own JVM, on pipes: a reader that goes away, and a signal during a blocked read. */
class PipeEdgesTest {
    @TempDir
    Path tmp;

    private static ProcessBuilder tcpscope(String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /** {@code analyze ... | head -c 100}: exit 141 as a filter killed by SIGPIPE, nothing on stderr. */
    @Test
    void closedStdoutEndsQuietly() throws Exception {
        assumeTrue(new File("/bin/bash").canExecute() && new File("/usr/bin/head").canExecute());
        Path capture = tmp.resolve("big.pcap");
        io.tcpscope.analyzer.bench.SyntheticCapture.write(capture, 3000, 8,
                io.tcpscope.analyzer.bench.SyntheticCapture.DEFAULT_SEED);
        String cmd = String.join(" ", tcpscope("analyze", "--format", "jsonl", capture.toString()).command()
                .stream().map(a -> "'" + a + "'").toList())
                + " 2>" + tmp.resolve("err.txt") + " | head -c 100 >/dev/null; echo ${PIPESTATUS[0]}";
        Process p = new ProcessBuilder("/bin/bash", "-c", cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals("141", out);
        assertEquals("", Files.readString(tmp.resolve("err.txt")));
    }

    /**
     * SIGTERM while analyze is blocked reading a FIFO whose writer is still open: the results
     * so far are written (the read is interrupted), exit 143.
     */
    @Test
    void signalDuringABlockedReadStillWritesTheResults() throws Exception {
        assumeTrue(new File("/usr/bin/mkfifo").canExecute());
        Path fifo = tmp.resolve("capture.fifo");
        assertEquals(0, new ProcessBuilder("/usr/bin/mkfifo", fifo.toString()).start().waitFor());
        byte[] bytes = Files.readAllBytes(CliRun.fixtures().resolve("stuck-fin-wait-2/capture.pcap"));
        Process p = tcpscope("analyze", "--format", "jsonl", fifo.toString())
                .redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile()).start();
        try (OutputStream writer = Files.newOutputStream(fifo)) { // opens once the reader has opened it
            writer.write(bytes);
            writer.flush();
            Thread.sleep(1500); // the reader takes the frames, then blocks for more
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        String out = Files.readString(tmp.resolve("out.txt"));
        assertEquals(143, p.exitValue(), Files.readString(tmp.resolve("err.txt")));
        assertTrue(out.contains("\"type\":\"summary\""), "results written: " + out);
        assertTrue(out.contains("\"interrupted\":true"), out);
        assertTrue(out.contains("STUCK_FIN_WAIT_2"), out);
    }
}
