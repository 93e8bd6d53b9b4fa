package io.tcpscope.bench.jmh;

import io.tcpscope.analyzer.bench.TcpFrameBuilder;
import io.tcpscope.analyzer.decode.DecodeResult;
import io.tcpscope.analyzer.decode.PacketDecoder;
import io.tcpscope.analyzer.decode.TcpSegment;
import io.tcpscope.capture.LinkType;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One frame decoded (Ethernet / IPv4 / TCP with options) into the reused {@link TcpSegment}:
 * the frames cycle through a SYN with options, a full-size data segment and a pure ACK.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecodeBenchmark {
    private final PacketDecoder decoder = new PacketDecoder();
    private final TcpSegment segment = new TcpSegment();
    private byte[][] frames;
    private int[] lengths;
    private int next;

    @Setup
    public void build() {
        TcpFrameBuilder b = new TcpFrameBuilder();
        int[][] shapes = {{TcpSegment.SYN, 0}, {TcpSegment.ACK | TcpSegment.PSH, TcpFrameBuilder.MAX_PAYLOAD},
            {TcpSegment.ACK, 0}, {TcpSegment.ACK | TcpSegment.PSH, 300}};
        frames = new byte[shapes.length][];
        lengths = new int[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            lengths[i] = b.build(0x0a000001, 40000, 0xc0a80101, 80, 1000 * i, 77, shapes[i][0], 502, shapes[i][1], i);
            frames[i] = Arrays.copyOf(b.buffer(), lengths[i]);
        }
    }

    @Benchmark
    public int decode() {
        int i = next;
        next = (i + 1) & 3;
        DecodeResult r = decoder.decode(frames[i], 0, lengths[i], LinkType.ETHERNET, segment);
        return r.ordinal() + segment.seq + segment.payloadLength;
    }
}
