package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.flow.FlowTable;
import io.tcpscope.capture.live.LiveOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Parsing and validation of {@code tcpscope live}'s options (nothing is opened). */
class LiveConfigTest {

    private static LiveConfig parse(String... args) throws UsageException {
        return LiveConfig.of(Main.parse("live", args));
    }

    private static String usageError(String... args) {
        return assertThrows(UsageException.class, () -> parse(args)).getMessage();
    }

    @Test
    void defaults() throws UsageException {
        LiveConfig c = parse("-i", "eth0");
        assertEquals("eth0", c.capture().interfaceName());
        assertEquals(LiveOptions.DEFAULT_SNAPLEN, c.capture().snaplen());
        assertTrue(c.capture().promiscuous());
        assertFalse(c.capture().immediate());
        assertEquals(LiveOptions.DEFAULT_BUFFER_SIZE, c.capture().bufferSizeBytes());
        assertEquals(512, c.capture().snaplen());
        assertEquals(LiveOptions.DEFAULT_READ_TIMEOUT_MILLIS, c.capture().readTimeoutMillis());
        assertNull(c.capture().bpfFilter());
        assertEquals(OutputFormat.TEXT, c.format());
        assertEquals(30_000_000_000L, c.stuckAfterNanos());
        assertEquals(LiveConfig.DEFAULT_IDLE_TIMEOUT_NANOS, c.idleTimeoutNanos());
        assertEquals(0, c.durationNanos());
        assertEquals(0, c.count());
        assertNull(c.write());
        assertEquals(FlowTable.defaultMaxConnections(), c.maxConnections());
    }

    @Test
    void everyOption() throws UsageException {
        LiveConfig c = parse("-i", "veth-a", "-f", "tcp port 80", "--snaplen", "200", "--no-promisc", "-B", "8388608",
                "--duration", "1.5s", "-c", "1000", "-w", "out.pcap", "--stuck-after", "2s", "--format", "jsonl",
                "--max-connections", "5000", "--idle-timeout", "90s");
        assertEquals("veth-a", c.capture().interfaceName());
        assertEquals("tcp port 80", c.capture().bpfFilter());
        assertEquals(200, c.capture().snaplen());
        assertFalse(c.capture().promiscuous());
        assertEquals(8_388_608, c.capture().bufferSizeBytes());
        assertEquals(1_500_000_000L, c.durationNanos());
        assertEquals(1000, c.count());
        assertEquals(Path.of("out.pcap"), c.write());
        assertEquals(2_000_000_000L, c.stuckAfterNanos());
        assertEquals(OutputFormat.JSONL, c.format());
        assertEquals(5000, c.maxConnections());
        assertEquals(90_000_000_000L, c.idleTimeoutNanos());
    }

    @Test
    void longNames() throws UsageException {
        LiveConfig c = parse("--interface", "lo", "--filter", "tcp", "--buffer-size", "1", "--count", "1", "--write", "x.pcap",
                "--promisc");
        assertEquals("lo", c.capture().interfaceName());
        assertTrue(c.capture().promiscuous());
        assertEquals(1, c.capture().bufferSizeBytes());
    }

    @Test
    void invalidValuesAreUsageErrors() {
        assertTrue(usageError().contains("missing -i"));
        assertTrue(usageError("-i", "eth0", "--snaplen", "0").contains("--snaplen"));
        assertTrue(usageError("-i", "eth0", "--snaplen", "262145").contains("--snaplen"));
        assertTrue(usageError("-i", "eth0", "--snaplen", "big").contains("--snaplen"));
        assertTrue(usageError("-i", "eth0", "--promisc", "--no-promisc").contains("exclude"));
        assertTrue(usageError("-i", "eth0", "-B", "0").contains("--buffer-size"));
        assertTrue(usageError("-i", "eth0", "-B", "4294967296").contains("--buffer-size"));
        assertTrue(usageError("-i", "eth0", "--duration", "0s").contains("--duration"));
        assertTrue(usageError("-i", "eth0", "--duration", "soon").contains("invalid duration"));
        assertTrue(usageError("-i", "eth0", "-c", "0").contains("--count"));
        assertTrue(usageError("-i", "eth0", "-c", "-5").contains("--count"));
        assertTrue(usageError("-i", "eth0", "--idle-timeout", "0").contains("--idle-timeout"));
        assertTrue(usageError("-i", "eth0", "--stuck-after", "0ms").contains("--stuck-after"));
        assertTrue(usageError("-i", "eth0", "--format", "xml").contains("--format"));
        assertTrue(usageError("-i", "eth0", "--max-connections", "0").contains("--max-connections"));
        assertTrue(usageError("-i", "eth0", "extra").contains("unexpected argument"));
        assertTrue(usageError("-i", "eth0", "--timeline", "3").contains("Unrecognized option"));
    }

    @Test
    void commandLineExitCodes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(ExitCode.USAGE, Main.run(new String[] {"live"}, o, e, new StopSignal()));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("tcpscope: live: missing -i IFACE"));
        assertEquals(ExitCode.OK, Main.run(new String[] {"live", "--help"}, o, e, new StopSignal()));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--idle-timeout"));
        out.reset();
        assertEquals(ExitCode.OK, Main.run(new String[] {"--help"}, o, e, new StopSignal()));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("live -i IFACE") && help.contains("interfaces"), help);
        assertEquals(ExitCode.USAGE, Main.run(new String[] {"interfaces", "--format", "xml"}, o, e, new StopSignal()));
    }
}
