package io.tcpscope.analyzer.cli;

import io.tcpscope.analyzer.diagnosis.Diagnoser;
import io.tcpscope.analyzer.diagnosis.Diagnosis;
import io.tcpscope.analyzer.decode.DecodeResult;
import io.tcpscope.analyzer.engine.AnalysisSummary;
import io.tcpscope.analyzer.engine.Analyzer;
import io.tcpscope.analyzer.report.Alerts;
import io.tcpscope.analyzer.report.Report;
import io.tcpscope.analyzer.report.TimelineReport;
import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.LinkType;
import io.tcpscope.capture.PacketSource;
import io.tcpscope.capture.ffi.LibpcapSource;
import io.tcpscope.capture.file.CaptureFiles;
import io.tcpscope.capture.file.CaptureSet;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@code tcpscope analyze}: reads a capture (one file, or several as one) and reports every connection. */
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
        List<Connection> finished = new ArrayList<>();
        Analyzer analyzer = new Analyzer(OsProfile.LINUX, config.maxConnections(), finished::add);
        String damage;
        int firstUnsupportedLinkType = -1;
        String name;
        List<CaptureSet.Member> files = List.of();
        try (PacketSource source = open(config)) {
            name = source.description();
            if (source instanceof CaptureSet && ((CaptureSet) source).files().size() > 1) {
                files = ((CaptureSet) source).files();
            }
            Frame frame;
            while (!stop.requested() && (frame = source.next()) != null) {
                analyzer.onFrame(frame);
                if (firstUnsupportedLinkType < 0 && analyzer.summary().tcpFrames() == 0
                        && !LinkType.isSupported(frame.linkType())) {
                    firstUnsupportedLinkType = frame.linkType();
                }
            }
            damage = source.damage();
        }
        analyzer.finish();
        AnalysisSummary summary = analyzer.summary();
        summary.damage(damage);
        summary.interrupted(stop.requested());
        if (summary.frames() > 0 && summary.skipped(DecodeResult.UNSUPPORTED_LINK_TYPE) == summary.frames()) {
            throw new CaptureException(CaptureException.Kind.UNSUPPORTED_LINK_TYPE, name
                    + ": unsupported link type " + LinkType.name(firstUnsupportedLinkType)
                    + "; tcpscope reads Ethernet, Linux cooked (SLL, SLL2), raw IP and BSD loopback captures");
        }
        finished.sort(Comparator.comparingLong(Connection::id));
        Diagnoser diagnoser = new Diagnoser(config.stuckAfterNanos());
        long now = summary.lastNanos();
        if (config.timelineId() >= 0) {
            for (Connection c : finished) {
                if (c.id() == config.timelineId()) {
                    TimelineReport.print(out, c, diagnoser.diagnose(c, now));
                    out.flush();
                    return reportDamage(name, files, damage, summary);
                }
            }
            err.println("tcpscope: no connection " + config.timelineId() + " in " + name + " ("
                    + finished.size() + " connections, ids 0-" + (finished.size() - 1) + ")");
            return ExitCode.USAGE;
        }
        Report report = config.format().newReport(out, name);
        if (!files.isEmpty()) {
            report.captureFiles(files);
        }
        Alerts alerts = new Alerts();
        for (Connection c : finished) {
            List<Diagnosis> diagnoses = diagnoser.diagnose(c, now);
            alerts.add(c.id(), diagnoses);
            report.connection(c, diagnoses);
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
