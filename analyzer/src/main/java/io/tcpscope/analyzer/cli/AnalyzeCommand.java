package io.tcpscope.analyzer.cli;

import io.tcpscope.analyzer.decode.DecodeResult;
import io.tcpscope.analyzer.decode.PacketDecoder;
import io.tcpscope.analyzer.engine.AnalysisSummary;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.engine.DecodedFrame;
import io.tcpscope.analyzer.engine.FrameRing;
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
import io.tcpscope.capture.file.Follow;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private io.tcpscope.analyzer.verdict.HostJoin hosts;
    private java.util.OptionalLong captureEnd = java.util.OptionalLong.empty();

    /** {@code --host-snapshot}: records joined with the hosts' sockets; the sockets never captured are listed. */
    public AnalyzeCommand withHostSnapshots(io.tcpscope.analyzer.verdict.HostJoin join) {
        this.hosts = join;
        return this;
    }

    /**
     * {@code --capture-end}: when the capture really ended, if after its last frame (the
     * file's pcapng isb_endtime is used without it); the clock advances to it before finish.
     */
    public AnalyzeCommand withCaptureEnd(java.util.OptionalLong end) {
        this.captureEnd = end;
        return this;
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

    private boolean following;

    /**
     * {@code --follow}: the one capture file is read as it grows ({@link Follow}, like {@code
     * tail -f}); records are written as connections end and flushed whenever the reader waits;
     * a stop (Ctrl-C, SIGTERM, a closed output) ends it with the summary. {@link
     * Main#checkFollow} has checked that the input is one file and the read on one thread.
     */
    public AnalyzeCommand withFollow(boolean follow) {
        this.following = follow;
        return this;
    }

    /**
     * The file of {@code config} opened to be followed ({@link CaptureFiles#follow}), with the
     * clock guard and the BPF filter of {@link #open}; only the pure-Java reader follows.
     */
    static PacketSource openFollowed(AnalyzeConfig config, Follow follow) throws CaptureException {
        PacketSource source = new ClockGuard(CaptureFiles.follow(config.capture(), follow));
        if (config.bpfFilter() == null) {
            return source;
        }
        try {
            return new FilteredSource(source, BpfFrameFilter.compile(config.bpfFilter()));
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

    private io.tcpscope.analyzer.report.RecordView view = io.tcpscope.analyzer.report.RecordView.ALL;

    /** Which connections the per-connection output lists ({@code --only-problems}, ...). */
    public AnalyzeCommand view(io.tcpscope.analyzer.report.RecordView view) {
        this.view = view;
        return this;
    }

    /**
     * {@code --threads 2}: a second thread reads and decodes the frames into the slots of a
     * {@link FrameRing}; this thread runs the pipeline on them in the same order, so the
     * records are those of one thread. A read error on the reader thread is thrown here after
     * the frames before it were analyzed, as with one thread; Ctrl-C interrupts the reader
     * thread's read (a pipe may block) and what was read is analyzed. If the analysis fails,
     * the reader is stopped (and interrupted) before the error goes on.
     *
     * @param linkType gets the first unsupported link type seen before any TCP frame, or -1
     * @return whether the read was interrupted by the stop
     */
    private boolean readOnSecondThread(PacketSource source, Pipeline pipeline, long[] linkType) throws CaptureException {
        FrameRing ring = new FrameRing();
        Reader reader = new Reader(source, ring, stop);
        stop.onStop(reader::interruptRead);
        reader.start();
        boolean done = false;
        try {
            DecodedFrame d;
            while ((d = ring.take()) != null) {
                pipeline.onDecoded(d);
                if (linkType[0] < 0 && pipeline.summary().tcpFrames() == 0 && !LinkType.isSupported(d.linkType())) {
                    linkType[0] = d.linkType();
                }
                ring.release();
            }
            done = true;
        } finally {
            if (!done) {
                ring.cancel();
                reader.interruptRead();
            }
            reader.joinUninterruptibly();
            if (!done) {
                Thread.interrupted();
            }
        }
        Throwable failure = ring.failure();
        if (failure instanceof CaptureException e) {
            throw e;
        } else if (failure instanceof RuntimeException e) {
            throw e;
        } else if (failure instanceof Error e) {
            throw e;
        } else if (failure != null) {
            throw new IllegalStateException(failure);
        }
        return reader.interrupted;
    }

    /** The reader thread of {@code --threads 2}: source.next(), decode into a slot, publish. */
    private static final class Reader extends Thread {
        private final PacketSource source;
        private final FrameRing ring;
        private final StopSignal stop;
        private final Object lock = new Object();
        private boolean reading = true;
        /** Read after join: the read ended by the stop's interrupt. */
        volatile boolean interrupted;

        Reader(PacketSource source, FrameRing ring, StopSignal stop) {
            super("tcpscope-reader");
            setDaemon(true);
            this.source = source;
            this.ring = ring;
            this.stop = stop;
        }

        @Override
        public void run() {
            PacketDecoder decoder = new PacketDecoder();
            Throwable error = null;
            try {
                Frame frame;
                while (!stop.requested() && !ring.cancelled() && (frame = source.next()) != null) {
                    DecodedFrame slot = ring.claim();
                    if (slot == null) {
                        break; // the analysis stopped
                    }
                    slot.decode(decoder, frame);
                    ring.publish();
                }
            } catch (CaptureException e) {
                if (stop.requested()) {
                    interrupted = true; // by the stop: what was read is analyzed, no damage to report
                } else if (!ring.cancelled()) {
                    error = e;
                }
            } catch (Throwable t) {
                error = t;
            } finally {
                synchronized (lock) {
                    reading = false;
                }
                Thread.interrupted();
                ring.finish(error);
            }
        }

        void interruptRead() {
            synchronized (lock) {
                if (reading) {
                    interrupted = true; // a read error kept as damage by the source is the interrupt's
                    interrupt();
                }
            }
        }

        void joinUninterruptibly() {
            boolean wasInterrupted = false;
            while (true) {
                try {
                    join();
                    break;
                } catch (InterruptedException e) {
                    wasInterrupted = true;
                }
            }
            if (wasInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @return the process exit code */
    public int run() throws CaptureException {
        ConnectionRecord[] wanted = new ConnectionRecord[1];
        Alerts alerts = new Alerts(view.timeWaitNanos());
        Report report = null;
        String damage;
        String clockReport;
        long filterFramesRead = -1;
        int firstUnsupportedLinkType = -1;
        String name;
        List<CaptureSet.Member> files = List.of();
        Pipeline pipeline;
        // --follow: each time the reader waits at the end of the file, what was written goes out
        // (checkError flushes out, the reports' only buffer in END order: one flush per wait)
        Follow[] followed = {null};
        Follow follow = !following ? null : (followed[0] = new Follow(() -> {
            if (out.checkError()) {
                followed[0].stop(); // the output failed (disk full): nothing more can be written
            }
        }));
        if (follow != null) {
            stop.onStop(follow::stop); // before opening: the header may not be written yet
            if (stop.requested()) {
                follow.stop();
            }
        }
        try (PacketSource source = follow != null ? openFollowed(config, follow) : open(config)) {
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
                Report r = config.format().newReport(out, name, follow != null ? Report.Order.END : Report.Order.ID,
                        config.reorderChars());
                report = r;
                r.view(view);
                r.alerts(alerts);
                sink = record -> {
                    alerts.record(record);
                    r.record(record);
                };
            }
            pipeline = new Pipeline(view.profile(), config.settings(), sink, config.format().observers());
            if (hosts != null) {
                pipeline.withHostSnapshots(hosts);
            }
            boolean readInterrupted;
            if (config.threads() == 2) {
                long[] linkType = {-1};
                readInterrupted = readOnSecondThread(source, pipeline, linkType);
                firstUnsupportedLinkType = (int) linkType[0];
            } else {
                Frame frame;
                // A read from a pipe or FIFO blocks until the writer writes or closes; on Ctrl-C or
                // SIGTERM interrupt it (FileChannel is interruptible), else the shutdown hook waits
                // in vain and the JVM halts with nothing written. A followed file never blocks in a
                // read: its waits end at the stop.
                ReadInterrupt blockedRead = follow == null ? new ReadInterrupt(stop) : null;
                readInterrupted = false;
                try {
                    // followed: the source ends at a stop, after the frames it has read already
                    while ((follow != null || !stop.requested()) && (frame = source.next()) != null) {
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
                    if (blockedRead != null) {
                        blockedRead.close(); // and clears a late interrupt before the results are written
                        readInterrupted |= blockedRead.fired(); // a read error kept as damage was the interrupt
                    }
                }
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
            advanceToCaptureEnd(pipeline, source.captureEndNanos(), captureEnd);
            reportDrops(name, source);
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
        // --follow: a stop cut the capture only if the file held more than was read
        boolean cut = follow == null ? stop.requested() : follow.unreadBytes() > 0;
        summary.interrupted(cut);
        if (summary.evictions() > 0) {
            // The table's limit (by default from the heap) split or cut connections: say how to hold them.
            err.println("tcpscope: note: " + summary.evictions() + " connections were evicted from the flow table, which"
                    + " holds " + config.maxConnections() + " at once (flagged EVICTED); to hold more give --max-connections N"
                    + " and the heap for it (JAVA_OPTS=-Xmx..., under 1 KB a connection: README, --max-connections)");
        }
        if (follow != null && follow.end() == Follow.End.REPLACED) {
            err.println("tcpscope: note: " + name + ": " + follow.endMessage() + "; a new file at that path is not read"
                    + " (run again for it)");
        }
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
                if (follow != null && follow.stopRequested()) {
                    return stoppedFollowing(name, summary, follow, cut);
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
        if (hosts != null) {
            report.hostSockets(hosts.unmatched());
        }
        report.summary(summary, alerts);
        report.flush();
        if (out.checkError()) {
            return StdoutStream.outputFailed(err);
        }
        if (follow != null && follow.stopRequested()) {
            return stoppedFollowing(name, summary, follow, cut);
        }
        if (stop.requested()) {
            err.println("tcpscope: interrupted after " + summary.frames() + " frames; results so far were written");
            return ExitCode.INTERRUPTED;
        }
        return reportDamage(name, files, damage, summary);
    }

    /** The way a followed read ends: one line, and the exit code of an interrupt (as live's Ctrl-C). */
    private int stoppedFollowing(String name, AnalysisSummary summary, Follow follow, boolean cut) {
        err.println("tcpscope: stopped following " + name + " after " + summary.frames() + " frames"
                + (cut ? " (" + follow.unreadBytes() + " bytes of it left unread)" : "")
                + "; the records and summary so far were written");
        return ExitCode.INTERRUPTED;
    }

    /**
     * The capture ran on past its last frame (pcapng isb_endtime, or {@code --capture-end},
     * whichever is later): the clock advances to it, so timers and silence count up to it.
     *
     * @return where the end came from: {@code last_frame}, {@code isb_endtime} or {@code option}
     */
    static String advanceToCaptureEnd(Pipeline pipeline, java.util.OptionalLong fileEnd, java.util.OptionalLong given) {
        String basis = "last_frame";
        if (pipeline.summary().firstNanos() < 0) {
            return basis;
        }
        if (fileEnd.isPresent() && fileEnd.getAsLong() > pipeline.now()) {
            pipeline.advanceClock(fileEnd.getAsLong());
            basis = "isb_endtime";
        }
        if (given.isPresent() && given.getAsLong() > pipeline.now()) {
            pipeline.advanceClock(given.getAsLong());
            basis = "option";
        }
        return basis;
    }

    /** A warning line when the file records packets dropped during the capture (pcapng isb_ifdrop, isb_osdrop). */
    private void reportDrops(String name, PacketSource source) {
        long ifDrops = source.interfaceDrops().orElse(0);
        long osDrops = source.osDrops().orElse(0);
        if (ifDrops > 0 || osDrops > 0) {
            err.println("tcpscope: warning: " + name + ": the capture records " + ifDrops + " packets dropped by the"
                    + " interface and " + osDrops + " by the OS (isb_ifdrop, isb_osdrop): states after a lost FIN or RST"
                    + " may be wrong");
        }
    }

    /** A file modified this recently, cut in a record, is probably being written (tcpdump -w still running). */
    static final long STILL_WRITTEN_MILLIS = 5_000;

    /**
     * The hint for a capture cut in a record whose file was modified within {@link
     * #STILL_WRITTEN_MILLIS}: "; the file may still be being written (modified 1.2s ago)", else "".
     * (The file's age against the system clock: a fact about the file, not the capture's time.)
     */
    static String stillWritten(Path file, String damage) {
        if (file == null || damage == null || !damage.contains("truncated record")) {
            return "";
        }
        try {
            long age = System.currentTimeMillis() - Files.getLastModifiedTime(file).toMillis();
            if (age >= -1000 && age <= STILL_WRITTEN_MILLIS) {
                return String.format(java.util.Locale.ROOT, "; the file may still be being written (modified %.1fs ago):"
                        + " read again later for the rest", Math.max(age, 0) / 1000.0);
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not a plain file (standard input, a pipe): no hint
        }
        return "";
    }

    /** One warning line per damaged file (each file of a set that has damage). */
    private int reportDamage(String name, List<CaptureSet.Member> files, String damage, AnalysisSummary summary) {
        if (damage == null) {
            return ExitCode.OK;
        }
        if (files.isEmpty()) {
            err.println("tcpscope: warning: " + name + ": " + damage + "; analyzed the " + summary.frames()
                    + " frames before it" + (config.singleInput() && !following ? stillWritten(config.capture(), damage) : ""));
        }
        for (CaptureSet.Member f : files) {
            if (f.damage() != null) {
                err.println("tcpscope: warning: " + f.path() + ": " + f.damage() + "; analyzed the " + f.frames()
                        + " frames before it (and the other files)" + stillWritten(f.path(), f.damage()));
            }
        }
        return ExitCode.DAMAGED;
    }
}
