package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code live -w} ended by SIGTERM, in its own JVM, on the loopback of a network namespace of
 * its own ({@code fwsig<pid>}; root only, so named Live* and left out of the everyday run):
 * exit 143, the records and the summary on stdout, and a {@code -w} file that analyze reads
 * without damage and with the same connections.
 */
class LiveSigtermTest {
    private static int sh(String... cmd) throws Exception {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
    }

    /** Five connections on 127.0.0.1:8099 in the namespace: data both ways, closed by the client. */
    static final String TRAFFIC = String.join("\n",
            "import socket, threading",
            "srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
            "srv.bind(('127.0.0.1', 8099)); srv.listen(16)",
            "def serve():",
            "    for _ in range(5):",
            "        c, _ = srv.accept(); c.recv(100); c.sendall(b'pong'); c.recv(100); c.close()",
            "t = threading.Thread(target=serve); t.start()",
            "for _ in range(5):",
            "    s = socket.create_connection(('127.0.0.1', 8099)); s.sendall(b'ping'); s.recv(100); s.close()",
            "t.join()");

    @Test
    void sigtermEndsLiveWithItsRecordsAndAWholeWriteFile(@TempDir Path dir) throws Exception {
        String ns = "fwsig" + ProcessHandle.current().pid() % 100000;
        assumeTrue(sh("ip", "netns", "add", ns) == 0, "cannot create a network namespace here (needs root and iproute2)");
        try {
            assertEquals(0, sh("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"));
            Path pcap = dir.resolve("live.pcap");
            Path out = dir.resolve("out.jsonl");
            Path err = dir.resolve("err.txt");
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns));
            command.addAll(Child.tcpscope("live", "-i", "lo", "-w", pcap.toString(), "--format", "jsonl",
                    "--duration", "300s").command());
            Process live = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                Child.await("listening", () -> Child.read(err).contains("listening on lo"));
                Process traffic = new ProcessBuilder("ip", "netns", "exec", ns, "/usr/bin/python3", "-c", TRAFFIC)
                        .inheritIO().start();
                assertEquals(0, Child.exit(traffic));
                // the -w file is flushed every 100 ms of capture time: wait for the connections' frames in it
                Child.await("the frames in the -w file", () -> {
                    try {
                        CliRun r = CliRun.of("analyze", "--format", "jsonl", pcap.toString());
                        return r.out().contains("\"connections\":5");
                    } catch (RuntimeException e) {
                        return false;
                    }
                });
                assertTrue(live.isAlive());
                Child.signal(live, "TERM");
                assertEquals(143, Child.exit(live), Child.read(err));
            } finally {
                live.destroyForcibly();
            }
            String stdout = Child.read(out);
            assertTrue(stdout.endsWith("\n"), stdout);
            assertTrue(stdout.lines().reduce((a, b) -> b).orElse("").startsWith("{\"type\":\"summary\""), stdout);
            assertEquals(5, FollowCommandTest.connectionLines(stdout), stdout);
            CliRun written = CliRun.of("analyze", "--format", "jsonl", pcap.toString());
            assertEquals(0, written.exit(), written.toString());
            assertFalse(written.out().contains("\"damage\":\""), written.out());
            assertEquals(5, FollowCommandTest.connectionLines(written.out()));
        } finally {
            sh("ip", "netns", "del", ns);
        }
    }
}
