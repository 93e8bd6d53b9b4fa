package io.tcpscope.analyzer.cli;

import io.tcpscope.analyzer.engine.ConnectionObserver;
import io.tcpscope.analyzer.report.CsvReport;
import io.tcpscope.analyzer.report.JsonlReport;
import io.tcpscope.analyzer.report.ReorderBuffer;
import io.tcpscope.analyzer.report.Report;
import io.tcpscope.analyzer.report.TextReport;
import io.tcpscope.analyzer.report.ZeekReport;
import java.io.PrintStream;
import java.util.List;

/** The output formats {@code --format} accepts. */
public enum OutputFormat {
    TEXT, JSONL, ZEEK, CSV;

    public static OutputFormat parse(String text) throws UsageException {
        switch (text) {
            case "text": return TEXT;
            case "jsonl": return JSONL;
            case "zeek": return ZEEK;
            case "csv": return CSV;
            default: throw new UsageException("invalid --format '" + text + "' (use text, jsonl, zeek or csv)");
        }
    }

    public Report newReport(PrintStream out, String source) {
        return newReport(out, source, Report.Order.ID, ReorderBuffer.DEFAULT_MEMORY_CHARS);
    }

    public Report newReport(PrintStream out, String source, Report.Order order, long memoryChars) {
        return switch (this) {
            case TEXT -> new TextReport(out, source, true, order, memoryChars);
            case JSONL -> new JsonlReport(out, source, order, memoryChars);
            case ZEEK -> new ZeekReport(out, order, memoryChars);
            case CSV -> new CsvReport(out, order, memoryChars);
        };
    }

    /** The per-connection observers the format's report needs from the pipeline (none for most). */
    public List<ConnectionObserver.Factory> observers() {
        return this == ZEEK ? ZeekReport.observers() : List.of();
    }
}
