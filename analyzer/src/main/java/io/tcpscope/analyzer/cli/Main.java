package io.tcpscope.analyzer.cli;

import io.tcpscope.analyzer.engine.Pipeline;
import io.tcpscope.analyzer.flow.FlowTable;
import io.tcpscope.analyzer.report.ReorderBuffer;
import io.tcpscope.analyzer.report.Spool;
import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.ffi.LibpcapSource;
import io.tcpscope.capture.file.CaptureFiles;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/** The command line: parses options into a validated configuration and runs one command. */
public final class Main {
    public static final String VERSION = "0.1.0";
    private static final long DEFAULT_STUCK_AFTER_NANOS = Pipeline.Settings.DEFAULT_STUCK_AFTER_NANOS;

    private Main() {
    }

    public static void main(String[] args) {
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        StopSignal stop = new StopSignal().installHook(err);
        // A closed pipe stops a live capture too: nobody reads its lines any more.
        PrintStream out = new PrintStream(new BufferedOutputStream(
                new StdoutStream(new FileOutputStream(FileDescriptor.out), stop::request), 1 << 16),
                false, StandardCharsets.UTF_8);
        int code = run(args, out, err, stop);
        out.flush();
        if (StdoutStream.brokenPipe()) {
            code = ExitCode.BROKEN_PIPE;
        }
        stop.done();
        if (!stop.signalled()) {
            System.exit(code); // (in a signal's shutdown the JVM ends with 130/143 once the hook returns)
        }
    }

