package io.tcpscope.analyzer.cli;

import io.tcpscope.analyzer.diagnosis.Diagnoser;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.engine.Pipeline;
import io.tcpscope.analyzer.engine.RecordSink;
import io.tcpscope.analyzer.live.DiagnosisWatch;
import io.tcpscope.analyzer.live.LiveTable;
import io.tcpscope.analyzer.report.Alerts;
import io.tcpscope.analyzer.report.ReorderBuffer;
import io.tcpscope.analyzer.report.Report;
import io.tcpscope.analyzer.report.TextReport;
import io.tcpscope.analyzer.tcp.ConnectionFlag;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.LinkType;
import io.tcpscope.capture.ffi.LibpcapSource;
import io.tcpscope.capture.file.PcapWriter;
import io.tcpscope.capture.live.CaptureStats;
import io.tcpscope.capture.live.DropWatch;
import java.io.PrintStream;
import org.apache.commons.cli.CommandLine;

/**
 * {@code tcpscope live}: captures on an interface through libpcap and feeds the same {@link
 * Pipeline} as {@code analyze}, with the same settings and lifecycle. Live differs only in its
 * source (clock ticks without packets) and its sinks: records are written as connections end
 * ({@link Report.Order#END}), diagnoses are raised while connections are open, and a terminal
 * gets the refreshed table.
 *
 * <p><b>Clock.</b> Packets carry the kernel's CLOCK_REALTIME stamps. When no packet arrives,
 * libpcap's read timeout ({@link io.tcpscope.capture.live.LiveOptions#DEFAULT_READ_TIMEOUT_MILLIS})
 * is the tick: the source reads CLOCK_REALTIME ({@link LibpcapSource#tickNanos()}) and the
 * engine's clock advances to it, so a stuck connection's silence is measured while nothing
 * happens. That is the only place tcpscope reads the wall clock; {@code analyze} never does.
 *
 * <p><b>Housekeeping</b>, on capture time: every {@link #EVALUATE_EVERY_NANOS} the open
 * connections are diagnosed and each new (connection, code) is reported once, at once. The
 * pipeline itself emits and forgets connections that are over or idle ({@code --idle-timeout}),
 * as for {@code analyze}, which bounds memory together with {@code --max-connections}.
 *
 * <p>The packet loop allocates nothing: one frame flyweight, written to {@code -w} and fed to the engine.
 */
public final class LiveCommand implements RecordSink {
    /** Diagnoses, output flush and the terminal table are looked at this often (capture time). */
    static final long EVALUATE_EVERY_NANOS = 100_000_000L;
    /** pcap_stats is looked at this often (capture time), to say at once when the kernel drops. */
    static final long DROP_CHECK_EVERY_NANOS = 1_000_000_000L;

    private final LiveConfig config;
    private final PrintStream out;
    private final PrintStream err;
    private final StopSignal stop;
    private final boolean terminal;
    private final Diagnoser diagnoser;
    private Alerts alerts = new Alerts();
    /** {@code --host-snapshot} files, read at the start (they do not change while live runs), or null. */
    io.tcpscope.analyzer.verdict.HostJoin hosts;
    /** {@code --snapshot-every}, or 0. */
    long snapshotEveryNanos;
    io.tcpscope.analyzer.verdict.SsRunner ss = new io.tcpscope.analyzer.verdict.SsRunner();
    private long lastSnapshotNanos = Long.MIN_VALUE;
    private int snapshots;

    /** Takes a snapshot with ss now (capture time); a failure is one warning line, the capture goes on. */
    void takeSnapshot(long now) {
        lastSnapshotNanos = now;
        try {
            hosts.add(ss.take(now, ++snapshots));
        } catch (io.tcpscope.analyzer.host.HostSnapshotException e) {
            err.println("tcpscope: warning: host snapshot " + e.getMessage());
        }
    }
    private Pipeline analyzer;
    private Report report;
    private DiagnosisWatch watch;
    /** pcap_stats readings turned into drop warnings (and CAPTURE_DROPS flags), one per session. */
    private DropWatch drops;
    private io.tcpscope.analyzer.report.RecordView view = io.tcpscope.analyzer.report.RecordView.ALL;

    /** Which connections the per-connection output lists ({@code --only-problems}, ...). */
    LiveCommand view(io.tcpscope.analyzer.report.RecordView view) {
        this.view = view;
        this.alerts = new Alerts(view.timeWaitNanos());
        return this;
    }
    private long finished;

    LiveCommand(LiveConfig config, PrintStream out, PrintStream err, StopSignal stop, boolean terminal) {
        this.config = config;
        this.out = out;
        this.err = err;
        this.stop = stop;
        this.terminal = terminal && config.format() == OutputFormat.TEXT;
        this.diagnoser = new Diagnoser(config.stuckAfterNanos());
    }

