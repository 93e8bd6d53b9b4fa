package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture still being written (tcpdump -w appending): analyze reads to the current end, the
 * record cut there is reported as damage (exit 1), with a hint when the file was modified
 * within the last seconds, and none when it is old.
 */
class GrowingFileTest {
    private static String analyzeStderr(Path file, int[] code) {
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
             PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
            code[0] = Main.run(new String[] {"analyze", file.toString()}, out, err, new StopSignal());
        }
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aFreshCutFileGetsTheHintAnOldOneDoesNot(@TempDir Path dir) throws Exception {
        byte[] whole = Files.readAllBytes(OutputFaultTest.CAPTURE);
        Path cut = dir.resolve("growing.pcap");
        Files.write(cut, Arrays.copyOf(whole, whole.length - 37)); // the last record half written
        int[] code = {-1};
        String fresh = analyzeStderr(cut, code);
        assertEquals(ExitCode.DAMAGED, code[0], fresh);
        assertTrue(fresh.contains("truncated record"), fresh);
        assertTrue(fresh.contains("; the file may still be being written (modified "), fresh);
        assertEquals(1, fresh.lines().count(), fresh);

        Files.setLastModifiedTime(cut, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        String old = analyzeStderr(cut, code);
        assertEquals(ExitCode.DAMAGED, code[0], old);
        assertTrue(old.contains("truncated record"), old);
        assertFalse(old.contains("still being written"), old);
    }
}
