package io.tcpscope.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.decode.DecodeResult;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.report.JsonlReport;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JMH benchmarks are never run by the test suite; this only checks that the annotation
 * processor registered them and that each benchmark method works once, called directly.
 */
class JmhSmokeTest {
    @Test
    void theAnnotationProcessorListedEveryBenchmark() throws Exception {
        String list;
        try (InputStream in = JmhSmokeTest.class.getResourceAsStream("/META-INF/BenchmarkList")) {
            assertNotNull(in, "META-INF/BenchmarkList (jmh-generator-annprocess did not run)");
            list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String b : new String[] {"DecodeBenchmark_decode", "FlowLookupBenchmark_find", "TrackerBenchmark_segment",
                "JsonOutputBenchmark_jsonlReport"}) {
            assertTrue(list.contains("io.tcpscope.bench.jmh.jmh_generated." + b + "_jmhTest"), b);
        }
    }

    @Test
    void decodeDecodesTcp() {
        DecodeBenchmark b = new DecodeBenchmark();
        b.build();
        for (int i = 0; i < 8; i++) {
            assertTrue(b.decode() >= DecodeResult.TCP.ordinal());
        }
    }

    @Test
    void everyLookupFindsItsConnectionInEitherDirection() {
        FlowLookupBenchmark b = new FlowLookupBenchmark();
        b.flows = 2000;
        b.fill();
        for (int i = 0; i < 2 * b.flows; i++) {
            assertTrue(b.find() >= 0, "lookup " + i);
        }
    }

    @Test
    void trackerExchangesRun() {
        TrackerBenchmark b = new TrackerBenchmark();
        b.connections = 20;
        b.open();
        for (int i = 0; i < 100; i++) {
            b.segment();
        }
    }

    @Test
    void theJsonBenchmarkWritesRecordsWithDiagnoses() throws Exception {
        List<ConnectionRecord> records = JsonOutputBenchmark.finishedConnections(200);
        assertEquals(200, records.size());
        assertTrue(records.stream().anyMatch(r -> !r.diagnoses().isEmpty()),
                "some records carry a diagnosis (stuck half-closes)");
        JsonOutputBenchmark b = new JsonOutputBenchmark();
        b.analyze();
        b.jsonlReport();
    }
}
