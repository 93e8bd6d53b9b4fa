package io.tcpscope.bench;

import io.tcpscope.analyzer.bench.FloodCapture;
import io.tcpscope.analyzer.bench.SyntheticCapture;
import io.tcpscope.analyzer.cli.AnalyzeCommand;
import io.tcpscope.analyzer.cli.AnalyzeConfig;
import io.tcpscope.analyzer.cli.ExitCode;
import io.tcpscope.analyzer.cli.Main;
import io.tcpscope.analyzer.cli.OutputFormat;
import io.tcpscope.analyzer.cli.StopSignal;
import io.tcpscope.analyzer.cli.UsageException;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.engine.Pipeline;
import io.tcpscope.analyzer.flow.FlowTable;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.PacketSource;
import io.tcpscope.capture.file.CaptureFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;

/**
 * {@code tcpscope bench CAPTURE}: times tcpscope against {@code tcpdump -r} and {@code tshark}
 * on the same file; {@code tcpscope bench --generate FILE} writes a synthetic capture for it.
 *
 * <p>Rows, each one warm-up run then {@code --repeat} timed runs, median and best reported:
 * <ul>
 *   <li>engine only: {@link CaptureFiles#open}, {@link Pipeline#onFrame} for every frame,
 *       {@link Pipeline#finish}; in this JVM, after the warm-up run (JIT-compiled);</li>
 *   <li>analyze: what {@code tcpscope analyze --format jsonl} does (engine, diagnoser, JSONL
 *       report), output into a null stream; in this JVM;</li>
 *   <li>analyze in a new JVM: {@code java ... Main analyze --format jsonl FILE}, output to
 *       /dev/null, JVM start-up and JIT warm-up included, as a user runs it;</li>
 *   <li>{@code tcpdump -n -r}, {@code tshark -n -r}, {@code tshark -n -q -r -z conv,tcp}:
 *       output to /dev/null; skipped with a note when not installed or with --no-external.</li>
 * </ul>
 *
 * <p><b>Clock:</b> this command is the one place in tcpscope that reads a clock other than
 * the capture's ({@link System#nanoTime}, for wall time). The analyzer never does: its output
 * depends on the capture only. Allocation is the JVM's per-thread counter
 * ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}) around the timed loop.
 */
public final class BenchCommand {
    static final int DEFAULT_REPEAT = 5;
    private static final String ENGINE = "tcpscope engine only";
    private static final String ANALYZE = "tcpscope analyze";
    /** Frames the in-process rows process before they are timed. */
    static final long WARM_UP_FRAMES = 200_000;
    static final int MAX_WARM_UP_RUNS = 1000;

