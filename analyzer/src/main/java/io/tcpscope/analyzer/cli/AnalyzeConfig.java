package io.tcpscope.analyzer.cli;

import java.nio.file.Path;

/**
 * A validated {@code tcpscope analyze} command line.
 *
 * @param timelineId connection id for --timeline, or -1
 */
public record AnalyzeConfig(Path capture, String bpfFilter, OutputFormat format, long stuckAfterNanos,
                            long timelineId, int maxConnections) {
}
