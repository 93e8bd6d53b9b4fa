package io.tcpscope.bench.jmh;

import io.tcpscope.analyzer.engine.Pipeline;
import io.tcpscope.analyzer.tcp.OsProfile;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One in-order segment through {@link Analyzer#onFrame} on an established connection:
 * decode, flow lookup, LRU touch, sequence tracking and both endpoints' state machines
 * (subtract {@link DecodeBenchmark} and {@link FlowLookupBenchmark} for the tracker alone).
 * Each invocation is one request/response exchange (4 segments, one of them full-size) on
 * the next of {@code connections} open connections, round robin. Expected allocation: 0
 * bytes per segment (STYLE rule 5; {@code InOrderAllocationTest} asserts it).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TrackerBenchmark {
    @Param({"2000", "200000"})
    public int connections;

    private Traffic traffic;
    private int next;

    @Setup
    public void open() {
        Pipeline analyzer = new Pipeline(OsProfile.LINUX, Pipeline.Settings.defaults(), c -> { });
        traffic = new Traffic(analyzer, connections);
        traffic.handshakes();
    }

    @Benchmark
    @OperationsPerInvocation(4)
    public void segment() {
        int i = next;
        next = i + 1 == connections ? 0 : i + 1;
        traffic.exchange(i);
    }
}
