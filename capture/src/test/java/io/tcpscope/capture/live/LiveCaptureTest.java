package io.tcpscope.capture.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.LinkType;
import io.tcpscope.capture.ffi.LibpcapSource;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Captures real traffic on a veth pair: {@code hostEnd} stays in the root namespace (where
 * this test runs) with 10.199.N.1/24, {@code peerEnd} goes into a fresh namespace with
 * 10.199.N.2/24. A TCP client in the namespace (bash's /dev/tcp) talks to a server socket in
 * this process. Needs root and iproute2; skipped otherwise.
 */
class LiveCaptureTest {
    private static final long PID = ProcessHandle.current().pid();
    private static final String NAMESPACE = "tcpscope-test-" + PID;
    private static final String HOST_END = "tsv" + (PID % 100000) + "h";
    private static final String PEER_END = "tsv" + (PID % 100000) + "p";
    private static final int SUBNET = (int) (PID % 250) + 1;
    private static final String HOST_ADDRESS = "10.199." + SUBNET + ".1";
    private static final String PEER_ADDRESS = "10.199." + SUBNET + ".2";

    private static boolean namespaceCreated;
    private static boolean vethCreated;

    @BeforeAll
    static void createVethPair() throws Exception {
        assumeTrue(LiveTestSupport.isRoot(), "live capture tests need root");
        assumeTrue(LiveTestSupport.hasIpCommand(), "live capture tests need iproute2's ip");
        try {
            LiveTestSupport.runOrFail("ip", "netns", "add", NAMESPACE);
            namespaceCreated = true;
            LiveTestSupport.runOrFail("ip", "link", "add", HOST_END, "type", "veth", "peer", "name", PEER_END);
            vethCreated = true;
            LiveTestSupport.runOrFail("ip", "link", "set", PEER_END, "netns", NAMESPACE);
            LiveTestSupport.runOrFail("ip", "addr", "add", HOST_ADDRESS + "/24", "dev", HOST_END);
            LiveTestSupport.runOrFail("ip", "link", "set", HOST_END, "up");
            LiveTestSupport.runOrFail("ip", "-n", NAMESPACE, "addr", "add", PEER_ADDRESS + "/24", "dev", PEER_END);
            LiveTestSupport.runOrFail("ip", "-n", NAMESPACE, "link", "set", PEER_END, "up");
            LiveTestSupport.runOrFail("ip", "-n", NAMESPACE, "link", "set", "lo", "up");
        } catch (IllegalStateException e) {
            removeVethPair();
            assumeTrue(false, "cannot create a network namespace and veth pair here: " + e.getMessage());
        }
    }

    @AfterAll
    static void removeVethPair() throws Exception {
        if (vethCreated) {
            LiveTestSupport.run("ip", "link", "del", HOST_END); // removes both ends wherever the peer is
            vethCreated = false;
        }
        if (namespaceCreated) {
            LiveTestSupport.run("ip", "netns", "del", NAMESPACE);
            namespaceCreated = false;
        }
    }

    private record Seen(long nanos, int captured, int original, int linkType, int srcPort, int dstPort) {
    }

    @Test
    void capturesTcpExchangeThenBreakLoopEndsNextPromptly() throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName(HOST_ADDRESS), 0));
            int port = server.getLocalPort();
            Thread serverThread = new Thread(() -> answerOnce(server), "test-server");
            serverThread.start();

            List<Seen> seen = new CopyOnWriteArrayList<>();
            AtomicReference<Throwable> readerFailure = new AtomicReference<>();
            long startNanos = System.currentTimeMillis() * 1_000_000L;
            try (LibpcapSource source = LibpcapSource.openLive(
                    LiveOptions.defaults(HOST_END).withBpfFilter("tcp port " + port))) {
                assertTrue(source.isLive());
                assertEquals(LinkType.ETHERNET, source.linkType());
                assertEquals(LiveOptions.DEFAULT_SNAPLEN, source.snaplen());
                assertTrue(source.hasNanosecondTimestamps(), "Linux supports nanosecond timestamps");
                assertEquals("interface " + HOST_END, source.description());

                Thread reader = new Thread(() -> {
                    try {
                        for (Frame f = source.next(); f != null; f = source.next()) {
                            byte[] b = f.buffer();
                            int tcp = f.offset() + 14 + 20;
                            seen.add(new Seen(f.timestampNanos(), f.capturedLength(), f.originalLength(), f.linkType(),
                                    ((b[tcp] & 0xff) << 8) | (b[tcp + 1] & 0xff),
                                    ((b[tcp + 2] & 0xff) << 8) | (b[tcp + 3] & 0xff)));
                        }
                    } catch (Throwable t) {
                        readerFailure.set(t);
                    }
                }, "test-reader");
                reader.start();

                int rc = LiveTestSupport.run("ip", "netns", "exec", NAMESPACE, "bash", "-c",
                        "exec 3<>/dev/tcp/" + HOST_ADDRESS + "/" + port + "; echo ping >&3; head -c 5 <&3; exec 3>&-");
                assertEquals(0, rc, "client in namespace");
                serverThread.join(5000);
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (seen.size() < 6 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                long endNanos = System.currentTimeMillis() * 1_000_000L;

                long breakAt = System.nanoTime();
                source.breakLoop();
                reader.join(2000);
                long breakMillis = (System.nanoTime() - breakAt) / 1_000_000;
                assertFalse(reader.isAlive(), "next() still blocked 2 s after breakLoop()");
                System.out.printf("live: %d packets on %s; next() returned %d ms after breakLoop()%n",
                        seen.size(), HOST_END, breakMillis);
                assertNull(readerFailure.get(), () -> "reader failed: " + readerFailure.get());
                assertNull(source.next(), "stays stopped");

                // SYN, SYN-ACK, ACK, data both ways with ACKs, FINs: at least 6 frames.
                assertTrue(seen.size() >= 6, "frames seen: " + seen);
                for (Seen s : seen) {
                    assertEquals(LinkType.ETHERNET, s.linkType());
                    assertTrue(s.srcPort() == port || s.dstPort() == port, "filter let through " + s);
                    assertTrue(s.captured() >= 54 && s.captured() == s.original(), s.toString());
                    assertTrue(s.nanos() >= startNanos - 1_000_000_000L && s.nanos() <= endNanos + 1_000_000_000L,
                            "timestamp " + s.nanos() + " outside [" + startNanos + ", " + endNanos + "]");
                }
                assertTrue(seen.stream().anyMatch(s -> s.nanos() % 1000 != 0),
                        "nanosecond digits present: " + seen);
                for (int i = 1; i < seen.size(); i++) {
                    assertTrue(seen.get(i).nanos() >= seen.get(i - 1).nanos(), "timestamps go forward");
                }

                CaptureStats stats = source.stats().orElseThrow();
                System.out.println("live: " + stats);
                assertTrue(stats.received() >= seen.size(), stats.toString());
                assertEquals(0, stats.droppedByKernel());
            }
        }
    }

    @Test
    void closeFromAnotherThreadWakesABlockedReader() throws Exception {
        LibpcapSource source = LibpcapSource.openLive(LiveOptions.defaults(HOST_END)
                .withBpfFilter("tcp port 9") // nothing will match
                .withReadTimeoutMillis(10_000)); // only the wakeup from pcap_breakloop can end it quickly
        AtomicReference<Object> result = new AtomicReference<>("not returned");
        Thread reader = new Thread(() -> {
            try {
                result.set(source.next());
            } catch (CaptureException e) {
                result.set(e);
            }
        }, "blocked-reader");
        reader.start();
        Thread.sleep(300);
        assertTrue(reader.isAlive(), "next() should block while nothing arrives");
        long closeAt = System.nanoTime();
        source.close();
        long closeMillis = (System.nanoTime() - closeAt) / 1_000_000;
        reader.join(2000);
        assertFalse(reader.isAlive());
        assertNull(result.get(), "next() returns null when closed under it");
        System.out.printf("live: close() from another thread returned after %d ms (read timeout 10 s)%n", closeMillis);
        assertTrue(closeMillis < 2000, "close took " + closeMillis + " ms");
        source.close();
        assertTrue(source.stats().isEmpty());
    }

    private static void answerOnce(ServerSocket server) {
        try (Socket client = server.accept()) {
            client.setSoTimeout(5000);
            InputStream in = client.getInputStream();
            byte[] buffer = new byte[5];
            int n = 0;
            while (n < 5) {
                int r = in.read(buffer, n, 5 - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
            OutputStream out = client.getOutputStream();
            out.write("pong\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (Exception e) {
            // the client's exit code and the frame count tell the test what went wrong
        }
    }
}
