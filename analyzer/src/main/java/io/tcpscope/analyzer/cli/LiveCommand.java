package io.tcpscope.analyzer.cli;

import io.tcpscope.analyzer.diagnosis.Diagnoser;
import io.tcpscope.analyzer.diagnosis.Diagnosis;
import io.tcpscope.analyzer.engine.Analyzer;
import io.tcpscope.analyzer.live.DiagnosisWatch;
import io.tcpscope.analyzer.live.LiveTable;
import io.tcpscope.analyzer.report.Alerts;
import io.tcpscope.analyzer.report.Report;
import io.tcpscope.analyzer.report.TextReport;
import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.LinkType;
import io.tcpscope.capture.ffi.LibpcapSource;
import io.tcpscope.capture.file.PcapWriter;
import io.tcpscope.capture.live.CaptureStats;
import io.tcpscope.capture.live.DropWatch;
import java.io.PrintStream;
import java.util.List;
import org.apache.commons.cli.CommandLine;

/**
 * {@code tcpscope live}: captures on an interface through libpcap and feeds the same {@link
 * Analyzer} as {@code analyze}.
 *
 * <p><b>Clock.</b> Packets carry the kernel's CLOCK_REALTIME stamps. When no packet arrives,
 * libpcap's read timeout ({@link io.tcpscope.capture.live.LiveOptions#DEFAULT_READ_TIMEOUT_MILLIS})
 * is the tick: the source reads CLOCK_REALTIME ({@link LibpcapSource#tickNanos()}) and the
 * engine's clock advances to it, so a stuck connection's silence is measured while nothing
 * happens. That is the only place tcpscope reads the wall clock; {@code analyze} never does.
 *
 * <p><b>Housekeeping</b>, on capture time: every {@link #EVALUATE_EVERY_NANOS} the open
 * connections are diagnosed and each new (connection, code) is reported once, at once; every
 * {@link #EXPIRE_EVERY_NANOS} ended connections whose TIME_WAIT ran out and idle ones
 * ({@code --idle-timeout}) are finished and forgotten, which bounds memory together with
 * {@code --max-connections}.
 *
 * <p>The packet loop allocates nothing: one frame flyweight, written to {@code -w} and fed to the engine.
 */
public final class LiveCommand implements Analyzer.ConnectionListener {
    /** Diagnoses, output flush and the terminal table are looked at this often (capture time). */
    static final long EVALUATE_EVERY_NANOS = 100_000_000L;
    /** Expiry (TIME_WAIT over, idle) runs this often (capture time); it walks the whole flow table. */
    static final long EXPIRE_EVERY_NANOS = 1_000_000_000L;

    private final LiveConfig config;
    private final PrintStream out;
    private final PrintStream err;
    private final StopSignal stop;
    private final boolean terminal;
    private final Diagnoser diagnoser;
    private final Alerts alerts = new Alerts();
    private Analyzer analyzer;
    private Report report;
    private DiagnosisWatch watch;
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
        return new LiveCommand(LiveConfig.of(cl), out, err, stop, System.console() != null).capture();
    }

    /** @return the process exit code */
    int capture() throws CaptureException {
        try (LibpcapSource source = LibpcapSource.openLive(config.capture())) {
            long opened = LibpcapSource.realtimeNanos(); // --duration counts from here: packets are captured from now on
            stop.onStop(source::breakLoop);
            if (source.activationWarning() != null) {
                err.println("tcpscope: warning: " + source.activationWarning());
            }
            String name = source.description();
            report = terminal ? new TextReport(out, name, false) : config.format().newReport(out, name);
            watch = new DiagnosisWatch(diagnoser, report, config.stuckAfterNanos());
            analyzer = new Analyzer(OsProfile.LINUX, config.maxConnections(), this);
            LiveTable table = terminal ? new LiveTable(out, name) : null;
            try (PcapWriter writer = config.write() == null ? null
                    : new PcapWriter(config.write(), source.linkType(), source.snaplen())) {
                err.println("tcpscope: listening on " + config.capture().interfaceName() + ", link-type "
                        + LinkType.name(source.linkType()) + ", snapshot length " + source.snaplen() + " bytes"
                        + (source.hasNanosecondTimestamps() ? "" : ", microsecond timestamps"));
                loop(source, writer, table, opened);
                CaptureStats stats = source.stats().orElse(null);
                if (table != null) {
                    table.draw(analyzer, watch, stats, finished, true); // the last picture, before finish() empties it
                    out.println();
                }
                analyzer.finish();
                report.captureStats(stats);
                report.summary(analyzer.summary(), alerts);
                report.flush();
            }
        }
        if (out.checkError()) {
            return StdoutStream.outputFailed(err);
        }
        return ExitCode.OK;
    }

    private void loop(LibpcapSource source, PcapWriter writer, LiveTable table, long start) throws CaptureException {
        DropWatch drops = new DropWatch();
        long duration = config.durationNanos();
        long count = config.count();
        long packets = 0;
        long lastEvaluation = start;
        long lastExpiry = start;
        while (!stop.requested()) {
            Frame frame = source.nextOrTimeout();
            if (frame != null) {
                if (writer != null) {
                    writer.write(frame);
                }
                analyzer.onFrame(frame);
                packets++;
            } else if (source.timedOut()) {
                analyzer.advanceClock(source.tickNanos());
            } else {
                return; // breakLoop (Ctrl-C / SIGTERM)
            }
            long now = analyzer.now();
            if (now - lastEvaluation >= EVALUATE_EVERY_NANOS) {
                lastEvaluation = now;
                if (now - lastExpiry >= EXPIRE_EVERY_NANOS) {
                    lastExpiry = now;
                    analyzer.expire(config.idleTimeoutNanos());
                    reportDrops(source, drops);
                }
                watch.evaluate(analyzer);
                if (writer != null) {
                    writer.flush();
                }
                if (table != null) {
                    table.maybeDraw(analyzer, watch, source.stats().orElse(null), finished);
                } else {
                    report.flush();
                }
            }
            if ((count > 0 && packets >= count) || (duration > 0 && now - start >= duration)) {
                return;
            }
        }
    }

    /** Says on stderr, at once, when the kernel dropped packets since the last look (pcap_stats). */
    private void reportDrops(LibpcapSource source, DropWatch drops) {
        try {
            String dropped = drops.update(source.stats().orElse(null));
            if (dropped != null) {
                err.println("tcpscope: warning: " + dropped);
            }
        } catch (CaptureException noCounters) {
            // pcap_stats failed: nothing to compare; the capture itself goes on
        }
    }

    /** The engine finished a connection (new incarnation, eviction, expiry, or the end): report it. */
    @Override
    public void finished(Connection c) {
        List<Diagnosis> diagnoses = diagnoser.diagnose(c, analyzer.now());
        alerts.add(c.id(), diagnoses);
        report.connection(c, diagnoses);
        watch.forget(c);
        finished++;
    }
}
