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
import io.tcpscope.capture.ClockGuard;
import io.tcpscope.capture.FilteredSource;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.LinkType;
import io.tcpscope.capture.PacketSource;
import io.tcpscope.capture.ffi.BpfFrameFilter;
import io.tcpscope.capture.ffi.LibpcapSource;
import io.tcpscope.capture.file.CaptureFiles;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@code tcpscope analyze}: reads a capture file and reports every connection. */
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
     * Opens the file with the pure-Java reader, or through libpcap when its magic is neither
     * pcap nor pcapng (a format only libpcap may read). A pcap or pcapng file the Java reader
     * rejects as broken is not retried: libpcap versions differ in what they let through. A
     * BPF filter is applied per frame ({@link BpfFrameFilter}) over the Java reader, so frame
     * numbers stay the file's and frames left out still move the capture's clock.
     */
    static PacketSource open(AnalyzeConfig config) throws CaptureException {
        String bpf = config.bpfFilter();
        PacketSource source;
        try {
            source = new ClockGuard(CaptureFiles.open(config.capture()));
        } catch (CaptureException javaReaderError) {
            if (javaReaderError.kind() != CaptureException.Kind.UNKNOWN_FORMAT) {
                throw javaReaderError;
            }
            try {
                return new ClockGuard(LibpcapSource.openOffline(config.capture(), bpf)); // libpcap filters, and numbers, itself
            } catch (CaptureException libpcapError) {
                if (libpcapError.kind() == CaptureException.Kind.BAD_FILTER) {
                    throw libpcapError;
                }
                throw javaReaderError;
            }
        }
        if (bpf == null) {
            return source;
        }
        try {
            return new FilteredSource(source, BpfFrameFilter.compile(bpf));
        } catch (CaptureException | RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /** @return the process exit code */
    public int run() throws CaptureException {
        List<Connection> finished = new ArrayList<>();
        Analyzer analyzer = new Analyzer(OsProfile.LINUX, config.maxConnections(), finished::add);
        String damage;
        String clockReport;
        long filterFramesRead = -1;
        int firstUnsupportedLinkType = -1;
        try (PacketSource source = open(config)) {
            Frame frame;
            // A read from a pipe or FIFO blocks until the writer writes or closes; on Ctrl-C or
            // SIGTERM interrupt it (FileChannel is interruptible), else the shutdown hook waits
            // in vain and the JVM halts with nothing written.
            Thread reader = Thread.currentThread();
            Object readingLock = new Object();
            boolean[] reading = {true};
            boolean readInterrupted = false;
            stop.onStop(() -> {
                synchronized (readingLock) {
                    if (reading[0]) {
                        reader.interrupt();
                    }
                }
            });
            try {
                while (!stop.requested() && (frame = source.next()) != null) {
                    analyzer.onFrame(frame);
                    if (firstUnsupportedLinkType < 0 && analyzer.summary().tcpFrames() == 0
                            && !LinkType.isSupported(frame.linkType())) {
                        firstUnsupportedLinkType = frame.linkType();
                    }
                }
            } catch (CaptureException interruptedRead) {
                if (!stop.requested()) {
                    throw interruptedRead;
                }
                readInterrupted = true; // by the stop: what was read is analyzed, no damage to report
            } finally {
                synchronized (readingLock) {
                    reading[0] = false;
                }
                Thread.interrupted(); // clear a late interrupt before writing the results
            }
            damage = readInterrupted ? null : source.damage();
            ClockGuard clock = source instanceof FilteredSource f && f.source() instanceof ClockGuard g ? g
                    : source instanceof ClockGuard g ? g : null;
            clockReport = clock == null ? null : clock.report();
            if (clockReport != null) {
                err.println("tcpscope: warning: " + config.capture() + ": " + clockReport);
            }
            if (source instanceof FilteredSource filtered) {
                // The capture ends at the file's last frame, whatever the filter kept.
                analyzer.advanceClock(filtered.lastTimestampNanos());
                filterFramesRead = filtered.framesRead();
                if (filtered.filter() instanceof BpfFrameFilter bpf) {
                    bpf.warnings().forEach(w -> err.println("tcpscope: warning: " + w));
                    if (filtered.framesRead() > 0 && filtered.framesRejected() == filtered.framesRead()) {
                        err.println("tcpscope: note: filter '" + bpf.expression() + "' kept none of the "
                                + filtered.framesRead() + " frames (as in tcpdump, VLAN-tagged frames need 'vlan and ...')");
                    }
                }
            }
        }
        analyzer.finish();
        AnalysisSummary summary = analyzer.summary();
        summary.damage(damage);
        summary.clock(clockReport);
        if (filterFramesRead >= 0) {
            summary.filter(config.bpfFilter(), filterFramesRead);
        }
        summary.interrupted(stop.requested());
        if (summary.frames() > 0 && summary.skipped(DecodeResult.UNSUPPORTED_LINK_TYPE) == summary.frames()) {
            throw new CaptureException(CaptureException.Kind.UNSUPPORTED_LINK_TYPE, config.capture()
                    + ": unsupported link type " + LinkType.name(firstUnsupportedLinkType)
                    + "; tcpscope reads Ethernet, Linux cooked (SLL, SLL2), raw IP, BSD loopback, 802.11 (with or without"
                    + " radiotap) and IP-over-InfiniBand captures");
        }
        finished.sort(Comparator.comparingLong(Connection::id));
        Diagnoser diagnoser = new Diagnoser(config.stuckAfterNanos());
        long now = summary.lastNanos();
        if (config.timelineId() >= 0) {
            for (Connection c : finished) {
                if (c.id() == config.timelineId()) {
                    if (config.format() == OutputFormat.JSONL) {
                        // The connection's record: it holds both timelines (README, JSON Lines).
                        Report one = config.format().newReport(out, config.capture().toString());
                        one.connection(c, diagnoser.diagnose(c, now));
                        one.flush();
                    } else {
                        TimelineReport.print(out, c, diagnoser.diagnose(c, now));
                    }
                    out.flush();
                    if (out.checkError()) {
                        return StdoutStream.outputFailed(err);
                    }
                    return reportDamage(damage, summary);
                }
            }
            err.println("tcpscope: no connection " + config.timelineId() + " in " + config.capture() + " ("
                    + finished.size() + " connections, ids 0-" + (finished.size() - 1) + ")");
            return ExitCode.USAGE;
        }
        Report report = config.format().newReport(out, config.capture().toString());
        if (report instanceof io.tcpscope.analyzer.report.TextReport text) {
            int widest = 0;
            for (Connection c : finished) {
                widest = Math.max(widest, Math.max(1 + io.tcpscope.analyzer.report.Format.endpoint(c.client()).length(),
                        io.tcpscope.analyzer.report.Format.endpoint(c.server()).length()));
            }
            text.fitEndpoints(widest); // IPv6 rows line up with the header
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
            return StdoutStream.outputFailed(err);
        }
        if (stop.requested()) {
            err.println("tcpscope: interrupted after " + summary.frames() + " frames; results so far were written");
            return ExitCode.INTERRUPTED;
        }
        return reportDamage(damage, summary);
    }

    private int reportDamage(String damage, AnalysisSummary summary) {
        if (damage == null) {
            return ExitCode.OK;
        }
        err.println("tcpscope: warning: " + config.capture() + ": " + damage + "; analyzed the " + summary.frames()
                + " frames before it");
        return ExitCode.DAMAGED;
    }
}
