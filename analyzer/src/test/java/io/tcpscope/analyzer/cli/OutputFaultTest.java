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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults of the output: standard output on a full disk ({@code > /dev/full}) is exit 11 with
 * the reason in one line, for every command that writes; {@code -o FILE} on a full disk is
 * exit 11 naming the file, and leaves no half-written file under its name.
 */
class OutputFaultTest {
    static final Path CAPTURE = Path.of("../fixtures/bulk-random-loss/capture.pcap");

    /** Runs a command line with standard output on /dev/full, as Main sets it up; [exit code, stderr]. */
    static Object[] onFullDisk(String... args) throws Exception {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "no writable /dev/full here");
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        int code;
        try (FileOutputStream dev = new FileOutputStream(full.toFile());
             PrintStream out = new PrintStream(new java.io.BufferedOutputStream(new StdoutStream(dev, () -> { }), 1 << 16),
                     false, StandardCharsets.UTF_8);
             PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, out, err, new StopSignal());
        }
        return new Object[] {code, errBytes.toString(StandardCharsets.UTF_8)};
    }

    @ParameterizedTest
    @ValueSource(strings = {"stuck", "stuck --format jsonl", "ladder --conn 0", "ladder --conn 0 --format svg"})
    void everyCommandSaysWhyItsOutputFailed(String command) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(command.split(" ")));
        args.add(CAPTURE.toString());
        Object[] r = onFullDisk(args.toArray(String[]::new));
        assertEquals("tcpscope: error writing the output: No space left on device\n", r[1]);
        assertEquals(ExitCode.OUTPUT, r[0], (String) r[1]);
    }

    @Test
    void aReportToAFullDeviceNamesIt() throws Exception {
        Object[] r = onFullDisk("report", "-o", "/dev/full", CAPTURE.toString());
        assertEquals("tcpscope: cannot write /dev/full: No space left on device\n", r[1]);
        assertEquals(ExitCode.OUTPUT, r[0]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"report", "ladder"})
    void aFileOnAFullDiskIsExit11AndNoHalfFile(String command, @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path mount = dir.resolve("small");
        Files.createDirectories(mount);
        assumeTrue(new java.io.File("/bin/mount").canExecute() && new ProcessBuilder("/bin/mount", "-t", "tmpfs", "-o",
                "size=8k", "tcpscope-fw", mount.toString()).inheritIO().start().waitFor() == 0, "cannot mount a tmpfs (not root?)");
        try {
            Path target = mount.resolve("out.html");
            Files.writeString(target, "the previous report\n");
            CliRun r = command.equals("report") ? CliRun.of("report", "-o", target.toString(), CAPTURE.toString())
                    : CliRun.of("ladder", "--conn", "0", "--full", "-o", target.toString(), CAPTURE.toString());
            assertEquals(ExitCode.OUTPUT, r.exit(), r.toString());
            assertEquals("tcpscope: cannot write " + target + ": No space left on device\n", r.err());
            assertEquals("the previous report\n", Files.readString(target), "the file is kept as it was");
            try (var files = Files.list(mount)) {
                assertEquals(java.util.List.of(target), files.toList(), "no temporary file is left");
            }
        } finally {
            new ProcessBuilder("/bin/umount", mount.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void aReportFileIsWrittenWholeInPlaceOfTheOldOne(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path target = dir.resolve("r.html");
        Files.writeString(target, "old");
        CliRun r = CliRun.of("report", "-o", target.toString(), CAPTURE.toString());
        assertEquals(ExitCode.OK, r.exit(), r.toString());
        assertTrue(Files.readString(target).endsWith("</html>\n"));
        try (var files = Files.list(dir)) {
            assertEquals(java.util.List.of(target), files.toList());
        }
    }

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
