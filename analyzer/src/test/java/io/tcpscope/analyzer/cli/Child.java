package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * tcpscope in a JVM of its own (as {@code PipeEdgesTest} starts it: this JVM's java and
 * class path, {@link Main}), for what only a process shows: signals, exit codes of a signal's
 * shutdown, closed pipes.
 */
final class Child {
    /** Generous: waits end as soon as their condition holds; only a failure waits this long. */
    static final long PATIENCE_SECONDS = 120;

    private Child() {
    }

    static ProcessBuilder tcpscope(String... args) {
        return tcpscope(List.of(), args);
    }

    /** With JVM options ({@code -Dname=value}) before the class. */
    static ProcessBuilder tcpscope(List<String> jvmOptions, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /**
     * {@code tcpscope analyze ARGS IN} in a child JVM with heap option {@code heap} (e.g.
     * {@code -Xmx48m}), C1 only: it must exit 0 without running out of memory. Standard error
     * goes to {@code err}; returns the lines written to {@code out}.
     */
    static List<String> analyzeInHeap(String heap, Path in, Path out, Path err, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("analyze"));
        command.addAll(List.of(args));
        command.add(in.toString());
        Process p = tcpscope(List.of(heap, "-XX:TieredStopAtLevel=1"), command.toArray(String[]::new))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the child JVM finished");
        String errText = Files.readString(err);
        assertEquals(ExitCode.OK, p.exitValue(), errText);
        assertFalse(errText.contains("out of memory"), errText);
        return Files.readAllLines(out, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Polls {@code condition} every 20 ms until it holds; fails after {@link #PATIENCE_SECONDS}. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "gave up waiting: " + what);
            Thread.sleep(20);
        }
    }

    /** The file's text, or "" while it does not exist. */
    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * How far the process has read {@code file}: the offset of its descriptor on it
     * ({@code /proc/PID/fdinfo}, Linux), or -1 when it has none open.
     */
    static long readOffset(Process p, Path file) {
        Path fds = Path.of("/proc", Long.toString(p.pid()), "fd");
        try (var list = Files.list(fds)) {
            for (Path fd : (Iterable<Path>) list::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).equals(file.toAbsolutePath())) {
                        for (String line : Files.readAllLines(fds.resolveSibling("fdinfo").resolve(fd.getFileName()))) {
                            if (line.startsWith("pos:")) {
                                return Long.parseLong(line.substring(4).trim());
                            }
                        }
                    }
                } catch (IOException | RuntimeException gone) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Whether a thread of the process sleeps in a pipe read ({@code /proc/PID/task/TID/wchan}:
     * {@code pipe_read}, {@code anon_pipe_read}, older kernels {@code pipe_wait}): it has read
     * everything the pipe held and waits for more.
     */
    static boolean blockedOnPipe(Process p) {
        return sleepsIn(p, "pipe_read", "pipe_wait");
    }

    /** Whether a thread of the process sleeps in a kernel function whose name contains one of {@code names}. */
    static boolean sleepsIn(Process p, String... names) {
        try (var tasks = Files.list(Path.of("/proc", Long.toString(p.pid()), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String wchan = read(task.resolve("wchan"));
                for (String name : names) {
                    if (wchan.contains(name)) {
                        return true;
                    }
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** Sends a signal by name ({@code INT}, {@code TERM}) with kill(1). */
    static void signal(Process p, String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).inheritIO().start();
        assertTrue(kill.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + name);
    }

    /** Waits for the process to end; its exit code. */
    static int exit(Process p) throws InterruptedException {
        assertTrue(p.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS), "the child did not end");
        return p.exitValue();
    }
}
