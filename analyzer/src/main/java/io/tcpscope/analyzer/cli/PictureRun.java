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
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
            boolean interrupted = false;
            ReadInterrupt blockedRead = new ReadInterrupt(stop);
            try {
                while (!stop.requested() && (frame = source.next()) != null) {
                    pipeline.onFrame(frame);
                    if (firstUnsupportedLinkType < 0 && pipeline.summary().tcpFrames() == 0
                            && !LinkType.isSupported(frame.linkType())) {
                        firstUnsupportedLinkType = frame.linkType();
                    }
                }
            } catch (CaptureException e) {
                if (!stop.requested()) {
                    throw e;
                }
                interrupted = true; // a blocked read, interrupted by the stop: what was read is drawn
            } finally {
                blockedRead.close();
            }
            damage = interrupted || blockedRead.fired() ? null : source.damage();
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

    /**
     * Writes {@code text} to {@code file}, or to {@code out} when file is null.
     *
     * <p>A file is written whole or not at all: into a temporary file beside it
     * ({@code .NAME.tcpscope-PID.tmp}), then renamed over it, so that a full disk or a signal
     * never leaves half a report under its name (a device or FIFO is written as it is).
     *
     * @return {@link ExitCode#OK}; else {@link ExitCode#OUTPUT} with one line on err (the file
     *         and the reason; for standard output as analyze says it), or {@link
     *         ExitCode#BROKEN_PIPE}, quietly, when standard output's reader went away
     */
    static int write(String text, Path file, PrintStream out, PrintStream err) {
        if (file == null) {
            out.print(text);
            out.flush();
            return out.checkError() ? StdoutStream.outputFailed(err) : ExitCode.OK;
        }
        Path target = file.toAbsolutePath();
        Path temporary = target.resolveSibling("." + target.getFileName() + ".tcpscope-" + ProcessHandle.current().pid()
                + ".tmp");
        try {
            if (Files.isSymbolicLink(target) || Files.exists(target) && !Files.isRegularFile(target)) {
                Files.writeString(target, text, StandardCharsets.UTF_8); // /dev/stdout, a FIFO: no rename
                return ExitCode.OK;
            }
            try {
                Files.writeString(temporary, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
            return ExitCode.OK;
        } catch (IOException e) {
            String reason = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                    : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            if (reason.contains("Broken pipe")) {
                return ExitCode.BROKEN_PIPE; // -o /dev/stdout into a closed pipe: quietly, as on standard output
            }
            err.println("tcpscope: cannot write " + file + ": " + reason);
            return ExitCode.OUTPUT;
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
