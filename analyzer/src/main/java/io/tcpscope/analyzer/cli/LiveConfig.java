package io.tcpscope.analyzer.cli;

import io.tcpscope.capture.live.LiveOptions;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;

/**
 * A validated {@code tcpscope live} command line.
 *
 * @param capture          how to open the interface
 * @param format           output format
 * @param stuckAfterNanos  silence before STUCK_FIN_WAIT_2 is raised
 * @param idleTimeoutNanos a connection silent this long is reported and forgotten
 * @param durationNanos    stop after this much capture time, or 0 for no limit
 * @param count            stop after this many packets, or 0 for no limit
 * @param write            pcap file to write the packets to, or {@code null}
 * @param maxConnections   flow table limit
 */
public record LiveConfig(LiveOptions capture, OutputFormat format, long stuckAfterNanos, long idleTimeoutNanos,
                         long durationNanos, long count, Path write, int maxConnections) {

    /** Default of {@code --idle-timeout}: longer than Linux keeps an idle FIN_WAIT_2 orphan (60 s) or a SYN_RECV. */
    public static final long DEFAULT_IDLE_TIMEOUT_NANOS = io.tcpscope.analyzer.engine.Pipeline.Settings.DEFAULT_IDLE_TIMEOUT_NANOS;
    /** Largest {@code --snaplen}: what tcpdump allows and the pcap reader accepts. */
    public static final int MAX_SNAPLEN = LiveOptions.MAX_SNAPLEN;

    /** Validates the parsed options of {@code tcpscope live}. */
    static LiveConfig of(CommandLine cl) throws UsageException {
        if (!cl.getArgList().isEmpty()) {
            throw new UsageException("live: unexpected argument '" + cl.getArgList().get(0) + "'");
        }
        String iface = cl.getOptionValue(CliOption.INTERFACE.longName());
        if (iface == null || iface.isBlank()) {
            throw new UsageException("live: missing -i IFACE (see 'tcpscope interfaces')");
        }
        LiveOptions options = LiveOptions.defaults(iface).withBpfFilter(cl.getOptionValue(CliOption.FILTER.longName()));
        if (cl.hasOption(CliOption.SNAPLEN.longName())) {
            long n = Main.parseCount(cl.getOptionValue(CliOption.SNAPLEN.longName()), "--snaplen");
            if (n < 1 || n > MAX_SNAPLEN) {
                throw new UsageException("--snaplen must be between 1 and " + MAX_SNAPLEN);
            }
            options = options.withSnaplen((int) n);
        }
        boolean promisc = cl.hasOption(CliOption.PROMISC.longName());
        boolean noPromisc = cl.hasOption(CliOption.NO_PROMISC.longName());
        if (promisc && noPromisc) {
            throw new UsageException("live: --promisc and --no-promisc exclude each other");
        }
        options = options.withPromiscuous(!noPromisc);
        if (cl.hasOption(CliOption.BUFFER_SIZE.longName())) {
            long n = Main.parseCount(cl.getOptionValue(CliOption.BUFFER_SIZE.longName()), "--buffer-size");
            if (n < 1 || n > Integer.MAX_VALUE) {
                throw new UsageException("--buffer-size must be between 1 and " + Integer.MAX_VALUE + " bytes");
            }
            options = options.withBufferSizeBytes((int) n);
        }
        OutputFormat format = OutputFormat.parse(cl.getOptionValue(CliOption.FORMAT.longName(), "text"));
        long stuckAfter = positive(Main.stuckAfter(cl), "--stuck-after");
        long idle = Main.idleTimeout(cl);
        long duration = cl.hasOption(CliOption.DURATION.longName())
                ? positive(Durations.parse(cl.getOptionValue(CliOption.DURATION.longName())), "--duration") : 0;
        long count = 0;
        if (cl.hasOption(CliOption.COUNT.longName())) {
            count = Main.parseCount(cl.getOptionValue(CliOption.COUNT.longName()), "--count");
            if (count < 1) {
                throw new UsageException("--count must be at least 1");
            }
        }
        String write = cl.getOptionValue(CliOption.WRITE.longName());
        return new LiveConfig(options, format, stuckAfter, idle, duration, count,
                write == null ? null : Path.of(write), Main.maxConnections(cl));
    }

    /** The pipeline's settings for this command line. */
    public io.tcpscope.analyzer.engine.Pipeline.Settings settings() {
        return io.tcpscope.analyzer.engine.Pipeline.Settings.of(maxConnections, idleTimeoutNanos, stuckAfterNanos);
    }

    private static long positive(long nanos, String option) throws UsageException {
        if (nanos <= 0) {
            throw new UsageException(option + " must be longer than zero");
        }
        return nanos;
    }
}
