package io.tcpscope.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs another program on the capture with its output thrown away and times it from start to
 * exit (wall clock, {@link System#nanoTime}). Peak resident memory comes from GNU time
 * ({@code /usr/bin/time -f %M}) when it is installed, else it is not measured.
 */
public final class ExternalCommand {
    static final Path GNU_TIME = Path.of("/usr/bin/time");

    private final String label;
    private final List<String> command;

    public ExternalCommand(String label, List<String> command) {
        this.label = label;
        this.command = List.copyOf(command);
    }

    public String label() {
        return label;
    }

    public List<String> command() {
        return command;
    }

    /** The executable named {@code name} on the PATH, or {@code null}. */
    public static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Whether peak memory can be measured (GNU time is installed). */
    public static boolean canMeasureMemory() {
        return Files.isExecutable(GNU_TIME);
    }

    /** One run: wall seconds and peak RSS in KiB (-1 when unknown). */
    public record Run(double seconds, long peakRssKb, int exitCode) {
    }

    /** Runs the command once, output and errors discarded. */
    public Run runOnce() throws IOException, InterruptedException {
        Path timeFile = null;
        List<String> argv = command;
        if (canMeasureMemory()) {
            timeFile = Files.createTempFile("tcpscope-bench-time", ".txt");
            argv = new ArrayList<>();
            argv.add(GNU_TIME.toString());
            argv.add("-f");
            argv.add("%M");
            argv.add("-o");
            argv.add(timeFile.toString());
            argv.addAll(command);
        }
        try {
            ProcessBuilder pb = new ProcessBuilder(argv)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            long start = System.nanoTime();
            Process p = pb.start();
            int code = p.waitFor();
            double seconds = (System.nanoTime() - start) / 1e9;
            long peak = timeFile == null ? -1 : parsePeak(Files.readAllLines(timeFile, StandardCharsets.UTF_8));
            return new Run(seconds, peak, code);
        } finally {
            if (timeFile != null) {
                Files.deleteIfExists(timeFile);
            }
        }
    }

    /** GNU time writes "%M" as the last line (after "Command exited with non-zero status N"). */
    static long parsePeak(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i).trim();
            if (!line.isEmpty()) {
                try {
                    return Long.parseLong(line);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
