package io.tcpscope.analyzer.cli;

import io.tcpscope.analyzer.report.JsonlReport;
import io.tcpscope.analyzer.report.ReorderBuffer;
import io.tcpscope.analyzer.report.Report;
import io.tcpscope.analyzer.report.TextReport;
import java.io.PrintStream;

/** The output formats {@code --format} accepts. */
public enum OutputFormat {
    TEXT, JSONL;

    public static OutputFormat parse(String text) throws UsageException {
        switch (text) {
            case "text": return TEXT;
            case "jsonl": return JSONL;
            default: throw new UsageException("invalid --format '" + text + "' (use text or jsonl)");
        }
    }

    public Report newReport(PrintStream out, String source) {
        return newReport(out, source, Report.Order.ID, ReorderBuffer.DEFAULT_MEMORY_CHARS);
    }

    public Report newReport(PrintStream out, String source, Report.Order order, long memoryChars) {
        return this == TEXT ? new TextReport(out, source, true, order, memoryChars)
                : new JsonlReport(out, source, order, memoryChars);
    }
}