    /** Runs a command line; never throws. */
    public static int run(String[] args, PrintStream out, PrintStream err, StopSignal stop) {
        try {
            return dispatch(args, out, err, stop);
        } catch (UsageException e) {
            err.println("tcpscope: " + e.getMessage());
            err.println("Try 'tcpscope --help' for more information.");
            return ExitCode.USAGE;
        } catch (CaptureException e) {
            err.println("tcpscope: " + e.getMessage());
            return e.kind().exitCode();
        } catch (Spool.SpillException e) {
            err.println("tcpscope: " + e.getMessage());
            return ExitCode.OUTPUT;
        } catch (OutOfMemoryError e) {
            // The pipeline's objects are unreachable once the stack has unwound to here: there
            // is room again for one line.
            err.println(OUT_OF_MEMORY);
            return ExitCode.OUT_OF_MEMORY;
        } catch (RuntimeException | Error e) {
            err.println("tcpscope: internal error: " + e + " (set TCPSCOPE_DEBUG=1 for the stack trace)");
            if (System.getenv("TCPSCOPE_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return ExitCode.INTERNAL;
        }
    }

    /** Built before it is needed: an OutOfMemoryError must not have to allocate it. */
    static final String OUT_OF_MEMORY = "tcpscope: out of memory (Java heap " + (Runtime.getRuntime().maxMemory() >> 20)
            + " MB): give the JVM more with JAVA_OPTS=-Xmx4g (or more), or hold fewer connections at once with"
            + " --max-connections N (evicted ones are flagged EVICTED)";

    private static int dispatch(String[] args, PrintStream out, PrintStream err, StopSignal stop)
            throws UsageException, CaptureException {
        if (args.length == 0) {
            printGeneralHelp(err);
            return ExitCode.USAGE;
        }
        String command = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "-h": case "--help": case "help":
                printGeneralHelp(out);
                return ExitCode.OK;
            case "-V": case "--version":
                printVersion(out);
                return ExitCode.OK;
            case "analyze": {
                CommandLine cl = parse(command, rest);
                if (cl.hasOption(CliOption.HELP.longName())) {
                    printCommandHelp(out, command, "CAPTURE...", "Analyze .pcap or .pcapng captures (gzip, zstd or lz4 compressed too;"
                            + " several files or a directory merged in time order; - for standard input):"
                            + " both endpoints' TCP states for every connection.");
                    return ExitCode.OK;
                }
                if (cl.hasOption(CliOption.VERSION.longName())) {
                    printVersion(out);
                    return ExitCode.OK;
                }
                AnalyzeConfig config = analyzeConfig(cl);
                boolean follow = cl.hasOption(CliOption.FOLLOW.longName());
                if (follow) {
                    checkFollow(config);
                }
                return new AnalyzeCommand(config, out, err, stop).view(recordView(cl)).withFollow(follow)
                        .withHostSnapshots(StuckCommand.hostSnapshots(cl)).withCaptureEnd(StuckCommand.captureEnd(cl)).run();
            }
            case "live":
                return LiveCommand.run(rest, out, err, stop);
            case "stuck":
                return StuckCommand.run(rest, out, err, stop);
            case "interfaces":
                return InterfacesCommand.run(rest, out, err, stop);
            case "bench":
                // The bench lives in its own module and jar (bench/, with JMH); the launcher runs it.
                throw new UsageException("bench is not in this jar: run './tcpscope bench ...'"
                        + " (or java -jar bench/target/tcpscope-bench.jar bench ...)");
            case "ladder":
                return LadderCommand.run(rest, out, err, stop);
            case "report":
                return ReportCommand.run(rest, out, err, stop);
            default:
                throw new UsageException("unknown command '" + command + "'");
        }
    }

    static CommandLine parse(String command, String[] args) throws UsageException {
        CommandLine cl;
        try {
            cl = new DefaultParser().parse(CliOption.forCommand(command), args);
        } catch (ParseException e) {
            throw new UsageException(command + ": " + e.getMessage());
        }
        // Every option but --host-snapshot is single-valued: a second one would silently win or lose.
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (org.apache.commons.cli.Option o : cl.getOptions()) {
            String name = o.getLongOpt() != null ? o.getLongOpt() : o.getOpt();
            if (!seen.add(name) && !name.equals(CliOption.HOST_SNAPSHOT.longName())) { // snapshots: one per file
                throw new UsageException(command + ": option --" + name + " given more than once");
            }
        }
        return cl;
    }

    static AnalyzeConfig analyzeConfig(CommandLine cl) throws UsageException {
        List<Path> captures = captures(cl);
        OutputFormat format = OutputFormat.parse(cl.getOptionValue(CliOption.FORMAT.longName(), "text"));
        long stuckAfter = stuckAfter(cl);
        long timeline = -1;
        if (cl.hasOption(CliOption.TIMELINE.longName())) {
            timeline = parseCount(cl.getOptionValue(CliOption.TIMELINE.longName()), "--timeline");
        }
        int maxConnections = maxConnections(cl);
        String filter = cl.getOptionValue(CliOption.FILTER.longName());
        return new AnalyzeConfig(captures, filter,
                format, stuckAfter, timeline, maxConnections, idleTimeout(cl), ReorderBuffer.DEFAULT_MEMORY_CHARS,
                threads(cl));
    }

    /** {@code --follow} reads one file, on one thread: a usage error (exit 2) says what else to do. */
    static void checkFollow(AnalyzeConfig config) throws UsageException {
        if (!config.singleInput()) {
            throw new UsageException("--follow reads one capture file as it grows, not " + config.captures().size()
                    + " (follow the file being written; analyze the others without --follow)");
        }
        Path file = config.capture();
        if (CaptureFiles.isStandardInput(file)) {
            throw new UsageException("--follow is for a file: standard input is read as it arrives already"
                    + " (tcpdump -U -w - | tcpscope analyze -)");
        }
        if (Files.isDirectory(file)) {
            throw new UsageException("--follow reads one capture file as it grows, not a directory (" + file + ")");
        }
        if (config.threads() != 1) {
            throw new UsageException("--follow reads on one thread: drop --threads 2");
        }
    }

    /** {@code --threads 1|2} (analyze). */
    static int threads(CommandLine cl) throws UsageException {
        if (!cl.hasOption(CliOption.THREADS.longName())) {
            return AnalyzeConfig.DEFAULT_THREADS;
        }
        String v = cl.getOptionValue(CliOption.THREADS.longName());
        if (!v.equals("1") && !v.equals("2")) {
            throw new UsageException("--threads must be 1 or 2");
        }
        return Integer.parseInt(v);
    }

    /** {@code --only-problems}, {@code --state}, {@code --diagnosis}, {@code --all}, for analyze and live. */
    static io.tcpscope.analyzer.report.RecordView recordView(CommandLine cl) throws UsageException {
        java.util.Set<io.tcpscope.analyzer.tcp.TcpState> states = java.util.EnumSet.noneOf(io.tcpscope.analyzer.tcp.TcpState.class);
        java.util.Set<io.tcpscope.analyzer.diagnosis.DiagnosisCode> codes =
                java.util.EnumSet.noneOf(io.tcpscope.analyzer.diagnosis.DiagnosisCode.class);
        for (String name : list(cl, CliOption.STATE)) {
            try {
                io.tcpscope.analyzer.tcp.TcpState s = io.tcpscope.analyzer.tcp.TcpState.valueOf(name);
                if (s == io.tcpscope.analyzer.tcp.TcpState.NONE) {
                    throw new IllegalArgumentException(name);
                }
                states.add(s);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--state: unknown state '" + name + "' (e.g. ESTABLISHED, CLOSE_WAIT, TIME_WAIT)");
            }
        }
        for (String name : list(cl, CliOption.DIAGNOSIS)) {
            try {
                codes.add(io.tcpscope.analyzer.diagnosis.DiagnosisCode.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--diagnosis: unknown code '" + name + "' (README lists them)");
            }
        }
        long timeWait = io.tcpscope.analyzer.tcp.OsProfile.LINUX.timeWaitNanos();
        if (cl.hasOption(CliOption.MSL.longName())) {
            long msl = Durations.parse(cl.getOptionValue(CliOption.MSL.longName()));
            if (msl <= 0 || msl > 3_600_000_000_000L) {
                throw new UsageException("--msl must be longer than zero and at most 1h");
            }
            timeWait = 2 * msl;
        }
        return new io.tcpscope.analyzer.report.RecordView(cl.hasOption(CliOption.ONLY_PROBLEMS.longName()), states, codes,
                cl.hasOption(CliOption.ALL.longName()), timeWait);
    }

    private static List<String> list(CommandLine cl, CliOption o) throws UsageException {
        List<String> out = new ArrayList<>();
        String v = cl.getOptionValue(o.longName());
        if (v == null) {
            return out;
        }
        for (String part : v.split(",")) {
            String name = part.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            if (name.isEmpty()) {
                throw new UsageException("--" + o.longName() + ": empty name in '" + v + "'");
            }
            out.add(name);
        }
        return out;
    }

    /** {@code --idle-timeout}, for analyze and live (default 5 minutes of capture time). */
    static long idleTimeout(CommandLine cl) throws UsageException {
        if (!cl.hasOption(CliOption.IDLE_TIMEOUT.longName())) {
            return Pipeline.Settings.DEFAULT_IDLE_TIMEOUT_NANOS;
        }
        long nanos = Durations.parse(cl.getOptionValue(CliOption.IDLE_TIMEOUT.longName()));
        if (nanos <= 0) {
            throw new UsageException("--idle-timeout must be longer than zero");
        }
        return nanos;
    }

    /**
     * The captures to read: {@code -r FILE} options (as tcpdump users type them) and then the
     * CAPTURE arguments, in the order given; {@code -} is standard input, at most once.
     */
    static List<Path> captures(CommandLine cl) throws UsageException {
        List<String> names = new ArrayList<>();
        String[] read = cl.getOptionValues(CliOption.READ.longName());
        if (read != null) {
            names.addAll(Arrays.asList(read));
        }
        names.addAll(cl.getArgList());
        if (names.isEmpty()) {
            throw new UsageException("analyze: missing CAPTURE file");
        }
        List<Path> captures = new ArrayList<>();
        for (String name : names) {
            if (name.isEmpty()) {
                throw new UsageException("analyze: empty CAPTURE file name");
            }
            try {
                captures.add(Path.of(name));
            } catch (InvalidPathException e) {
                throw new UsageException("analyze: invalid CAPTURE file name '" + name + "'");
            }
        }
        if (captures.stream().filter(CaptureFiles::isStandardInput).count() > 1) {
            throw new UsageException("analyze: standard input (-) can be read only once");
        }
        return captures;
    }

    static int maxConnections(CommandLine cl) throws UsageException {
        int maxConnections = FlowTable.defaultMaxConnections(); // follows -Xmx: a flood meets eviction, not OOM
        if (cl.hasOption(CliOption.MAX_CONNECTIONS.longName())) {
            long n = parseCount(cl.getOptionValue(CliOption.MAX_CONNECTIONS.longName()), "--max-connections");
            if (n < 1 || n > 1 << 28) {
                throw new UsageException("--max-connections must be between 1 and " + (1 << 28));
            }
            maxConnections = (int) n;
        }
        return maxConnections;
    }

    static long stuckAfter(CommandLine cl) throws UsageException {
        return cl.hasOption(CliOption.STUCK_AFTER.longName())
                ? Durations.parse(cl.getOptionValue(CliOption.STUCK_AFTER.longName())) : DEFAULT_STUCK_AFTER_NANOS;
    }

    static long parseCount(String text, String option) throws UsageException {
        try {
            long n = Long.parseLong(text.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("invalid " + option + " '" + text + "' (expected a non-negative integer)");
        }
    }

    static void printVersion(PrintStream out) {
        out.println("tcpscope " + VERSION);
        try {
            out.println(LibpcapSource.libraryVersion());
        } catch (CaptureException e) {
            out.println("libpcap: " + e.getMessage());
        }
    }

    private static void printGeneralHelp(PrintStream out) {
        out.println("Usage: tcpscope COMMAND [OPTIONS]");
        out.println();
        out.println("Reconstructs the RFC 9293 state machines of both endpoints of every TCP connection");
        out.println("in a capture, with timelines and diagnoses (stuck FIN_WAIT_2/CLOSE_WAIT, half-open).");
        out.println();
        out.println("Commands:");
        out.println("  analyze CAPTURE...  analyze .pcap/.pcapng files (also compressed, several merged, a directory,");
        out.println("                      or - for standard input); --follow reads one file on as it grows");
        out.println("  live -i IFACE       capture on an interface and analyze as it runs (needs root or");
        out.println("                      CAP_NET_RAW+CAP_NET_ADMIN); stops on Ctrl-C, --duration or --count");
        out.println("  stuck CAPTURE...    which application is not closing its sockets (CLOSE_WAIT culprits, with");
        out.println("                      --host-snapshot FILE from ss -tanpoie); exit 1 when a stuck half-close is found");
        out.println("  interfaces          list the interfaces live can capture on");
        out.println("  bench CAPTURE       time tcpscope against tcpdump -r and tshark (--generate FILE makes one)");
        out.println("  ladder CAPTURE... --conn ID  draw one connection as a ladder diagram (text or --format svg)");
        out.println("  report CAPTURE... -o FILE.html  write a self-contained HTML report (verdict, chart, table, ladders)");
        out.println();
        out.println("Options:");
        out.println("  -h, --help          show this help (or a command's: tcpscope live --help)");
        out.println("  -V, --version       show the version and libpcap's");
        out.println();
        out.println("Exit codes: 0 ok, 1 damaged capture (analyzed up to the damage), 2 usage error,");
        out.println("3 file not found, 4 not a capture or unsupported link type, 5 I/O error, 6 libpcap missing,");
        out.println("7 no permission, 8 no such interface, 9 bad filter, 10 other libpcap error,");
        out.println("11 output error, 12 out of memory, 70 internal error, 130/143 interrupted by SIGINT/SIGTERM");
        out.println("(results so far written; the end of analyze --follow), 141 standard output closed by its reader");
        out.println("(| head), quietly.");
    }

    static void printCommandHelp(PrintStream out, String command, String args, String header) {
        Options options = CliOption.forCommand(command);
        HelpFormatter help = new HelpFormatter();
        help.setOptionComparator(null);
        PrintWriter pw = new PrintWriter(out);
        help.printHelp(pw, 100, "tcpscope " + command + " [OPTIONS] " + args, header + "\n\n", options, 2, 4,
                "\nSee README.md for the output formats.");
        pw.flush();
    }
}
