package io.tcpscope.analyzer.cli;

import io.tcpscope.analyzer.engine.Pipeline;
import io.tcpscope.analyzer.report.ReorderBuffer;
import java.nio.file.Path;

/**
 * A validated {@code tcpscope analyze} command line.
 *
 * @param timelineId       connection id for --timeline, or -1
 * @param idleTimeoutNanos a connection silent this long (capture time) is reported and forgotten
 * @param reorderChars     bound on rendered output held in memory to keep id order (then a temp file)
 */
public record AnalyzeConfig(Path capture, String bpfFilter, OutputFormat format, long stuckAfterNanos,
                            long timelineId, int maxConnections, long idleTimeoutNanos, long reorderChars) {

    /** With the default idle timeout and reorder bound. */
    public AnalyzeConfig(Path capture, String bpfFilter, OutputFormat format, long stuckAfterNanos, long timelineId,
                         int maxConnections) {
        this(capture, bpfFilter, format, stuckAfterNanos, timelineId, maxConnections,
                Pipeline.Settings.DEFAULT_IDLE_TIMEOUT_NANOS, ReorderBuffer.DEFAULT_MEMORY_CHARS);
    }

    /** The pipeline's settings for this command line. */
    public Pipeline.Settings settings() {
        return Pipeline.Settings.of(maxConnections, idleTimeoutNanos, stuckAfterNanos);
    }
}
