package io.tcpscope.analyzer.cli;

import io.tcpscope.analyzer.report.html.HtmlReport;
import io.tcpscope.analyzer.report.html.RecordVerdict;
import io.tcpscope.capture.CaptureException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;

/** {@code tcpscope report CAPTURE... -o report.html}: the self-contained HTML report. */
final class ReportCommand {
    private ReportCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err, StopSignal stop)
            throws UsageException, CaptureException {
        CommandLine cl = Main.parse("report", args);
        if (cl.hasOption(CliOption.HELP.longName())) {
            Main.printCommandHelp(out, "report", "CAPTURE... -o FILE.html", "Write one self-contained HTML file: the"
                    + " verdict, endpoints per state over time, the connection table and ladders.");
            return ExitCode.OK;
        }
        AnalyzeConfig config = PictureRun.config(cl, "report");
        Path output = PictureRun.output(cl, "report");
        if (output == null) {
            throw new UsageException("report: missing -o FILE.html");
        }
        HtmlReport[] report = new HtmlReport[1];
        PictureRun.Result result = PictureRun.read(config, HtmlReport.observers(), r -> report[0].record(r), stop,
                name -> report[0] = new HtmlReport(name, new RecordVerdict()));
        int written = PictureRun.write(report[0].render(result.summary()), output, out, err);
        if (written != ExitCode.OK) {
            return written;
        }
        if (stop.requested()) {
            err.println("tcpscope: interrupted; the report shows what was read");
            return ExitCode.INTERRUPTED;
        }
        return PictureRun.damage(result, err);
    }
}
