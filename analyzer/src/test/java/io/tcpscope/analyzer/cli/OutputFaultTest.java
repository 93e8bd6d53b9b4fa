package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Faults of the output: standard output on a full disk ({@code > /dev/full}) is exit 11 with the reason in one line. */
class OutputFaultTest {
    static final Path CAPTURE = Path.of("../fixtures/bulk-random-loss/capture.pcap");

    @ParameterizedTest
    @ValueSource(strings = {"text", "jsonl"})
    void fullDiskIsExit11WithTheReason(String format) throws Exception {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "no writable /dev/full here");
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        int code;
        try (FileOutputStream dev = new FileOutputStream(full.toFile());
             PrintStream out = new PrintStream(new StdoutStream(dev, () -> { }), false, StandardCharsets.UTF_8);
             PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
            code = Main.run(new String[] {"analyze", "--format", format, CAPTURE.toString()}, out, err, new StopSignal());
        }
        String stderr = errBytes.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCode.OUTPUT, code, stderr);
        assertEquals("tcpscope: error writing the output: No space left on device\n", stderr);
    }
}
