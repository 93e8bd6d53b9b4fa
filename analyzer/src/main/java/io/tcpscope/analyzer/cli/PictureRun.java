package io.tcpscope.analyzer.cli;

import io.tcpscope.analyzer.decode.DecodeResult;
import io.tcpscope.analyzer.engine.AnalysisSummary;
import io.tcpscope.analyzer.engine.ConnectionObserver;
import io.tcpscope.analyzer.engine.Pipeline;
import io.tcpscope.analyzer.engine.RecordSink;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.LinkType;
import io.tcpscope.capture.PacketSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code ladder} and {@code report} share: the captures read through one {@link Pipeline}
 * with the given observers (as {@code analyze} reads them), and the output written to a file
 * or standard output.
 */
final class PictureRun {
    private PictureRun() {
    }

    /** The captures' name, the summary and the damage (null when none) after a whole run. */
    record Result(String name, AnalysisSummary summary, String damage) {
    }

    static Result read(AnalyzeConfig config, List<ConnectionObserver.Factory> factories, RecordSink sink,
                       StopSignal stop) throws CaptureException {
        return read(config, factories, sink, stop, name -> {
        });
    }

    /** The same, telling {@code opened} the captures' name before the first record. */
    static Result read(AnalyzeConfig config, List<ConnectionObserver.Factory> factories, RecordSink sink,
                       StopSignal stop, java.util.function.Consumer<String> opened) throws CaptureException {
        Pipeline pipeline;
        String name;
        String damage;
        int firstUnsupportedLinkType = -1;
        try (PacketSource source = AnalyzeCommand.open(config)) {
            name = source.description();
            opened.accept(name);
            pipeline = new Pipeline(OsProfile.LINUX, config.settings(), sink, factories);
            Frame frame;
            while (!stop.requested() && (frame = source.next()) != null) {
                pipeline.onFrame(frame);
                if (firstUnsupportedLinkType < 0 && pipeline.summary().tcpFrames() == 0
                        && !LinkType.isSupported(frame.linkType())) {
                    firstUnsupportedLinkType = frame.linkType();
                }
            }
            damage = source.damage();
        }
        AnalysisSummary summary = pipeline.summary();
        if (summary.frames() > 0 && summary.skipped(DecodeResult.UNSUPPORTED_LINK_TYPE) == summary.frames()) {
            throw new CaptureException(CaptureException.Kind.UNSUPPORTED_LINK_TYPE, name
                    + ": unsupported link type " + LinkType.name(firstUnsupportedLinkType)
                    + "; tcpscope reads Ethernet, Linux cooked (SLL, SLL2), raw IP and BSD loopback captures");
        }
        pipeline.finish();
        summary.damage(damage);
        summary.interrupted(stop.requested());
        return new Result(name, summary, damage);
    }

    /** Writes {@code text} to {@code file}, or to {@code out} when file is null; false (and one line on err) on failure. */
    static boolean write(String text, Path file, PrintStream out, PrintStream err) {
        if (file == null) {
            out.print(text);
            out.flush();
            if (out.checkError()) {
                err.println("tcpscope: error writing the output");
                return false;
            }
            return true;
        }
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return true;
        } catch (IOException e) {
            err.println("tcpscope: cannot write " + file + ": " + e.getMessage());
            return false;
        }
    }

    /** Exit code and warning for a damaged capture, as analyze gives them. */
    static int damage(Result r, PrintStream err) {
        if (r.damage() == null) {
            return ExitCode.OK;
        }
        err.println("tcpscope: warning: " + r.name() + ": " + r.damage() + "; analyzed the " + r.summary().frames()
                + " frames before it");
        return ExitCode.DAMAGED;
    }

    /** The analyze configuration a picture command reads its captures with. */
    static AnalyzeConfig config(org.apache.commons.cli.CommandLine cl, String command) throws UsageException {
        List<Path> captures = Main.captures(cl);
        return new AnalyzeConfig(captures, null, OutputFormat.TEXT, Main.stuckAfter(cl), -1, Main.maxConnections(cl),
                Main.idleTimeout(cl), io.tcpscope.analyzer.report.ReorderBuffer.DEFAULT_MEMORY_CHARS);
    }

    /** {@code -o FILE}, or null for standard output. */
    static Path output(org.apache.commons.cli.CommandLine cl, String command) throws UsageException {
        String o = cl.getOptionValue(CliOption.OUTPUT.longName());
        if (o == null || o.equals("-")) {
            return null;
        }
        try {
            return Path.of(o);
        } catch (java.nio.file.InvalidPathException e) {
            throw new UsageException(command + ": invalid output file name '" + o + "'");
        }
    }
}
