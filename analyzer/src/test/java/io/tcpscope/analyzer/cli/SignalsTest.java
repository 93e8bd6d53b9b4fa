package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIGTERM and SIGPIPE for every command that writes, each in its own JVM: a standard output
 * whose reader is gone before the first byte is written ends quietly with 141; SIGTERM while
 * the command is blocked reading a FIFO (its writer still open, everything it wrote read)
 * gives the same output as the command on the whole file, complete, and exit 143.
 * ({@code PipeEdgesTest} has analyze's jsonl on a FIFO and {@code | head}; {@code
 * FollowSignalTest} the followed file.)
 */
@EnabledOnOs(OS.LINUX) // /proc/PID/task/TID/wchan
class SignalsTest {
    static final Path FIXTURE = CliRun.fixture("stuck-fin-wait-2");

    @TempDir
    Path tmp;

    static List<String> args(String command, Path capture) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.add(capture.toString());
        return args;
    }

    @ParameterizedTest
    @ValueSource(strings = {"analyze", "analyze --format jsonl", "analyze --format csv", "analyze --format zeek",
            "stuck", "stuck --format jsonl", "ladder --conn 0", "ladder --conn 0 --format svg", "report -o /dev/stdout"})
    void aClosedStandardOutputEndsQuietlyWith141(String command) throws Exception {
        Path err = tmp.resolve("err.txt");
        Process p = Child.tcpscope(args(command, FIXTURE).toArray(String[]::new)).redirectError(err.toFile()).start();
        p.getInputStream().close(); // the reader went away before the first byte
        assertEquals(ExitCode.BROKEN_PIPE, Child.exit(p), Child.read(err));
        assertEquals("", Child.read(err));
    }

    /**
     * SIGTERM while the output cannot be written (a reader that reads nothing): the shutdown
     * waits for the results as long as {@code tcpscope.flushWaitSeconds} says (1 s here, 10
     * by default), then says in one line that the output is cut, and the JVM ends with 143.
     */
    @org.junit.jupiter.api.Test
    void aSignalWhoseResultsCannotBeWrittenSaysTheOutputIsCut() throws Exception {
        Path capture = tmp.resolve("big.pcap");
        io.tcpscope.analyzer.bench.SyntheticCapture.write(capture, 3000, 8,
                io.tcpscope.analyzer.bench.SyntheticCapture.DEFAULT_SEED);
        Path err = tmp.resolve("err.txt");
        Process p = Child.tcpscope(List.of("-D" + StopSignal.FLUSH_WAIT_PROPERTY + "=1"), "analyze", "--format", "jsonl",
                capture.toString()).redirectError(err.toFile()).start();
        try {
            Child.await("the child blocked writing to its full stdout pipe", () -> Child.sleepsIn(p, "pipe_write"));
            Child.signal(p, "TERM"); // (Process.destroy() would close our end of the pipe first: a broken pipe)
            int code = Child.exit(p);
            assertEquals(143, code, Child.read(err));
            assertEquals("tcpscope: the results were not all written within 1 s of the signal: the output is cut there"
                    + " (-Dtcpscope.flushWaitSeconds=N in JAVA_OPTS waits longer)\n", Child.read(err));
        } finally {
            p.getInputStream().close();
            p.destroyForcibly();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"analyze", "analyze --format jsonl", "analyze --threads 2 --format jsonl", "analyze --format csv",
            "analyze --format zeek", "stuck", "stuck --format jsonl", "ladder --conn 0", "report -o REPORT"})
    void sigtermDuringABlockedReadWritesTheWholeResult(String command) throws Exception {
        assumeTrue(new File("/usr/bin/mkfifo").canExecute());
        Path fifo = tmp.resolve("capture.fifo");
        assertEquals(0, new ProcessBuilder("/usr/bin/mkfifo", fifo.toString()).start().waitFor());
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        Path report = tmp.resolve("report.html");
        Path plainReport = tmp.resolve("plain.html");
        String cmd = command.replace("REPORT", report.toString());
        Process p = Child.tcpscope(args(cmd, fifo).toArray(String[]::new)).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        try (OutputStream writer = Files.newOutputStream(fifo)) { // opens once the child has opened it
            writer.write(Files.readAllBytes(FIXTURE));
            writer.flush();
            Child.await("the child blocked reading the FIFO", () -> Child.blockedOnPipe(p));
            p.destroy(); // SIGTERM
            assertEquals(143, Child.exit(p), Child.read(err));
        }
        CliRun plain = CliRun.of(args(command.replace("REPORT", plainReport.toString()), FIXTURE).toArray(String[]::new));
        String expected = command.startsWith("report") ? Files.readString(plainReport) : plain.out();
        String got = command.startsWith("report") ? Files.readString(report) : Child.read(out);
        got = got.replace(fifo.toString(), FIXTURE.toString());
        if (command.equals("analyze")) {
            // the text summary says it was interrupted; everything else is as for the whole file
            assertTrue(got.contains("\nINTERRUPTED"), got);
            got = got.lines().filter(l -> !l.startsWith("INTERRUPTED")).map(l -> l + "\n").reduce("", String::concat);
        }
        if (command.contains("jsonl") && command.startsWith("analyze")) {
            assertTrue(got.contains("\"interrupted\":true"), got);
            got = got.replace("\"interrupted\":true", "\"interrupted\":false");
        }
        assertEquals(expected, got);
        assertTrue(Child.read(err).startsWith("tcpscope: interrupted"), Child.read(err));
    }
}
