package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcpscope.capture.PacketSource;
import io.tcpscope.capture.file.CaptureFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live interface goes away mid-capture ({@code ip link del} of a veth whose peer is in a
 * namespace of this test's own, names starting {@code flt}): live ends with one line, writes the
 * records and summary so far, leaves a whole {@code -w} file, and exits 10. Root only.
 */
class InterfaceGoneTest {
    private static int sh(String... cmd) throws IOException, InterruptedException {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
    }

    @Test
    void interfaceGoneEndsTheCaptureWithExit10(@TempDir Path dir) throws Exception {
        String id = Long.toString(ProcessHandle.current().pid() % 100000);
        String ns = "fltns" + id;
        String host = "flt" + id + "a";
        String peer = "flt" + id + "b";
        String net = "10.199." + (ProcessHandle.current().pid() % 250) + ".";
        boolean made = sh("ip", "netns", "add", ns) == 0;
        assumeTrue(made, "cannot create a network namespace here (needs root and iproute2)");
        try {
            assumeTrue(sh("ip", "link", "add", host, "type", "veth", "peer", "name", peer) == 0, "no veth here");
            assertEquals(0, sh("ip", "link", "set", peer, "netns", ns));
            assertEquals(0, sh("ip", "addr", "add", net + "1/24", "dev", host));
            assertEquals(0, sh("ip", "link", "set", host, "up"));
            assertEquals(0, sh("ip", "netns", "exec", ns, "ip", "addr", "add", net + "2/24", "dev", peer));
            assertEquals(0, sh("ip", "netns", "exec", ns, "ip", "link", "set", peer, "up"));
            Path pcap = dir.resolve("gone.pcap");
            ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
            ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
            int[] code = {-1};
            Thread live;
            try (PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
                 PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
                live = new Thread(() -> code[0] = Main.run(new String[] {"live", "-i", host, "-w", pcap.toString(),
                        "--duration", "60s"}, out, err, new StopSignal()));
                live.start();
                for (int i = 0; i < 100 && !errBytes.toString(StandardCharsets.UTF_8).contains("listening on"); i++) {
                    Thread.sleep(100);
                }
                assumeTrue(errBytes.toString(StandardCharsets.UTF_8).contains("listening on"),
                        "live capture did not start: " + errBytes.toString(StandardCharsets.UTF_8));
                for (int i = 0; i < 3; i++) { // SYNs answered by RST (nothing listens): TCP in the capture
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(net + "2", 9), 1000);
                    } catch (IOException refused) {
                        // expected
                    }
                }
                Thread.sleep(500);
                assertEquals(0, sh("ip", "link", "del", host));
                live.join(30_000);
            }
            String stderr = errBytes.toString(StandardCharsets.UTF_8);
            String stdout = outBytes.toString(StandardCharsets.UTF_8);
            assertEquals(10, code[0], stderr);
            assertTrue(stderr.contains("tcpscope: interface " + host + " went away ("), stderr);
            assertTrue(stdout.contains("interface " + host + ": "), "summary written: " + stdout);
            assertTrue(stdout.contains("RST"), "the refused connections' records: " + stdout);
            long frames = 0;
            try (PacketSource source = CaptureFiles.open(List.of(pcap))) {
                while (source.next() != null) {
                    frames++;
                }
                assertNull(source.damage(), "the -w file is whole");
            }
            assertTrue(frames >= 6, "SYN and RST of each connection in -w: " + frames);
            assertTrue(Files.size(pcap) > 24);
        } finally {
            sh("ip", "link", "del", host);
            sh("ip", "netns", "del", ns);
        }
    }

    @Test
    void fullWriteDiskGoesOnWithoutTheFile(@TempDir Path dir) throws Exception {
        String id = Long.toString(ProcessHandle.current().pid() % 100000);
        String ns = "fltnw" + id;
        String host = "flt" + id + "c";
        String peer = "flt" + id + "d";
        String net = "10.198." + (ProcessHandle.current().pid() % 250) + ".";
        boolean made = sh("ip", "netns", "add", ns) == 0;
        assumeTrue(made, "cannot create a network namespace here (needs root and iproute2)");
        Path small = Files.createDirectory(dir.resolve("small"));
        boolean mounted = false;
        try {
            mounted = sh("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", small.toString()) == 0;
            assumeTrue(mounted, "cannot mount a tmpfs here");
            assumeTrue(sh("ip", "link", "add", host, "type", "veth", "peer", "name", peer) == 0, "no veth here");
            assertEquals(0, sh("ip", "link", "set", peer, "netns", ns));
            assertEquals(0, sh("ip", "addr", "add", net + "1/24", "dev", host));
            assertEquals(0, sh("ip", "link", "set", host, "up"));
            assertEquals(0, sh("ip", "netns", "exec", ns, "ip", "addr", "add", net + "2/24", "dev", peer));
            assertEquals(0, sh("ip", "netns", "exec", ns, "ip", "link", "set", peer, "up"));
            Path pcap = small.resolve("full.pcap");
            ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
            ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
            int[] code = {-1};
            Thread live;
            int connections = 1000; // ~130 bytes of pcap each: more than 64 KiB
            try (PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
                 PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
                live = new Thread(() -> code[0] = Main.run(new String[] {"live", "-i", host, "-w", pcap.toString(),
                        "-f", "tcp", "--count", Integer.toString(2 * connections)}, out, err, new StopSignal()));
                live.start();
                for (int i = 0; i < 100 && !errBytes.toString(StandardCharsets.UTF_8).contains("listening on"); i++) {
                    Thread.sleep(100);
                }
                assumeTrue(errBytes.toString(StandardCharsets.UTF_8).contains("listening on"),
                        "live capture did not start: " + errBytes.toString(StandardCharsets.UTF_8));
                for (int i = 0; i < connections; i++) {
                    if (i % 100 == 99) {
                        Thread.sleep(150); // live flushes -w every 100 ms of capture time: the disk fills mid-capture
                    }
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(net + "2", 9), 1000);
                    } catch (IOException refused) {
                        // expected
                    }
                }
                live.join(30_000);
                if (live.isAlive()) {
                    sh("ip", "link", "del", host); // ends it (as the other test shows), whatever was lost
                    live.join(30_000);
                }
            }
            String stderr = errBytes.toString(StandardCharsets.UTF_8);
            String stdout = outBytes.toString(StandardCharsets.UTF_8);
            assertTrue(stderr.contains("tcpscope: warning: -w " + pcap + ": write error: No space left on device;"
                    + " the file holds the "), stderr);
            assertTrue(stderr.contains("the capture goes on without -w"), stderr);
            assertEquals(1, stderr.lines().filter(l -> l.contains("write error")).count(), stderr);
            assertTrue(stdout.contains("interface " + host + ": "), "summary written: " + stdout);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("holds the (\\d+) frames").matcher(stderr);
            assertTrue(m.find(), stderr);
            long said = Long.parseLong(m.group(1));
            long frames = 0;
            try (PacketSource source = CaptureFiles.open(List.of(pcap))) {
                while (source.next() != null) {
                    frames++;
                }
                assertNull(source.damage(), "the -w file is whole");
            }
            assertEquals(said, frames, "the file holds the frames the line says");
            assertTrue(frames > 0 && frames < 2L * connections, "cut short: " + frames);
            if (!stderr.contains("went away")) {
                assertEquals(5, code[0], stderr);
            }
        } finally {
            sh("ip", "link", "del", host);
            sh("ip", "netns", "del", ns);
            if (mounted) {
                sh("umount", small.toString());
            }
        }
    }
}
