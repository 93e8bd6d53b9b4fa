package io.tcpscope.bench;

import io.tcpscope.analyzer.bench.SyntheticCapture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.bench.SyntheticCapture.Ending;
import io.tcpscope.analyzer.cli.StopSignal;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.engine.Pipeline;
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

        List<ConnectionRecord> finished = new ArrayList<>();
        Pipeline analyzer = new Pipeline(OsProfile.LINUX, Pipeline.Settings.defaults(), finished::add);
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
        for (ConnectionRecord c : finished) {
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

    /** Connections read back from {@code file}: every frame TCP, nothing damaged. */
    private static List<ConnectionRecord> analyze(Path file, long expectedFrames) throws Exception {
        List<ConnectionRecord> finished = new ArrayList<>();
        Pipeline analyzer = new Pipeline(OsProfile.LINUX, Pipeline.Settings.defaults(), finished::add);
        try (PacketSource source = CaptureFiles.open(file)) {
            Frame frame;
            while ((frame = source.next()) != null) {
                analyzer.onFrame(frame);
            }
            assertNull(source.damage());
        }
        analyzer.finish();
        assertEquals(expectedFrames, analyzer.summary().frames());
        assertEquals(expectedFrames, analyzer.summary().tcpFrames(), "every frame decodes as TCP");
        return finished;
    }

    @Test
    void roundsOfFullSizeSegmentsWithDelayedAcksCloseFromEitherSide() throws Exception {
        Path file = dir.resolve("rounds.pcap");
        int connections = 600;
        int packets = 60;
        SyntheticCapture.Result result = SyntheticCapture.write(file,
                new SyntheticCapture.Plan(SyntheticCapture.Shape.ROUNDS, connections, packets, 200, 11));
        assertEquals((long) connections * packets, result.frames());
        assertEquals(300, result.count(Ending.CLIENT_CLOSE));
        assertEquals(300, result.count(Ending.SERVER_CLOSE));

        // Frame sizes: full-size server segments (14 + 20 + 20 + 1460), and about one pure ACK
        // per two of them (delayed ACKs), never one per segment.
        long fullSize = 0;
        long pureAcks = 0;
        try (PacketSource source = CaptureFiles.open(file)) {
            Frame frame;
            while ((frame = source.next()) != null) {
                if (frame.capturedLength() == 1514) {
                    fullSize++;
                } else if (frame.capturedLength() == 54) {
                    pureAcks++;
                }
            }
        }
        assertTrue(fullSize > result.frames() / 3, "full-size segments: " + fullSize);
        assertTrue(pureAcks < fullSize, "delayed ACKs: " + pureAcks + " pure ACKs for " + fullSize + " full segments");

        List<ConnectionRecord> finished = analyze(file, result.frames());
        assertEquals(connections, finished.size());
        EnumSet<ConnectionFlag> anomalies = EnumSet.of(ConnectionFlag.RETRANSMISSIONS, ConnectionFlag.CAPTURE_LOSS,
                ConnectionFlag.INCONSISTENT, ConnectionFlag.MIDSTREAM, ConnectionFlag.ROLE_GUESSED,
                ConnectionFlag.FIN_NOT_SEEN, ConnectionFlag.SYN_NOT_SEEN);
        for (ConnectionRecord c : finished) {
            int index = c.client().port() - 32768;
            Ending ending = SyntheticCapture.ending(SyntheticCapture.Shape.ROUNDS, index);
            String what = "connection " + index + " (" + ending + ")";
            assertEquals(expectedClient(ending), c.client().state(), what);
            assertEquals(expectedServer(ending), c.server().state(), what);
            assertEquals(packets, c.client().packets() + c.server().packets(), what);
            assertTrue(c.server().payloadBytes() > c.client().payloadBytes(), what + ": responses are larger");
            for (ConnectionFlag f : anomalies) {
                assertTrue(!c.flags().contains(f), what + " has " + f);
            }
        }
    }

    @Test
    void openConnectionsNeverClose() throws Exception {
        Path file = dir.resolve("open.pcap");
        int connections = 2_500; // more than any concurrency default: all must be open at once
        SyntheticCapture.Result result = SyntheticCapture.write(file,
                new SyntheticCapture.Plan(SyntheticCapture.Shape.OPEN, connections, 6, 1, 5));
        assertEquals(connections * 6L, result.frames());
        assertEquals(connections, result.count(Ending.OPEN));
        List<ConnectionRecord> finished = analyze(file, result.frames());
        assertEquals(connections, finished.size());
        for (ConnectionRecord c : finished) {
            assertEquals(TcpState.ESTABLISHED, c.client().state(), c.client().port() + "");
            assertEquals(TcpState.ESTABLISHED, c.server().state(), c.client().port() + "");
        }
    }

    @Test
    void everyShapeIsDeterministic() throws Exception {
        for (SyntheticCapture.Shape shape : SyntheticCapture.Shape.values()) {
            Path a = dir.resolve(shape + "-a.pcap");
            Path b = dir.resolve(shape + "-b.pcap");
            SyntheticCapture.write(a, new SyntheticCapture.Plan(shape, 200, 30, 50, 3));
            SyntheticCapture.write(b, new SyntheticCapture.Plan(shape, 200, 30, 50, 3));
            assertEquals(-1, Files.mismatch(a, b), shape.name());
        }
    }

    @Test
    void benchGenerateReferenceAndOpenShapes() throws Exception {
        Path file = dir.resolve("ref.pcap");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BenchMain.run(new String[] {"bench", "--generate", file.toString(), "--reference", "--connections",
                "40", "--concurrency", "10"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new StopSignal());
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("wrote 4000 frames, 40 connections (20 client close,"
                + " 20 server close, 0 reset, 0 stuck half-close) to " + file), out.toString(StandardCharsets.UTF_8));
        out.reset();
        code = BenchMain.run(new String[] {"bench", "--generate", file.toString(), "--shape", "open", "--connections",
                "30", "--packets-per-connection", "4"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new StopSignal());
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("wrote 120 frames, 30 connections (all open at once,"
                + " none closes) to " + file), out.toString(StandardCharsets.UTF_8));
        err.reset();
        code = BenchMain.run(new String[] {"bench", "--generate", file.toString(), "--shape", "square"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new StopSignal());
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("invalid --shape 'square'"), err.toString(StandardCharsets.UTF_8));
    }

    private static TcpState expectedClient(Ending e) {
        switch (e) {
            case CLIENT_CLOSE: return TcpState.TIME_WAIT;
            case SERVER_CLOSE: return TcpState.CLOSED;
            case RESET: return TcpState.CLOSED;
            case STUCK_HALF_CLOSE: return TcpState.FIN_WAIT_2;
            case OPEN: return TcpState.ESTABLISHED;
        }
        throw new AssertionError(e);
    }

    private static TcpState expectedServer(Ending e) {
        switch (e) {
            case CLIENT_CLOSE: return TcpState.CLOSED;
            case SERVER_CLOSE: return TcpState.TIME_WAIT;
            case RESET: return TcpState.CLOSED;
            case STUCK_HALF_CLOSE: return TcpState.CLOSE_WAIT;
            case OPEN: return TcpState.ESTABLISHED;
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
