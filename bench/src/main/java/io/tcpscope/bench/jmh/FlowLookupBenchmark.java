package io.tcpscope.bench.jmh;

import io.tcpscope.analyzer.flow.FlowKey;
import io.tcpscope.analyzer.flow.FlowTable;
import io.tcpscope.analyzer.tcp.Connection;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One {@link FlowTable#find} of a live connection, keys in a random order, half of them in
 * the reverse direction (server to client), with {@code flows} connections in the table:
 * 2,000 (the reference file's open connections, cache-resident) and 200,000 (cache misses).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FlowLookupBenchmark {
    @Param({"2000", "200000"})
    public int flows;

    private FlowTable table;
    private final FlowKey key = new FlowKey();
    private long[] aLo;
    private int[] aPort;
    private long[] bLo;
    private int[] bPort;
    private int next;

    @Setup
    public void fill() {
        table = new FlowTable(FlowTable.DEFAULT_MAX_CONNECTIONS);
        aLo = new long[flows];
        aPort = new int[flows];
        bLo = new long[flows];
        bPort = new int[flows];
        SplittableRandom random = new SplittableRandom(1);
        int[] order = new int[flows];
        for (int i = 0; i < flows; i++) {
            order[i] = i;
        }
        for (int i = flows - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int i = 0; i < flows; i++) {
            long client = Integer.toUnsignedLong(Traffic.clientIp(i));
            int port = Traffic.clientPort(i);
            table.add(key.set(4, 0, client, port, 0, Integer.toUnsignedLong(Traffic.SERVER), 80),
                    new Connection(i, false, 4, 0, client, port, 0, Integer.toUnsignedLong(Traffic.SERVER), 80, 1, 0));
            int k = order[i];
            boolean reverse = (i & 1) == 1;
            long ck = Integer.toUnsignedLong(Traffic.clientIp(k));
            int pk = Traffic.clientPort(k);
            aLo[i] = reverse ? Integer.toUnsignedLong(Traffic.SERVER) : ck;
            aPort[i] = reverse ? 80 : pk;
            bLo[i] = reverse ? ck : Integer.toUnsignedLong(Traffic.SERVER);
            bPort[i] = reverse ? pk : 80;
        }
    }

    @Benchmark
    public int find() {
        int i = next;
        next = i + 1 == flows ? 0 : i + 1;
        return table.find(key.set(4, 0, aLo[i], aPort[i], 0, bLo[i], bPort[i]));
    }
}
