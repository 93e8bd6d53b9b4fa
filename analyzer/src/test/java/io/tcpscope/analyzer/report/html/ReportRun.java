package io.tcpscope.analyzer.report.html;

import io.tcpscope.analyzer.engine.AnalysisSummary;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.engine.Pipeline;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.PacketSource;
import io.tcpscope.capture.file.CaptureFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** One fixture through the pipeline with the report's observers: its records (id order) and summary. */
record ReportRun(List<ConnectionRecord> records, AnalysisSummary summary) {

    static Path capture(String fixture) {
        return Path.of(System.getProperty("tcpscope.fixtures", "../fixtures"), fixture, "capture.pcap");
    }

    static ReportRun of(String fixture) throws Exception {
        List<ConnectionRecord> records = new ArrayList<>();
        Pipeline p = new Pipeline(OsProfile.LINUX, Pipeline.Settings.defaults(), records::add, HtmlReport.observers());
        try (PacketSource source = CaptureFiles.open(capture(fixture))) {
            Frame f;
            while ((f = source.next()) != null) {
                p.onFrame(f);
            }
        }
        p.finish();
        records.sort(Comparator.comparingLong(ConnectionRecord::id));
        return new ReportRun(records, p.summary());
    }
}
