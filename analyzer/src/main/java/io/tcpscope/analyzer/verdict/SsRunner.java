package io.tcpscope.analyzer.verdict;

import io.tcpscope.analyzer.host.HostSnapshot;
import io.tcpscope.analyzer.host.HostSnapshotException;
import io.tcpscope.analyzer.host.HostSnapshotParser;
import io.tcpscope.analyzer.report.Format;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Takes a host snapshot on this host for {@code live --snapshot-every}: runs
 * {@code ss -tanpoie} (iproute2) in tcpscope's own network namespace and parses its output
 * with {@link HostSnapshotParser}, stamped with the capture's clock at that moment (live's
 * packet timestamps and ticks share the clock), so the analyzer never reads the wall clock.
 * ss rather than sock_diag netlink: no native code beyond libpcap, and the same parser as
 * for files users give.
 */
public final class SsRunner {
    /** The command run. */
    public static final List<String> COMMAND = List.of("ss", "-tanpoie");
    private static final long TIMEOUT_SECONDS = 10;

    private final List<String> command;

    public SsRunner() {
        this(COMMAND);
    }

    /** With another command printing ss output (tests). */
    public SsRunner(List<String> command) {
        this.command = List.copyOf(command);
    }

    /**
     * Runs the command and parses what it printed.
     *
     * @param nowNanos the capture's clock now: the snapshot's time
     * @param number   the snapshot's number in this run, for its name ({@code ss#1})
     * @throws HostSnapshotException when ss cannot run, fails, or prints what cannot be read
     */
    public HostSnapshot take(long nowNanos, int number) throws HostSnapshotException {
        String name = "ss#" + number;
        String output;
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            try (InputStream in = p.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new HostSnapshotException(name + ": " + String.join(" ", command) + " did not finish");
            }
            if (p.exitValue() != 0) {
                throw new HostSnapshotException(name + ": " + String.join(" ", command) + " failed (exit "
                        + p.exitValue() + ")");
            }
        } catch (IOException e) {
            throw new HostSnapshotException(name + ": cannot run " + String.join(" ", command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostSnapshotException(name + ": interrupted");
        }
        String text = HostSnapshotParser.TAKEN_AT + Format.epochSeconds(nowNanos) + "\n" + HostSnapshotParser.HOST
                + "local\n" + output;
        return HostSnapshotParser.parse(name, new StringReader(text));
    }
}
