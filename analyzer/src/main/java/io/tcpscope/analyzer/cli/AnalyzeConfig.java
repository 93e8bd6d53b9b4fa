package io.tcpscope.analyzer.cli;

import io.tcpscope.analyzer.engine.Pipeline;
import io.tcpscope.analyzer.report.ReorderBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * A validated {@code tcpscope analyze} command line.
 *
 * @param captures         the CAPTURE arguments and {@code -r} files, in the order given: files,
 *                         directories, {@code -} for standard input; read as one capture
 *                         ({@code CaptureFiles.open(List)})
 * @param timelineId       connection id for --timeline, or -1
 * @param idleTimeoutNanos a connection silent this long (capture time) is reported and forgotten
 * @param reorderChars     bound on rendered output held in memory to keep id order (then a temp file)
 * @param threads          1 (default): read, decode and analyze on one thread; 2: read and decode on a
 *                         second thread ({@code --threads}; the output is the same)
 */
public record AnalyzeConfig(List<Path> captures, String bpfFilter, OutputFormat format, long stuckAfterNanos,
                            long timelineId, int maxConnections, long idleTimeoutNanos, long reorderChars,
                            int threads) {
    /**
     * Default of {@code --threads}: one. On the shared 2-vCPU machine it was measured on (load
     * average 10-13 from other work), a second thread cost 0.3-1 s more CPU on the reference
     * file and won no wall time (BENCHMARKS.md); with a free core, {@code --threads 2} takes
     * the read and decode (about 15% of the work) off the analysis thread.
     */
    public static final int DEFAULT_THREADS = 1;

    public AnalyzeConfig {
        captures = List.copyOf(captures);
        if (captures.isEmpty()) {
            throw new IllegalArgumentException("no capture");
        }
        if (threads != 1 && threads != 2) {
            throw new IllegalArgumentException("threads " + threads);
        }
    }

    /** With the default {@link #DEFAULT_THREADS}. */
    public AnalyzeConfig(List<Path> captures, String bpfFilter, OutputFormat format, long stuckAfterNanos,
                         long timelineId, int maxConnections, long idleTimeoutNanos, long reorderChars) {
        this(captures, bpfFilter, format, stuckAfterNanos, timelineId, maxConnections, idleTimeoutNanos, reorderChars,
                DEFAULT_THREADS);
    }

    public AnalyzeConfig withThreads(int n) {
        return new AnalyzeConfig(captures, bpfFilter, format, stuckAfterNanos, timelineId, maxConnections,
                idleTimeoutNanos, reorderChars, n);
    }

    /** One capture file, with the default idle timeout and reorder bound (tools that read a single file, e.g. bench). */
    public AnalyzeConfig(Path capture, String bpfFilter, OutputFormat format, long stuckAfterNanos, long timelineId,
                         int maxConnections) {
        this(List.of(capture), bpfFilter, format, stuckAfterNanos, timelineId, maxConnections,
                Pipeline.Settings.DEFAULT_IDLE_TIMEOUT_NANOS, ReorderBuffer.DEFAULT_MEMORY_CHARS);
    }

    /** The first capture given: the one for messages about a single file. */
    public Path capture() {
        return captures.get(0);
    }

    /** Whether the input is exactly one path (a file, a directory or {@code -}). */
    public boolean singleInput() {
        return captures.size() == 1;
    }

    /** The pipeline's settings for this command line. */
    public Pipeline.Settings settings() {
        return Pipeline.Settings.of(maxConnections, idleTimeoutNanos, stuckAfterNanos);
    }
}
