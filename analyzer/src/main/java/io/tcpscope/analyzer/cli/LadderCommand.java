package io.tcpscope.analyzer.cli;

import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.report.ladder.Ladder;
import io.tcpscope.analyzer.report.ladder.SegmentLog;
import io.tcpscope.analyzer.report.ladder.SvgLadder;
import io.tcpscope.analyzer.report.ladder.TextLadder;
import io.tcpscope.capture.CaptureException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.CommandLine;

/**
 * {@code tcpscope ladder CAPTURE... --conn ID}: the ladder diagram of one connection, as text
 * (UTF-8, or ASCII when the locale is not UTF-8 or with --ascii) or SVG.
 */
final class LadderCommand {
    private LadderCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err, StopSignal stop)
            throws UsageException, CaptureException {
        CommandLine cl = Main.parse("ladder", args);
        if (cl.hasOption(CliOption.HELP.longName())) {
            Main.printCommandHelp(out, "ladder", "CAPTURE... --conn ID", "Draw one connection as a ladder diagram:"
                    + " client left, server right, one arrow per segment, each endpoint's state on its side.");
            return ExitCode.OK;
        }
        if (!cl.hasOption(CliOption.CONN.longName())) {
            throw new UsageException("ladder: missing --conn ID (the connection ids are those of tcpscope analyze)");
        }
        long id = Main.parseCount(cl.getOptionValue(CliOption.CONN.longName()), "--conn");
        String format = cl.getOptionValue(CliOption.FORMAT.longName(), "text");
        if (!format.equals("text") && !format.equals("svg")) {
            throw new UsageException("ladder: invalid --format '" + format + "' (use text or svg)");
        }
        AnalyzeConfig config = PictureRun.config(cl, "ladder");
        Path output = PictureRun.output(cl, "ladder");
        boolean full = cl.hasOption(CliOption.FULL.longName());
        boolean absolute = cl.hasOption(CliOption.ABSOLUTE.longName());
        boolean ascii = cl.hasOption(CliOption.ASCII.longName()) || TextLadder.asciiLocale(System.getenv());
        ConnectionRecord[] wanted = new ConnectionRecord[1];
        PictureRun.Result result = PictureRun.read(config,
                List.of(SegmentLog.factory(SegmentLog.LADDER_HEAD, SegmentLog.LADDER_TAIL, c -> c == id)), r -> {
                    if (r.id() == id) {
                        wanted[0] = r;
                    }
                }, stop);
        if (wanted[0] == null) {
            long n = result.summary().connections();
            err.println("tcpscope: no connection " + id + " in " + result.name() + " (" + n + " connections"
                    + (n > 0 ? ", ids 0-" + (n - 1) : "") + ")");
            return ExitCode.USAGE;
        }
        Ladder ladder = Ladder.of(wanted[0], full);
        String text = format.equals("svg") ? new SvgLadder(absolute).render(ladder)
                : new TextLadder(ascii, absolute).render(ladder);
        int written = PictureRun.write(text, output, out, err);
        if (written != ExitCode.OK) {
            return written;
        }
        if (stop.requested()) {
            err.println("tcpscope: interrupted; the ladder shows what was read");
            return ExitCode.INTERRUPTED;
        }
        return PictureRun.damage(result, err);
    }
}
