package io.tcpscope.analyzer.cli;

import io.tcpscope.analyzer.report.InterfaceList;
import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.live.InterfaceInfo;
import io.tcpscope.capture.live.Interfaces;
import java.io.PrintStream;
import java.util.List;
import org.apache.commons.cli.CommandLine;

/** {@code tcpscope interfaces}: every device libpcap can capture on (pcap_findalldevs through pcap4j). */
public final class InterfacesCommand {
    private InterfacesCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err, StopSignal stop)
            throws UsageException, CaptureException {
        CommandLine cl = Main.parse("interfaces", args);
        if (cl.hasOption(CliOption.HELP.longName())) {
            Main.printCommandHelp(out, "interfaces", "", "List the interfaces 'tcpscope live -i' can capture on:"
                    + " flags, link type, addresses, description.");
            return ExitCode.OK;
        }
        if (cl.hasOption(CliOption.VERSION.longName())) {
            Main.printVersion(out);
            return ExitCode.OK;
        }
        if (!cl.getArgList().isEmpty()) {
            throw new UsageException("interfaces: unexpected argument '" + cl.getArgList().get(0) + "'");
        }
        OutputFormat format = OutputFormat.parse(cl.getOptionValue(CliOption.FORMAT.longName(), "text"));
        if (format != OutputFormat.TEXT && format != OutputFormat.JSONL) {
            throw new UsageException("interfaces: --format is text or jsonl");
        }
        List<InterfaceInfo> interfaces = Interfaces.list();
        if (format == OutputFormat.JSONL) {
            InterfaceList.jsonl(out, interfaces);
        } else {
            InterfaceList.text(out, interfaces);
        }
        out.flush();
        if (out.checkError()) {
            return StdoutStream.outputFailed(err);
        }
        return ExitCode.OK;
    }
}
