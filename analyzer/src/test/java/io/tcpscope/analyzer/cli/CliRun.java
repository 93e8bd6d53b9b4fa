package io.tcpscope.analyzer.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** One in-process run of the command line: {@code Main.run} with captured output. */
public record CliRun(int exit, String out, String err) {

    public static CliRun of(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(o, true, StandardCharsets.UTF_8);
             PrintStream err = new PrintStream(e, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, out, err, new StopSignal());
        }
        return new CliRun(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    public List<String> outLines() {
        return lines(out);
    }

    public List<String> errLines() {
        return lines(err);
    }

    private static List<String> lines(String s) {
        return s.isEmpty() ? List.of() : Arrays.asList(s.split("\n", -1)).subList(0, s.endsWith("\n")
                ? s.split("\n", -1).length - 1 : s.split("\n", -1).length);
    }

    /** The fixtures directory (system property {@code tcpscope.fixtures}, set by the pom). */
    public static Path fixtures() {
        String dir = System.getProperty("tcpscope.fixtures", "../fixtures");
        return Path.of(dir);
    }

    /**
     * The shared third-party corpus: {@code ../shared/corpus} beside the repository (CI's
     * read-only copy), else {@code /work/shared/corpus}; null when neither exists.
     */
    public static Path sharedCorpus() {
        Path repo = fixtures().toAbsolutePath().normalize().getParent();
        for (Path p : new Path[] {repo.resolveSibling("shared").resolve("corpus"), Path.of("/work/shared/corpus")}) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }

    public static Path fixture(String name) {
        Path p = fixtures().resolve(name).resolve("capture.pcap");
        if (!Files.isRegularFile(p)) {
            throw new AssertionError("missing fixture " + p);
        }
        return p;
    }

    /** Whether the error output looks like a Java stack trace or exception leak. */
    public boolean leaksStackTrace() {
        return err.contains("\tat ") || err.contains("Exception") || err.contains("Error:") && err.contains("java.");
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- stderr:\n" + err + "--- stdout (first 2000):\n"
                + out.substring(0, Math.min(2000, out.length()));
    }
}
