package io.tcpscope.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After {@code package}: {@code cluster/tcpscope-cluster} (what {@code ./tcpscope cluster}
 * runs) with the shaded jar, the Spark classpath file and the JVM flags, in a child process,
 * over a directory holding a plain, a gzip and an lz4 capture (the compression libraries are
 * shaded and relocated: this is where a missing one shows).
 */
class ClusterLauncherIT {
    private static final Path FIXTURES = Path.of(System.getProperty("tcpscope.fixtures", "../fixtures"));

    @TempDir
    Path tmp;

    @Test
    void launcherRunsTheJobOverCompressedFiles() throws Exception {
        Path in = Files.createDirectory(tmp.resolve("in"));
        Files.copy(FIXTURES.resolve("close-by-client/capture.pcap"), in.resolve("a.pcap"));
        try (OutputStream o = new java.util.zip.GZIPOutputStream(Files.newOutputStream(in.resolve("b.pcap.gz")))) {
            Files.copy(FIXTURES.resolve("refused/capture.pcap"), o);
        }
        try (OutputStream o = new org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorOutputStream(
                Files.newOutputStream(in.resolve("c.pcap.lz4")))) {
            Files.copy(FIXTURES.resolve("half-close/capture.pcap"), o);
        }
        Path out = tmp.resolve("out");
        Path log = tmp.resolve("log");
        Process p = new ProcessBuilder(List.of(FIXTURES.resolve("../cluster/tcpscope-cluster").toString(),
                "--master", "local[2]", "--output", out.toString(), in.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "launcher did not finish");
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), output);
        String summary = Files.readString(out.resolve("summary.json"), StandardCharsets.UTF_8);
        assertTrue(summary.contains("\"source\":\"3 files\""), summary);
        assertTrue(summary.contains("\"connections\":3,"), summary);
        assertTrue(summary.contains("\"damage\":null"), summary);
    }
}