    public static int run(String[] args, PrintStream out, PrintStream err, StopSignal stop)
            throws UsageException, CaptureException {
        CommandLine cl = Main.parse("live", args);
        if (cl.hasOption(CliOption.HELP.longName())) {
            Main.printCommandHelp(out, "live", "", "Capture on an interface and analyze as it runs: both endpoints'"
                    + " TCP states, diagnoses as they are raised. Stops on Ctrl-C, --duration or --count."
                    + " Needs root or CAP_NET_RAW+CAP_NET_ADMIN.");
            return ExitCode.OK;
        }
        if (cl.hasOption(CliOption.VERSION.longName())) {
            Main.printVersion(out);
            return ExitCode.OK;
        }
        LiveCommand live = new LiveCommand(LiveConfig.of(cl), out, err, stop, System.console() != null)
                .view(Main.recordView(cl));
        live.hosts = StuckCommand.hostSnapshots(cl);
        if (cl.hasOption(CliOption.SNAPSHOT_EVERY.longName())) {
            live.snapshotEveryNanos = Durations.parse(cl.getOptionValue(CliOption.SNAPSHOT_EVERY.longName()));
            if (live.snapshotEveryNanos <= 0) {
                throw new UsageException("--snapshot-every must be longer than zero");
            }
            if (live.hosts == null) {
                live.hosts = new io.tcpscope.analyzer.verdict.HostJoin(
                        new io.tcpscope.analyzer.host.HostSnapshots(java.util.List.of()));
            }
        }
        return live.capture();
    }

    /** Where live frames come from: libpcap, or (tests) a file with clock ticks between its frames. */
    interface Source {
        /** The next frame, or {@code null} on a read timeout ({@link #timedOut()}) or a stop. */
        Frame nextOrTimeout() throws CaptureException;

        /** Whether the last {@code null} was a read timeout (a clock tick) rather than a stop. */
        boolean timedOut();

        /** Capture time of the last tick. */
        long tickNanos();

        /** libpcap's counters, or {@code null}. */
        CaptureStats stats() throws CaptureException;
    }

    /** @return the process exit code */
    int capture() throws CaptureException {
        try (LibpcapSource source = LibpcapSource.openLive(config.capture())) {
            long opened = LibpcapSource.realtimeNanos(); // --duration counts from here: packets are captured from now on
            stop.onStop(source::breakLoop);
            if (source.activationWarning() != null) {
                err.println("tcpscope: warning: " + source.activationWarning());
            }
            Source frames = new Source() {
                @Override
                public Frame nextOrTimeout() throws CaptureException {
                    return source.nextOrTimeout();
                }

                @Override
                public boolean timedOut() {
                    return source.timedOut();
                }

                @Override
                public long tickNanos() {
                    return source.tickNanos();
                }

                @Override
                public CaptureStats stats() throws CaptureException {
                    return source.stats().orElse(null);
                }
            };
            PcapWriter writer = config.write() == null ? null
                    : new PcapWriter(config.write(), source.linkType(), source.snaplen());
            try {
                err.println("tcpscope: listening on " + config.capture().interfaceName() + ", link-type "
                        + LinkType.name(source.linkType()) + ", snapshot length " + source.snaplen() + " bytes"
                        + (source.hasNanosecondTimestamps() ? "" : ", microsecond timestamps"));
                session(frames, source.description(), writer, opened);
            } finally {
                if (writer != null) {
                    try {
                        writer.close();
                    } catch (CaptureException e) {
                        if (writeFailure == null) { // the last flush filled the disk: the file is whole up to it
                            writeFailure = e;
                            err.println("tcpscope: warning: -w " + e.getMessage());
                        }
                    }
                }
            }
        }
        if (out.checkError()) {
            return StdoutStream.outputFailed(err);
        }
        if (sourceFailure != null) {
            return sourceFailure.kind().exitCode();
        }
        if (writeFailure != null) {
            return writeFailure.kind().exitCode();
        }
        return ExitCode.OK;
    }

    /**
     * The live session over any source: the same {@link Pipeline} and settings as {@code
     * analyze}, records written as connections end, diagnoses raised while open, the terminal
     * table; then the summary.
     */
    void session(Source source, String name, PcapWriter writer, long start) throws CaptureException {
        report = terminal ? new TextReport(out, name, false, Report.Order.END, ReorderBuffer.DEFAULT_MEMORY_CHARS)
                : config.format().newReport(out, name, Report.Order.END, ReorderBuffer.DEFAULT_MEMORY_CHARS);
        report.view(view);
        report.alerts(alerts);
        watch = new DiagnosisWatch(diagnoser, report, config.stuckAfterNanos());
        analyzer = new Pipeline(view.profile(), config.settings(), this, config.format().observers());
        if (hosts != null) {
            analyzer.withHostSnapshots(hosts);
        }
        LiveTable table = terminal ? new LiveTable(out, name) : null;
        drops = new DropWatch();
        loop(source, writer, table, start);
        if (sourceFailure == null) {
            reportDrops(source, drops); // drops since the last check count for the connections still open
        }
        CaptureStats stats;
        try {
            stats = source.stats();
        } catch (CaptureException gone) {
            stats = null; // the interface went away with its counters
        }
        if (table != null) {
            table.draw(analyzer, watch, stats, finished, true); // the last picture, before finish() empties it
            out.println();
        }
        if (snapshotEveryNanos > 0 && analyzer.now() >= 0) {
            takeSnapshot(analyzer.now()); // the end, before the open connections' records are built
        }
        analyzer.finish();
        report.captureStats(stats);
        if (hosts != null) {
            report.hostSockets(hosts.unmatched());
        }
        report.summary(analyzer.summary(), alerts);
        report.flush();
    }

