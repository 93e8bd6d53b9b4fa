package io.tcpscope.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.bench.SyntheticCapture.Ending;
import io.tcpscope.analyzer.cli.StopSignal;
import io.tcpscope.analyzer.engine.Analyzer;
import io.tcpscope.analyzer.flow.FlowTable;
import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.ConnectionFlag;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.analyzer.tcp.TcpState;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.PacketSource;
import io.tcpscope.capture.file.CaptureFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tcpscope bench --generate}: the capture reads back and analyzes to the planned endings. */
class SyntheticCaptureTest {
    private static final int CONNECTIONS = 1_300; // > CONCURRENCY: connections start while others run
    private static final int PACKETS = 12;

    @TempDir
    Path dir;

    @Test
    void generatedCaptureReadsBackWithTheExpectedConnectionsAndFinalStates() throws Exception {
        Path file = dir.resolve("synthetic.pcap");
        SyntheticCapture.Result result = SyntheticCapture.write(file, CONNECTIONS, PACKETS, SyntheticCapture.DEFAULT_SEED);
        assertEquals((long) CONNECTIONS * PACKETS, result.frames());
        assertEquals(13 * 5, result.count(Ending.RESET));
        assertEquals(13, result.count(Ending.STUCK_HALF_CLOSE));
        assertEquals(13 * 24, result.count(Ending.SERVER_CLOSE));
        assertEquals(13 * 70, result.count(Ending.CLIENT_CLOSE));

        List<Connection> finished = new ArrayList<>();
        Analyzer analyzer = new Analyzer(OsProfile.LINUX, FlowTable.DEFAULT_MAX_CONNECTIONS, finished::add);
        long frames = 0;
        try (PacketSource source = CaptureFiles.open(file)) {
            Frame frame;
            while ((frame = source.next()) != null) {
                frames++;
                analyzer.onFrame(frame);
            }
            assertNull(source.damage());
        }
        analyzer.finish();
        assertEquals(result.frames(), frames);
        assertEquals(result.frames(), analyzer.summary().tcpFrames(), "every frame decodes as TCP");
        assertEquals(CONNECTIONS, finished.size());
        assertEquals(CONNECTIONS, analyzer.summary().connections());

        EnumSet<ConnectionFlag> anomalies = EnumSet.of(ConnectionFlag.RETRANSMISSIONS, ConnectionFlag.CAPTURE_LOSS,
                ConnectionFlag.INCONSISTENT, ConnectionFlag.MIDSTREAM, ConnectionFlag.ROLE_GUESSED,
                ConnectionFlag.FIN_NOT_SEEN, ConnectionFlag.SYN_NOT_SEEN);
        int[] seen = new int[Ending.values().length];
        for (Connection c : finished) {
            int index = c.client().port() - 32768; // < 28000 connections: one client address
            Ending ending = SyntheticCapture.ending(index);
            seen[ending.ordinal()]++;
            String what = "connection " + index + " (" + ending + ")";
            assertEquals(expectedClient(ending), c.client().state(), what);
            assertEquals(expectedServer(ending), c.server().state(), what);
            assertEquals(PACKETS, c.client().packets() + c.server().packets(), what);
            for (ConnectionFlag f : anomalies) {
                assertTrue(!c.flags().contains(f), what + " has " + f);
            }
        }
        for (Ending e : Ending.values()) {
            assertEquals(result.count(e), seen[e.ordinal()], e.name());
        }
    }

    private static TcpState expectedClient(Ending e) {
        switch (e) {
            case CLIENT_CLOSE: return TcpState.TIME_WAIT;
            case SERVER_CLOSE: return TcpState.CLOSED;
            case RESET: return TcpState.CLOSED;
            case STUCK_HALF_CLOSE: return TcpState.FIN_WAIT_2;
        }
        throw new AssertionError(e);
    }

    private static TcpState expectedServer(Ending e) {
        switch (e) {
            case CLIENT_CLOSE: return TcpState.CLOSED;
            case SERVER_CLOSE: return TcpState.TIME_WAIT;
            case RESET: return TcpState.CLOSED;
            case STUCK_HALF_CLOSE: return TcpState.CLOSE_WAIT;
        }
        throw new AssertionError(e);
    }

    @Test
    void theSameSeedWritesTheSameBytes() throws Exception {
        Path a = dir.resolve("a.pcap");
        Path b = dir.resolve("b.pcap");
        SyntheticCapture.write(a, 300, 9, 7);
        SyntheticCapture.write(b, 300, 9, 7);
        assertEquals(-1, Files.mismatch(a, b));
    }

    @Test
    void benchGenerateWritesTheFileAndSaysWhat() throws Exception {
        Path file = dir.resolve("cli.pcap");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BenchMain.run(new String[] {"bench", "--generate", file.toString(), "--connections", "100",
                "--packets-per-connection", "10"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new StopSignal());
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("wrote 1000 frames, 100 connections (70 client close,"
                + " 24 server close, 5 reset, 1 stuck half-close) to " + file), out.toString(StandardCharsets.UTF_8));
        assertTrue(Files.size(file) > 1000 * 54);
    }

    @Test
    void tooFewPacketsPerConnectionIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BenchMain.run(new String[] {"bench", "--generate", dir.resolve("x.pcap").toString(),
                "--packets-per-connection", "7"}, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new StopSignal());
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--packets-per-connection must be between 8"));
    }
}