    private BenchCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err, StopSignal stop)
            throws UsageException, CaptureException {
        CommandLine cl = BenchMain.parse(args);
        if (cl.hasOption(BenchOption.HELP.longName())) {
            BenchMain.printHelp(out, "CAPTURE | --generate FILE",
                    "Time tcpscope against tcpdump -r and tshark on one capture, or write a synthetic capture"
                            + " to time (--generate).");
            return ExitCode.OK;
        }
        if (cl.hasOption(BenchOption.VERSION.longName())) {
            BenchMain.printVersion(out);
            return ExitCode.OK;
        }
        if (cl.hasOption(BenchOption.GENERATE.longName())) {
            if (!cl.getArgList().isEmpty()) {
                throw new UsageException("bench --generate: unexpected argument '" + cl.getArgList().get(0) + "'");
            }
            if (cl.hasOption(BenchOption.MEMORY.longName())) {
                throw new UsageException("bench: --memory goes with a CAPTURE, not with --generate");
            }
            return generate(cl, out);
        }
        for (BenchOption o : new BenchOption[] {BenchOption.CONNECTIONS, BenchOption.PACKETS_PER_CONNECTION,
                BenchOption.SHAPE, BenchOption.CONCURRENCY, BenchOption.REFERENCE, BenchOption.SOURCES,
                BenchOption.SYN_RATE}) {
            if (cl.hasOption(o.longName())) {
                throw new UsageException("bench: --" + o.longName() + " goes with --generate");
            }
        }
        if (cl.getArgList().size() != 1) {
            throw new UsageException(cl.getArgList().isEmpty() ? "bench: missing CAPTURE file"
                    : "bench: expected one CAPTURE file, got " + cl.getArgList().size() + " arguments");
        }
        int repeat = DEFAULT_REPEAT;
        if (cl.hasOption(BenchOption.REPEAT.longName())) {
            long n = BenchMain.parseCount(cl.getOptionValue(BenchOption.REPEAT.longName()), "--repeat");
            if (n < 1 || n > 1000) {
                throw new UsageException("--repeat must be between 1 and 1000");
            }
            repeat = (int) n;
        }
        Bench bench = new Bench(Path.of(cl.getArgList().get(0)), repeat,
                !cl.hasOption(BenchOption.NO_EXTERNAL.longName()), out, stop);
        return cl.hasOption(BenchOption.MEMORY.longName()) ? bench.memoryOnly() : bench.run();
    }

    private static int generate(CommandLine cl, PrintStream out) throws UsageException, CaptureException {
        Path file = Path.of(cl.getOptionValue(BenchOption.GENERATE.longName()));
        boolean reference = cl.hasOption(BenchOption.REFERENCE.longName());
        SyntheticCapture.Shape shape = reference ? SyntheticCapture.Shape.ROUNDS : SyntheticCapture.Shape.MIXED;
        boolean flood = cl.hasOption(BenchOption.SHAPE.longName())
                && cl.getOptionValue(BenchOption.SHAPE.longName()).trim().equalsIgnoreCase("flood");
        if (flood) {
            return generateFlood(cl, file, reference, out);
        }
        for (BenchOption o : new BenchOption[] {BenchOption.SOURCES, BenchOption.SYN_RATE}) {
            if (cl.hasOption(o.longName())) {
                throw new UsageException("--" + o.longName() + " goes with --shape flood");
            }
        }
        if (cl.hasOption(BenchOption.SHAPE.longName())) {
            String text = cl.getOptionValue(BenchOption.SHAPE.longName());
            try {
                shape = SyntheticCapture.Shape.valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UsageException("invalid --shape '" + text + "' (expected mixed, rounds, open or flood)");
            }
        }
        long connections = reference ? SyntheticCapture.REFERENCE_CONNECTIONS : SyntheticCapture.DEFAULT_CONNECTIONS;
        if (cl.hasOption(BenchOption.CONNECTIONS.longName())) {
            connections = BenchMain.parseCount(cl.getOptionValue(BenchOption.CONNECTIONS.longName()), "--connections");
        }
        long packets = reference ? SyntheticCapture.REFERENCE_PACKETS_PER_CONNECTION
                : SyntheticCapture.DEFAULT_PACKETS_PER_CONNECTION;
        if (cl.hasOption(BenchOption.PACKETS_PER_CONNECTION.longName())) {
            packets = BenchMain.parseCount(cl.getOptionValue(BenchOption.PACKETS_PER_CONNECTION.longName()),
                    "--packets-per-connection");
        }
        long concurrency = shape == SyntheticCapture.Shape.ROUNDS ? SyntheticCapture.REFERENCE_CONCURRENCY
                : SyntheticCapture.CONCURRENCY;
        if (cl.hasOption(BenchOption.CONCURRENCY.longName())) {
            if (shape == SyntheticCapture.Shape.OPEN) {
                throw new UsageException("--concurrency does not go with --shape open (every connection is open)");
            }
            concurrency = BenchMain.parseCount(cl.getOptionValue(BenchOption.CONCURRENCY.longName()), "--concurrency");
        }
        if (connections < 1 || connections > 5_000_000) {
            throw new UsageException("--connections must be between 1 and 5000000");
        }
        int min = shape.minPacketsPerConnection();
        if (packets < min || packets > 100_000) {
            throw new UsageException("--packets-per-connection must be between " + min + " and 100000");
        }
        if (concurrency < 1 || concurrency > 5_000_000) {
            throw new UsageException("--concurrency must be between 1 and 5000000");
        }
        SyntheticCapture.Result r = SyntheticCapture.write(file, new SyntheticCapture.Plan(shape, (int) connections,
                (int) packets, (int) concurrency, SyntheticCapture.DEFAULT_SEED));
        if (shape == SyntheticCapture.Shape.OPEN) {
            out.printf(Locale.ROOT, "wrote %d frames, %d connections (all open at once, none closes) to %s (%.1f MB)%n",
                    r.frames(), r.connections(), file, fileSize(file) / 1e6);
            return ExitCode.OK;
        }
        out.printf(Locale.ROOT, "wrote %d frames, %d connections (%d client close, %d server close, %d reset,"
                        + " %d stuck half-close) to %s (%.1f MB)%n", r.frames(), r.connections(),
                r.count(SyntheticCapture.Ending.CLIENT_CLOSE), r.count(SyntheticCapture.Ending.SERVER_CLOSE),
                r.count(SyntheticCapture.Ending.RESET), r.count(SyntheticCapture.Ending.STUCK_HALF_CLOSE), file,
                fileSize(file) / 1e6);
        return ExitCode.OK;
    }

    /** {@code --generate F --shape flood}: {@link FloodCapture}. */
    private static int generateFlood(CommandLine cl, Path file, boolean reference, PrintStream out)
            throws UsageException, CaptureException {
        for (BenchOption o : new BenchOption[] {BenchOption.CONNECTIONS, BenchOption.PACKETS_PER_CONNECTION,
                BenchOption.CONCURRENCY}) {
            if (cl.hasOption(o.longName())) {
                throw new UsageException("--" + o.longName() + " does not go with --shape flood (see --sources)");
            }
        }
        if (reference) {
            throw new UsageException("--reference does not go with --shape flood");
        }
        long sources = 100_000;
        if (cl.hasOption(BenchOption.SOURCES.longName())) {
            sources = BenchMain.parseCount(cl.getOptionValue(BenchOption.SOURCES.longName()), "--sources");
        }
        if (sources < 1 || sources > 100_000_000) {
            throw new UsageException("--sources must be between 1 and 100000000");
        }
        long rate = FloodCapture.DEFAULT_RATE;
        if (cl.hasOption(BenchOption.SYN_RATE.longName())) {
            rate = BenchMain.parseCount(cl.getOptionValue(BenchOption.SYN_RATE.longName()), "--syn-rate");
        }
        if (rate < 1 || rate > 100_000_000) {
            throw new UsageException("--syn-rate must be between 1 and 100000000");
        }
        FloodCapture.Result r = FloodCapture.write(file, new FloodCapture.Plan((int) sources, (int) rate,
                SyntheticCapture.DEFAULT_SEED));
        out.printf(Locale.ROOT, "wrote %d frames: a SYN flood from %d spoofed sources on %s:%d (%d answered by a"
                        + " SYN-ACK, %d of those resent twice), %d legitimate connections and one long-lived one, to %s"
                        + " (%.1f MB)%n", r.frames(), r.sources(), "192.0.2.10", FloodCapture.LISTENER_PORT,
                r.answered(), r.requestSockets(), r.legit(), file, fileSize(file) / 1e6);
        return ExitCode.OK;
    }

    private static long fileSize(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    /** One row of the table. */
    private record Row(String tool, Samples samples, String note) {
    }

    /** One benchmark of one file. */
    private static final class Bench {
        private final Path file;
        private final int repeat;
        private final boolean external;
        private final PrintStream out;
        private final StopSignal stop;
        private final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        private final List<Row> rows = new ArrayList<>();
        private long frames;
        private long connections;
        private long bytes;

        Bench(Path file, int repeat, boolean external, PrintStream out, StopSignal stop) {
            this.file = file;
            this.repeat = repeat;
            this.external = external;
            this.out = out;
            this.stop = stop;
            if (threads.isThreadAllocatedMemorySupported() && !threads.isThreadAllocatedMemoryEnabled()) {
                threads.setThreadAllocatedMemoryEnabled(true);
            }
        }

        private long allocatedNow() {
            return threads.isThreadAllocatedMemorySupported()
                    ? threads.getThreadAllocatedBytes(Thread.currentThread().getId()) : -1;
        }

        int run() throws CaptureException {
            bytes = fileSize(file);
            List<ConnectionRecord> kept = new ArrayList<>();
            engineOnce(kept); // first warm-up run, and the counts
            connections = kept.size();
            int warmUps = warmUpRuns();
            out.printf(Locale.ROOT, "tcpscope bench %s: %d frames, %.1f MB, %d connections; %d warm-up + %d timed runs"
                    + " per tool%n%n", file, frames, bytes / 1e6, connections, warmUps, repeat);
            kept.clear();
            for (int i = 1; i < warmUps && !stop.requested(); i++) {
                engineOnce(null);
            }

            Samples engine = new Samples(repeat);
            for (int i = 0; i < repeat && !stop.requested(); i++) {
                long a0 = allocatedNow();
                long t0 = System.nanoTime();
                engineOnce(null);
                long t1 = System.nanoTime();
                long a1 = allocatedNow();
                engine.add((t1 - t0) / 1e9, a0 < 0 ? -1 : a1 - a0, -1);
            }
            rows.add(new Row(ENGINE + " (this JVM)", engine, jvmPeak()));

            AnalyzeConfig config = new AnalyzeConfig(file, null, OutputFormat.JSONL, 30_000_000_000L, -1,
                    FlowTable.defaultMaxConnections());
            for (int i = 0; i < warmUps && !stop.requested(); i++) {
                analyzeOnce(config);
            }
            Samples analyze = new Samples(repeat);
            for (int i = 0; i < repeat && !stop.requested(); i++) {
                long a0 = allocatedNow();
                long t0 = System.nanoTime();
                analyzeOnce(config);
                long t1 = System.nanoTime();
                long a1 = allocatedNow();
                analyze.add((t1 - t0) / 1e9, a0 < 0 ? -1 : a1 - a0, -1);
            }
            rows.add(new Row(ANALYZE + " (this JVM)", analyze, jvmPeak()));

            long retained = retainedHeap();
            OpenHeap open = openHeap();

            List<String> notes = new ArrayList<>();
            if (!external) {
                notes.add("external tools skipped (--no-external)");
            } else {
                for (ExternalCommand c : externalCommands(notes)) {
                    if (stop.requested()) {
                        break;
                    }
                    rows.add(runExternal(c, notes));
                }
            }
            if (external && !ExternalCommand.canMeasureMemory()) {
                notes.add("peak memory of external tools not measured: /usr/bin/time (GNU time) not installed");
            }
            print(engine, analyze, retained, open, notes);
            return stop.requested() ? ExitCode.INTERRUPTED : ExitCode.OK;
        }

        /**
         * Warm-up runs before the in-process rows are timed: enough for {@link #WARM_UP_FRAMES}
         * frames, so that the JIT has compiled the path even on a small capture; at least one.
         * External tools get one warm-up run (it fills the page cache).
         */
        private int warmUpRuns() {
            return (int) Math.max(1, Math.min(MAX_WARM_UP_RUNS, (WARM_UP_FRAMES + frames - 1) / Math.max(1, frames)));
        }

        /** The engine over every frame, then finish; {@code kept} receives the connections if not null. */
        private void engineOnce(List<ConnectionRecord> kept) throws CaptureException {
            long[] count = new long[1];
            Pipeline analyzer = new Pipeline(OsProfile.LINUX, Pipeline.Settings.defaults(), c -> {
                count[0]++;
                if (kept != null) {
                    kept.add(c);
                }
            });
            try (PacketSource source = CaptureFiles.open(file)) {
                Frame frame;
                while ((frame = source.next()) != null) {
                    analyzer.onFrame(frame);
                }
            }
            analyzer.finish();
            frames = analyzer.summary().frames();
            connections = count[0];
        }

        private void analyzeOnce(AnalyzeConfig config) throws CaptureException {
            PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
            int code = new AnalyzeCommand(config, sink, sink, new StopSignal()).run();
            if (code != ExitCode.OK && code != ExitCode.DAMAGED) {
                throw new CaptureException(CaptureException.Kind.IO, file + ": analyze exited with " + code);
            }
        }

        /**
         * {@code --memory}: only {@link #openHeap()}, no timing. On a {@code --shape open}
         * capture (every connection open at its end) it is the heap one open connection costs.
         */
        int memoryOnly() throws CaptureException {
            bytes = fileSize(file);
            OpenHeap open = openHeap();
            out.printf(Locale.ROOT, "tcpscope bench --memory %s: %d frames, %.1f MB%n", file, frames, bytes / 1e6);
            out.println(open.line());
            out.println("heap in use after GC (the JVM's MemoryMXBean, three System.gc() calls), before and after;"
                    + " everything the engine holds for them counted: flow table, connections, endpoints, timelines,"
                    + " diagnosis evidence, the duplicate filter");
            out.flush();
            return stop.requested() ? ExitCode.INTERRUPTED : ExitCode.OK;
        }

        /** The heap the connections open at the capture's end hold. */
        private record OpenHeap(long bytes, int connections) {
            String line() {
                return String.format(Locale.ROOT, "heap per open connection (capture read to its end, connections not"
                                + " ended; after GC, flow table included): %s bytes (%d open connections, %.1f MB)",
                        connections == 0 ? "-" : Long.toString(bytes / connections), connections, bytes / 1e6);
            }
        }

        private static long usedAfterGc() {
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }

        /**
         * Heap in use after GC with every frame read and the connections still open (no
         * {@link Pipeline#finish}), less the heap in use before, over the connections open then.
         */
        private OpenHeap openHeap() throws CaptureException {
            long before = usedAfterGc();
            Pipeline analyzer = new Pipeline(OsProfile.LINUX, Pipeline.Settings.defaults(), c -> { });
            try (PacketSource source = CaptureFiles.open(file)) {
                Frame frame;
                while ((frame = source.next()) != null && !stop.requested()) {
                    analyzer.onFrame(frame);
                }
            }
            long after = usedAfterGc();
            int open = analyzer.openConnections();
            frames = analyzer.summary().frames();
            java.lang.ref.Reference.reachabilityFence(analyzer);
            return new OpenHeap(Math.max(0, after - before), open);
        }

        /** Heap still used after a GC while the analysis result (every connection) is held. */
        private long retainedHeap() throws CaptureException {
            System.gc();
            long before = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            List<ConnectionRecord> kept = new ArrayList<>();
            engineOnce(kept);
            System.gc();
            long after = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long retained = Math.max(0, after - before);
            if (kept.size() != connections) {
                throw new IllegalStateException("connections changed between runs");
            }
            return retained;
        }

        private List<ExternalCommand> externalCommands(List<String> notes) {
            List<ExternalCommand> list = new ArrayList<>();
            String f = file.toString();
            String java = ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            list.add(new ExternalCommand(ANALYZE + " (new JVM)", List.of(java, "-cp",
                    System.getProperty("java.class.path"), Main.class.getName(), "analyze", "--format", "jsonl", f)));
            if (ExternalCommand.onPath("tcpdump") != null) {
                list.add(new ExternalCommand("tcpdump -n -r", List.of("tcpdump", "-n", "-r", f)));
            } else {
                notes.add("tcpdump skipped: not installed");
            }
            if (ExternalCommand.onPath("tshark") != null) {
                list.add(new ExternalCommand("tshark -n -r", List.of("tshark", "-n", "-r", f)));
                list.add(new ExternalCommand("tshark -n -q -z conv,tcp",
                        List.of("tshark", "-n", "-q", "-r", f, "-z", "conv,tcp")));
            } else {
                notes.add("tshark skipped: not installed (apt-get install tshark)");
            }
            return list;
        }

        private Row runExternal(ExternalCommand c, List<String> notes) {
            Samples s = new Samples(repeat);
            try {
                ExternalCommand.Run warmUp = c.runOnce();
                if (warmUp.exitCode() != 0) {
                    notes.add(c.label() + ": exited with " + warmUp.exitCode() + " (" + String.join(" ", c.command())
                            + ")");
                }
                for (int i = 0; i < repeat && !stop.requested(); i++) {
                    ExternalCommand.Run r = c.runOnce();
                    s.add(r.seconds(), -1, r.peakRssKb());
                }
            } catch (IOException e) {
                notes.add(c.label() + " skipped: " + e.getMessage());
                return new Row(c.label(), s, "-");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop.request();
            }
            long kb = s.peakRssKb();
            return new Row(c.label(), s, kb < 0 ? "n/a" : mb(kb * 1024) + " RSS");
        }

        /** Peak RSS of this JVM so far (Linux /proc/self/status VmHWM). */
        private static String jvmPeak() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                    if (line.startsWith("VmHWM:")) {
                        long kb = Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                        return mb(kb * 1024) + " RSS (whole bench JVM)";
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux: no figure
            }
            return "n/a";
        }

        private static String mb(long bytes) {
            return String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
        }

        private void print(Samples engine, Samples analyze, long retained, OpenHeap open, List<String> notes) {
            Samples cold = null;
            for (Row r : rows) {
                if (r.tool().equals(ANALYZE + " (new JVM)") && r.samples().count() > 0) {
                    cold = r.samples();
                }
            }
            String format = "%-32s %10s %10s %12s %9s  %-19s %-19s %s%n";
            out.printf(Locale.ROOT, format, "tool", "median ms", "best ms", "frames/s", "MB/s",
                    "vs tcpscope (JVM)", "vs tcpscope (new)", "peak memory");
            for (Row r : rows) {
                Samples s = r.samples();
                if (s.count() == 0) {
                    out.printf(Locale.ROOT, format, r.tool(), "-", "-", "-", "-", "not run", "", r.note());
                    continue;
                }
                double median = s.median();
                out.printf(Locale.ROOT, format, r.tool(), ms(median), ms(s.best()),
                        String.format(Locale.ROOT, "%.0f", frames / median),
                        String.format(Locale.ROOT, "%.1f", bytes / 1e6 / median),
                        s == analyze ? "reference" : ratio(median, analyze.median()),
                        cold == null ? "-" : s == cold ? "reference" : ratio(median, cold.median()), r.note());
            }
            out.println();
            for (Row r : rows) {
                Samples s = r.samples();
                if (s.count() == 0 || s == analyze || s == cold || s == engine) {
                    continue;
                }
                out.printf(Locale.ROOT, "%s: %s than tcpscope analyze (this JVM)%s%n", r.tool(),
                        ratio(s.median(), analyze.median()),
                        cold == null ? "" : ", " + ratio(s.median(), cold.median()) + " than tcpscope analyze (new JVM)");
            }
            out.println();
            out.printf(Locale.ROOT, "allocated per frame (median run, this thread): engine only %s, analyze %s%n",
                    perFrame(engine.medianAllocated()), perFrame(analyze.medianAllocated()));
            out.printf(Locale.ROOT, "heap retained after GC holding every connection: %.1f MB (%s bytes per connection)%n",
                    retained / 1e6, connections == 0 ? "-" : Long.toString(retained / connections));
            out.println(open.line());
            out.println("allocation includes per-run costs (the 1 MiB read window) and per-connection state;"
                    + " the in-order per-packet path allocates nothing (InOrderAllocationTest)");
            out.println("times are wall clock (System.nanoTime) from start to end of each run; the new-JVM and"
                    + " external rows include process start-up");
            for (String n : notes) {
                out.println("note: " + n);
            }
            out.flush();
        }

        private String perFrame(long allocated) {
            if (allocated < 0 || frames == 0) {
                return "n/a";
            }
            return String.format(Locale.ROOT, "%.1f bytes", (double) allocated / frames);
        }

        private static String ms(double seconds) {
            return String.format(Locale.ROOT, "%.3f", seconds * 1e3);
        }

        /** "3.1x slower" or "2.0x faster": {@code seconds} against {@code reference}. */
        private static String ratio(double seconds, double reference) {
            if (!(reference > 0) || !(seconds > 0)) {
                return "-";
            }
            return seconds >= reference
                    ? String.format(Locale.ROOT, "%.1fx slower", seconds / reference)
                    : String.format(Locale.ROOT, "%.1fx faster", reference / seconds);
        }
    }
}
