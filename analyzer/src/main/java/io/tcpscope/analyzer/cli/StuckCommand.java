package io.tcpscope.analyzer.cli;

import io.tcpscope.analyzer.engine.Pipeline;
import io.tcpscope.analyzer.host.HostSnapshotException;
import io.tcpscope.analyzer.host.HostSnapshotParser;
import io.tcpscope.analyzer.host.HostSnapshots;
import io.tcpscope.analyzer.report.ReorderBuffer;
import io.tcpscope.analyzer.report.StuckReport;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.analyzer.verdict.HostJoin;
import io.tcpscope.analyzer.verdict.Verdicts;
import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.PacketSource;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.commons.cli.CommandLine;

/**
 * {@code tcpscope stuck CAPTURE... [--host-snapshot FILE]... [--stuck-after D] [--format text|jsonl]}:
 * the verdict for stuck pile-ups (issue 8 §1): which endpoint is not closing its sockets,
 * how many, since when, what the other side did. Reads the captures through the same
 * {@link Pipeline} as {@code analyze}; the capture's end is its last frame, or a later one
 * the file records (pcapng {@code isb_endtime}) or {@code --capture-end} gives: the clock
 * advances to it before the records are built, so silence after the last frame counts.
 *
 * <p>Exit codes: 1 when a stuck half-close is found, 0 when clean (like grep); the others as
 * for analyze (a damaged capture is a warning here: the verdict decides the code).
 */
public final class StuckCommand {
    private StuckCommand() {
    }

    /** The capture end given with {@code --capture-end}, or empty. */
    static OptionalLong captureEnd(CommandLine cl) throws UsageException {
        String v = cl.getOptionValue(CliOption.CAPTURE_END.longName());
        if (v == null) {
            return OptionalLong.empty();
        }
        OptionalLong t = HostSnapshotParser.parseTime(v.trim());
        if (t.isEmpty()) {
            throw new UsageException("invalid --capture-end '" + v + "' (epoch seconds, e.g. 1764579600.5, or RFC 3339,"
                    + " e.g. 2026-12-01T09:00:00Z)");
        }
        return t;
    }

    /** The {@code --host-snapshot} files, read; a file that cannot be read is a usage error naming it. */
    static HostJoin hostSnapshots(CommandLine cl) throws UsageException {
        String[] files = cl.getOptionValues(CliOption.HOST_SNAPSHOT.longName());
        if (files == null) {
            return null;
        }
        List<Path> paths = new ArrayList<>();
        for (String f : files) {
            paths.add(Path.of(f));
        }
        try {
            return new HostJoin(HostSnapshots.read(paths));
        } catch (HostSnapshotException e) {
            throw new UsageException("--host-snapshot " + e.getMessage());
        }
    }

    public static int run(String[] args, PrintStream out, PrintStream err, StopSignal stop)
            throws UsageException, CaptureException {
        CommandLine cl = Main.parse("stuck", args);
        if (cl.hasOption(CliOption.HELP.longName())) {
            Main.printCommandHelp(out, "stuck", "CAPTURE...", "Which application is not closing its sockets: the"
                    + " endpoints left in CLOSE_WAIT (grouped by service, or by host for a connecting side), how many,"
                    + " since when, what the peers did; TIME_WAIT holders and half-open listeners. Exit 1 when a stuck"
                    + " half-close is found, 0 when clean.");
            return ExitCode.OK;
        }
        List<Path> captures = Main.captures(cl);
        OutputFormat format = OutputFormat.parse(cl.getOptionValue(CliOption.FORMAT.longName(), "text"));
        long stuckAfter = Main.stuckAfter(cl);
        OptionalLong givenEnd = captureEnd(cl);
        HostJoin hosts = hostSnapshots(cl);
        AnalyzeConfig config = new AnalyzeConfig(captures, null, format, stuckAfter, -1, Main.maxConnections(cl),
                Main.idleTimeout(cl), ReorderBuffer.DEFAULT_MEMORY_CHARS);
        Verdicts verdicts = new Verdicts();
        Pipeline pipeline = new Pipeline(OsProfile.LINUX, config.settings(), verdicts);
        if (hosts != null) {
            pipeline.withHostSnapshots(hosts);
        }
        String name;
        String damage;
        OptionalLong fileEnd;
        OptionalLong ifDrops;
        OptionalLong osDrops;
        try (PacketSource source = AnalyzeCommand.open(config)) {
            name = source.description();
            Frame frame;
            boolean interrupted = false;
            ReadInterrupt blockedRead = new ReadInterrupt(stop);
            try {
                while (!stop.requested() && (frame = source.next()) != null) {
                    pipeline.onFrame(frame);
                }
            } catch (CaptureException e) {
                if (!stop.requested()) {
                    throw e;
                }
                interrupted = true; // a blocked read, interrupted by the stop: the verdict is on what was read
            } finally {
                blockedRead.close();
            }
            damage = interrupted || blockedRead.fired() ? null : source.damage();
            fileEnd = source.captureEndNanos();
            ifDrops = source.interfaceDrops();
            osDrops = source.osDrops();
        }
        if (ifDrops.orElse(0) > 0 || osDrops.orElse(0) > 0) {
            err.println("tcpscope: warning: " + name + ": the capture records " + ifDrops.orElse(0) + " packets dropped"
                    + " by the interface and " + osDrops.orElse(0) + " by the OS: a lost FIN or RST may hide a close");
        }
        long first = pipeline.summary().firstNanos();
        long lastFrame = pipeline.summary().lastNanos();
        String basis = AnalyzeCommand.advanceToCaptureEnd(pipeline, fileEnd, givenEnd);
        pipeline.finish();
        long end = pipeline.now();
        Verdicts.Result result = verdicts.build(first, end, stuckAfter, hosts);
        StuckReport.Run run = new StuckReport.Run(name, first, lastFrame, end, basis, stuckAfter,
                pipeline.summary().connections(), hosts == null ? List.of() : hosts.snapshots().snapshots(), ifDrops,
                osDrops);
        StuckReport.print(out, format == OutputFormat.JSONL, run, result);
        if (out.checkError()) {
            return StdoutStream.outputFailed(err); // 11 with the reason, or 141 quietly for a closed pipe
        }
        if (damage != null) {
            err.println("tcpscope: warning: " + name + ": " + damage + "; analyzed the " + pipeline.summary().frames()
                    + " frames before it");
        }
        if (stop.requested()) {
            err.println("tcpscope: interrupted after " + pipeline.summary().frames() + " frames; results so far were written");
            return ExitCode.INTERRUPTED;
        }
        return result.found() ? ExitCode.STUCK_FOUND : ExitCode.OK;
    }
}
