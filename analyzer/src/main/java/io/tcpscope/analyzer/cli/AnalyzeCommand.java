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
import io.tcpscope.capture.ClockGuard;
import io.tcpscope.capture.FilteredSource;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.LinkType;
import io.tcpscope.capture.PacketSource;
import io.tcpscope.capture.ffi.BpfFrameFilter;
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
     * several merged, a directory, {@code -}, compressed or not), or through libpcap when a
     * single file's magic is neither pcap, pcapng nor a compression (a format only libpcap may
     * read). A pcap or pcapng file the Java reader rejects as broken is not retried: libpcap
     * versions differ in what they let through. A BPF filter is applied per frame
     * ({@link BpfFrameFilter}) over the Java reader, so frame numbers stay the file's and frames
     * left out still move the capture's clock.
     */
    static PacketSource open(AnalyzeConfig config) throws CaptureException {
        String bpf = config.bpfFilter();
        PacketSource source;
        try {
            source = new ClockGuard(CaptureFiles.open(config.captures()));
        } catch (CaptureException javaReaderError) {
            if (javaReaderError.kind() != CaptureException.Kind.UNKNOWN_FORMAT || !config.singleInput()
                    || CaptureFiles.isStandardInput(config.capture())) {
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

    /** The set of files under the source's wrappers (filter, clock guard), or {@code null}. */
    private static CaptureSet captureSet(PacketSource source) {
        PacketSource s = source;
        while (true) {
            if (s instanceof CaptureSet set) {
                return set;
            } else if (s instanceof FilteredSource f) {
                s = f.source();
            } else if (s instanceof ClockGuard g) {
                s = g.source();
            } else {
                return null;
            }
        }
    }

    /** @return the process exit code */
    public int run() throws CaptureException {
        ConnectionRecord[] wanted = new ConnectionRecord[1];
        Alerts alerts = new Alerts();
        Report report = null;
        String damage;
        String clockReport;
        long filterFramesRead = -1;
        int firstUnsupportedLinkType = -1;
        String name;
        List<CaptureSet.Member> files = List.of();
        Pipeline pipeline;
        try (PacketSource source = open(config)) {
            name = source.description();
            CaptureSet set = captureSet(source);
            if (set != null && set.files().size() > 1) {
                files = set.files();
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
                    pipeline.onFrame(frame);
                    if (firstUnsupportedLinkType < 0 && pipeline.summary().tcpFrames() == 0
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
                err.println("tcpscope: warning: " + name + ": " + clockReport);
            }
            if (source instanceof FilteredSource filtered) {
                // The capture ends at the file's last frame, whatever the filter kept.
                pipeline.advanceClock(filtered.lastTimestampNanos());
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
        AnalysisSummary summary = pipeline.summary();
        if (summary.frames() > 0 && summary.skipped(DecodeResult.UNSUPPORTED_LINK_TYPE) == summary.frames()) {
            throw new CaptureException(CaptureException.Kind.UNSUPPORTED_LINK_TYPE, name
                    + ": unsupported link type " + LinkType.name(firstUnsupportedLinkType)
                    + "; tcpscope reads Ethernet, Linux cooked (SLL, SLL2), raw IP, BSD loopback, 802.11 (with or without"
                    + " radiotap) and IP-over-InfiniBand captures");
        }
        pipeline.finish();
        summary.damage(damage);
        summary.clock(clockReport);
        if (filterFramesRead >= 0) {
            summary.filter(config.bpfFilter(), filterFramesRead);
        }
        summary.interrupted(stop.requested());
        if (config.timelineId() >= 0) {
            if (wanted[0] != null) {
                if (config.format() == OutputFormat.JSONL) {
                    // The connection's record: it holds both timelines (README, JSON Lines).
                    Report one = config.format().newReport(out, name, Report.Order.END, config.reorderChars());
                    one.record(wanted[0]);
                    one.flush();
                } else {
                    TimelineReport.print(out, wanted[0]);
                }
                out.flush();
                if (out.checkError()) {
                    return StdoutStream.outputFailed(err);
                }
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
            return StdoutStream.outputFailed(err);
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