    private void loop(Source source, PcapWriter writer, LiveTable table, long start) throws CaptureException {
        long duration = config.durationNanos();
        long count = config.count();
        long packets = 0;
        long lastEvaluation = start;
        long lastDropCheck = start;
        while (!stop.requested()) {
            Frame frame;
            try {
                frame = source.nextOrTimeout();
            } catch (CaptureException e) {
                sourceFailed(e);
                return;
            }
            if (frame != null) {
                if (writer != null && writeFailure == null) {
                    try {
                        writer.write(frame);
                    } catch (CaptureException e) {
                        writeFailed(e);
                    }
                }
                analyzer.onFrame(frame);
                packets++;
            } else if (source.timedOut()) {
                analyzer.advanceClock(source.tickNanos());
            } else {
                return; // breakLoop (Ctrl-C / SIGTERM)
            }
            long now = analyzer.now();
            if (snapshotEveryNanos > 0 && now >= 0 && (lastSnapshotNanos == Long.MIN_VALUE
                    || now - lastSnapshotNanos >= snapshotEveryNanos)) {
                takeSnapshot(now);
            }
            if (now - lastEvaluation >= EVALUATE_EVERY_NANOS) {
                lastEvaluation = now;
                if (now - lastDropCheck >= DROP_CHECK_EVERY_NANOS) {
                    lastDropCheck = now;
                    reportDrops(source, drops);
                }
                watch.evaluate(analyzer);
                if (writer != null && writeFailure == null) {
                    try {
                        writer.flush();
                    } catch (CaptureException e) {
                        writeFailed(e);
                    }
                }
                if (table != null) {
                    table.maybeDraw(analyzer, watch, source.stats(), finished);
                } else {
                    report.flush();
                }
            }
            if ((count > 0 && packets >= count) || (duration > 0 && now - start >= duration)) {
                return;
            }
        }
    }

    /** The capture failed mid-way (the interface went away, or went down), or null. */
    private CaptureException sourceFailure;
    /** The {@code -w} file could not be written on (full disk), or null: the capture went on without it. */
    private CaptureException writeFailure;

    /**
     * libpcap failed mid-capture: one line, and the session ends as after a stop (the records
     * and summary so far are written, the {@code -w} file is closed whole); the exit code is the
     * error's (10).
     */
    private void sourceFailed(CaptureException e) {
        sourceFailure = e;
        String name = config.capture() == null ? null : config.capture().interfaceName();
        // libpcap says "The interface disappeared" (ENXIO/ENODEV); sysfs may still list it for a moment
        String m = e.getMessage();
        boolean gone = name != null && ((m != null && m.contains("interface disappeared"))
                || !java.nio.file.Files.exists(java.nio.file.Path.of("/sys/class/net", name)));
        err.println("tcpscope: " + (gone ? "interface " + name + " went away" : "capture failed")
                + " (" + e.getMessage() + "); the records and summary so far follow");
    }

    /** The {@code -w} file filled its disk: one line; the file keeps the whole records before it; the capture goes on. */
    private void writeFailed(CaptureException e) {
        writeFailure = e;
        err.println("tcpscope: warning: -w " + e.getMessage() + "; the capture goes on without -w");
    }

    /**
     * Says on stderr, at once, when the kernel dropped packets since the last look
     * (pcap_stats), and flags every connection open now {@link ConnectionFlag#CAPTURE_DROPS}:
     * any of them may have lost segments to it.
     */
    private void reportDrops(Source source, DropWatch drops) {
        try {
            String dropped = drops.update(source.stats());
            if (dropped != null) {
                err.println("tcpscope: warning: " + dropped);
                analyzer.forEachOpen(c -> c.flags().add(ConnectionFlag.CAPTURE_DROPS));
            }
        } catch (CaptureException noCounters) {
            // pcap_stats failed: nothing to compare; the capture itself goes on
        }
    }

    /** The pipeline emitted a record (over, new incarnation, eviction, idle, or the end): report it. */
    @Override
    public void record(ConnectionRecord r) {
        alerts.record(r);
        report.record(r);
        watch.record(r);
        finished++;
    }
}
