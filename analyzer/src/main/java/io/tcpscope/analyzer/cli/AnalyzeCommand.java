package io.tcpscope.analyzer.cli;

import io.tcpscope.analyzer.decode.DecodeResult;
import io.tcpscope.analyzer.engine.AnalysisSummary;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.engine.Pipeline;
import io.tcpscope.analyzer.engine.RecordSink;
import io.tcpscope.analyzer.report.Alerts;
import io.tcpscope.analyzer.report.Report;
import io.tcpscope.analyzer.report.TimelineReport;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.LinkType;
import io.tcpscope.capture.PacketSource;
import io.tcpscope.capture.ffi.LibpcapSource;
import io.tcpscope.capture.file.CaptureFiles;
import io.tcpscope.capture.file.CaptureSet;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code tcpscope analyze}: reads a capture (one file, or several as one) through the
 * {@link Pipeline} and reports every connection's record, in id order (the report's bounded
 * reorder buffer).
 */
public final class AnalyzeCommand {
    private final AnalyzeConfig config;
    private final PrintStream out;
    private final PrintStream err;
    private final StopSignal stop;

    public AnalyzeCommand(AnalyzeConfig config, PrintStream out, PrintStream err, StopSignal stop) {
        this.config = config;
        this.out = out;
        this.err = err;
        this.stop = stop;
    }

    /**
     * Opens the captures with the pure-Java reader ({@link CaptureFiles#open(List)}: one file,
     * several merged, a directory, {@code -}, compressed or not); through libpcap for a BPF
     * filter (one file or {@code -}), or when a single file's magic is neither pcap, pcapng
     * nor a compression (a format only libpcap may read). A pcap or pcapng file the Java
     * reader rejects as broken is not retried: libpcap versions differ in what they let through.
     */
    static PacketSource open(AnalyzeConfig config) throws CaptureException {
        if (config.bpfFilter() != null) {
            return LibpcapSource.openOffline(config.capture(), config.bpfFilter());
        }
        try {
            return CaptureFiles.open(config.captures());
        } catch (CaptureException javaReaderError) {
            if (javaReaderError.kind() != CaptureException.Kind.UNKNOWN_FORMAT || !config.singleInput()
                    || CaptureFiles.isStandardInput(config.capture())) {
                throw javaReaderError;
            }
            try {
                return LibpcapSource.openOffline(config.capture(), null);
            } catch (CaptureException libpcapError) {
                throw javaReaderError;
            }
        }
    }

    /** @return the process exit code */
    public int run() throws CaptureException {
        ConnectionRecord[] wanted = new ConnectionRecord[1];
        Alerts alerts = new Alerts();
        Report report = null;
        String damage;
        int firstUnsupportedLinkType = -1;
        String name;
        List<CaptureSet.Member> files = List.of();
        Pipeline pipeline;
        try (PacketSource source = open(config)) {
            name = source.description();
            if (source instanceof CaptureSet && ((CaptureSet) source).files().size() > 1) {
                files = ((CaptureSet) source).files();
            }
            RecordSink sink;
            if (config.timelineId() >= 0) {
                sink = r -> {
                    if (r.id() == config.timelineId()) {
                        wanted[0] = r;
                    }
                };
            } else {
                Report r = config.format().newReport(out, name, Report.Order.ID, config.reorderChars());
                report = r;
                sink = record -> {
                    alerts.record(record);
                    r.record(record);
                };
            }
            pipeline = new Pipeline(OsProfile.LINUX, config.settings(), sink, config.format().observers());
            Frame frame;
            while (!stop.requested() && (frame = source.next()) != null) {
                pipeline.onFrame(frame);
                if (firstUnsupportedLinkType < 0 && pipeline.summary().tcpFrames() == 0
                        && !LinkType.isSupported(frame.linkType())) {
                    firstUnsupportedLinkType = frame.linkType();
                }
            }
            damage = source.damage();
        }
        AnalysisSummary summary = pipeline.summary();
        if (summary.frames() > 0 && summary.skipped(DecodeResult.UNSUPPORTED_LINK_TYPE) == summary.frames()) {
            throw new CaptureException(CaptureException.Kind.UNSUPPORTED_LINK_TYPE, name
                    + ": unsupported link type " + LinkType.name(firstUnsupportedLinkType)
                    + "; tcpscope reads Ethernet, Linux cooked (SLL, SLL2), raw IP and BSD loopback captures");
        }
        pipeline.finish();
        summary.damage(damage);
        summary.interrupted(stop.requested());
        if (config.timelineId() >= 0) {
            if (wanted[0] != null) {
                TimelineReport.print(out, wanted[0]);
                out.flush();
                return reportDamage(name, files, damage, summary);
            }
            err.println("tcpscope: no connection " + config.timelineId() + " in " + name + " ("
                    + summary.connections() + " connections, ids 0-" + (summary.connections() - 1) + ")");
            return ExitCode.USAGE;
        }
        if (!files.isEmpty()) {
            report.captureFiles(files);
        }
        report.summary(summary, alerts);
        report.flush();
        if (out.checkError()) {
            err.println("tcpscope: error writing the output");
            return ExitCode.OUTPUT;
        }
        if (stop.requested()) {
            err.println("tcpscope: interrupted after " + summary.frames() + " frames; results so far were written");
            return ExitCode.INTERRUPTED;
        }
        return reportDamage(name, files, damage, summary);
    }

    /** One warning line per damaged file (each file of a set that has damage). */
    private int reportDamage(String name, List<CaptureSet.Member> files, String damage, AnalysisSummary summary) {
        if (damage == null) {
            return ExitCode.OK;
        }
        if (files.isEmpty()) {
            err.println("tcpscope: warning: " + name + ": " + damage + "; analyzed the " + summary.frames()
                    + " frames before it");
        }
        for (CaptureSet.Member f : files) {
            if (f.damage() != null) {
                err.println("tcpscope: warning: " + f.path() + ": " + f.damage() + "; analyzed the " + f.frames()
                        + " frames before it (and the other files)");
            }
        }
        return ExitCode.DAMAGED;
    }
}
