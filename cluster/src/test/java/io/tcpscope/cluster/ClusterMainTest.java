package io.tcpscope.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.cli.ExitCode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tcpscope cluster}'s command line: one line and an exit code for each mistake a user can make. */
class ClusterMainTest {
    private static final Path FIXTURES = Path.of(System.getProperty("tcpscope.fixtures", "../fixtures"));
    private static SparkSession spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("ClusterMainTest")
                .config("spark.ui.enabled", "false").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private record Run(int code, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ClusterMain.run(args, new PrintStream(err, true, StandardCharsets.UTF_8), spark);
        return new Run(code, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void usageMistakes() {
        Run r = run("--output");
        assertEquals(ExitCode.USAGE, r.code());
        assertTrue(r.err().startsWith("tcpscope: cluster: --output needs a value\nusage: tcpscope cluster"), r.err());
        assertEquals(ExitCode.USAGE, run("x.pcap").code());
        assertEquals(ExitCode.USAGE, run("--output", "d").code());
        assertEquals(ExitCode.USAGE, run("--format", "csv", "--output", "d", "x.pcap").code());
        assertEquals(ExitCode.USAGE, run("--partitions", "0", "--output", "d", "x.pcap").code());
        assertEquals(ExitCode.USAGE, run("--stuck-after", "soon", "--output", "d", "x.pcap").code());
        assertEquals(ExitCode.USAGE, run("--bogus", "1", "--output", "d", "x.pcap").code());
    }

    @Test
    void missingInputExistingOutputDamagedFile() throws Exception {
        Run missing = run("--output", tmp.resolve("a").toString(), tmp.resolve("nope.pcap").toString());
        assertEquals(3, missing.code());
        assertEquals("tcpscope: " + tmp.resolve("nope.pcap") + ": no such file or directory\n", missing.err());

        String capture = FIXTURES.resolve("refused/capture.pcap").toString();
        Path out = tmp.resolve("b");
        assertEquals(ExitCode.OK, run("--output", out.toString(), capture).code());
        assertTrue(Files.readString(out.resolve("summary.json")).contains("\"source\":\"" + capture + "\""));
        Run again = run("--output", out.toString(), capture);
        assertEquals(ExitCode.OUTPUT, again.code());
        assertTrue(again.err().contains("already holds a result"), again.err());

        // a file cut in the middle of a record: analyzed up to the cut, reported, exit 1
        byte[] whole = Files.readAllBytes(FIXTURES.resolve("close-by-client/capture.pcap"));
        Path cut = tmp.resolve("cut.pcap");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 7));
        Run damaged = run("--output", tmp.resolve("c").toString(), cut.toString(), capture);
        assertEquals(ExitCode.DAMAGED, damaged.code(), damaged.err());
        assertTrue(damaged.err().contains("warning: " + cut + ": "), damaged.err());
    }
}
