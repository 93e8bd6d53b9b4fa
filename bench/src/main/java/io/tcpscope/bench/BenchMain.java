package io.tcpscope.bench;

import io.tcpscope.analyzer.cli.ExitCode;
import io.tcpscope.analyzer.cli.Main;
import io.tcpscope.analyzer.cli.StopSignal;
import io.tcpscope.analyzer.cli.UsageException;
import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.ffi.LibpcapSource;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.ParseException;

/**
 * Entry point of {@code bench/target/tcpscope-bench.jar}, which the {@code ./tcpscope}
 * launcher runs for {@code tcpscope bench ...}:
 * <ul>
 *   <li>{@code bench ...}: {@link BenchCommand} (timing table, {@code --generate});</li>
 *   <li>{@code jmh [JMH options]}: the JMH benchmarks of {@code io.tcpscope.bench.jmh}
 *       ({@code org.openjdk.jmh.Main}; e.g. {@code jmh -prof gc}, see BENCHMARKS.md);</li>
 *   <li>any other command: the analyzer's {@link Main} (the jar holds the whole analyzer, so
 *       the bench's "new JVM" row can run {@code analyze} from the same class path).</li>
 * </ul>
 * Errors are printed as the analyzer prints them: one line and an exit code.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("jmh")) {
            org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length == 0 || !args[0].equals("bench")) {
            Main.main(args);
            return;
        }
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        StopSignal stop = new StopSignal().installHook();
        int code = run(args, out, err, stop);
        out.flush();
        stop.done();
        if (!stop.requested()) {
            System.exit(code);
        }
    }

    /** Runs {@code bench ...} (args[0] is "bench"); never throws. */
    public static int run(String[] args, PrintStream out, PrintStream err, StopSignal stop) {
        try {
            if (args.length == 0 || !args[0].equals("bench")) {
                throw new UsageException("expected the command 'bench'");
            }
            return BenchCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err, stop);
        } catch (UsageException e) {
            err.println("tcpscope: " + e.getMessage());
            err.println("Try 'tcpscope bench --help' for more information.");
            return ExitCode.USAGE;
        } catch (CaptureException e) {
            err.println("tcpscope: " + e.getMessage());
            return e.kind().exitCode();
        } catch (RuntimeException | LinkageError e) {
            err.println("tcpscope: internal error: " + e + " (set TCPSCOPE_DEBUG=1 for the stack trace)");
            if (System.getenv("TCPSCOPE_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return ExitCode.INTERNAL;
        }
    }

    static CommandLine parse(String[] args) throws UsageException {
        try {
            return new DefaultParser().parse(BenchOption.all(), args);
        } catch (ParseException e) {
            throw new UsageException("bench: " + e.getMessage());
        }
    }

    static void printHelp(PrintStream out, String args, String header) {
        HelpFormatter help = new HelpFormatter();
        help.setOptionComparator(null);
        PrintWriter pw = new PrintWriter(out);
        help.printHelp(pw, 100, "tcpscope bench [OPTIONS] " + args, header + "\n\n", BenchOption.all(), 2, 4,
                "\nSee BENCHMARKS.md for the method.");
        pw.flush();
    }

    static void printVersion(PrintStream out) {
        out.println("tcpscope " + Main.VERSION);
        try {
            out.println(LibpcapSource.libraryVersion());
        } catch (CaptureException e) {
            out.println("libpcap: " + e.getMessage());
        }
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
}
