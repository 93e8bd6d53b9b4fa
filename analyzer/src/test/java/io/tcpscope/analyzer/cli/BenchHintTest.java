package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code bench} moved to its own jar (bench/): the analyzer's jar says where it went. */
class BenchHintTest {
    @Test
    void benchAskedOfTheAnalyzerJarIsAUsageErrorThatNamesTheBenchJar() {
        CliRun r = CliRun.of("bench", "--generate", "/tmp/never-written.pcap");
        assertEquals(ExitCode.USAGE, r.exit());
        assertEquals("", r.out());
        assertTrue(r.errLines().get(0).startsWith("tcpscope: bench is not in this jar: run './tcpscope bench ...'"),
                r.err());
        assertTrue(r.err().contains("bench/target/tcpscope-bench.jar"), r.err());
    }
}
