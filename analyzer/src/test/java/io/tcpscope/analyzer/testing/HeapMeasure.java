package io.tcpscope.analyzer.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Heap measurements for the memory tests, made in a JVM of their own with the launcher's
 * collector ({@code -XX:+UseSerialGC}, see {@code ./tcpscope}): the test JVM's default G1
 * counts whole regions, so that large arrays (the flow table's) add up to a region each of
 * slack, and the figure would not be the one a user's run has.
 */
public final class HeapMeasure {
    private HeapMeasure() {
    }

    /**
     * Opens every jar of the class path now (a lookup of a name none holds), so that their
     * directories, which the class loader keeps in the heap, are there before a measurement
     * starts rather than made by the first lookup that misses during it.
     */
    public static void openClassPath() {
        try {
            java.util.Enumeration<java.net.URL> none = ClassLoader.getSystemClassLoader()
                    .getResources("io/tcpscope/heap-measure-none");
            while (none.hasMoreElements()) {
                none.nextElement();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Heap in use after GC: the least of five readings, each after a {@link System#gc()} (a
     * collection the JVM defers, or garbage a JIT thread left, would only raise one reading).
     */
    public static long usedAfterGc() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    /**
     * Runs {@code main} of {@code measurement} in a new JVM (Serial GC, 2 GB heap, this JVM's
     * class path) and returns what it printed on its last line.
     */
    public static String forked(Class<?> measurement, String... args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xmx2g", "-cp",
                System.getProperty("java.class.path"), measurement.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("measurement did not end: " + command);
        }
        String text = new String(out, StandardCharsets.UTF_8).strip();
        if (p.exitValue() != 0) {
            throw new IllegalStateException("measurement exited with " + p.exitValue() + ": " + text);
        }
        String[] lines = text.split("\n");
        return lines[lines.length - 1].strip();
    }
}
