package io.tcpscope.bench;

import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** Every option of {@code tcpscope bench}, once: used to parse and to print --help. */
public enum BenchOption {
    REPEAT(Option.builder().longOpt("repeat").hasArg().argName("N")
            .desc("timed runs per tool after one warm-up run (default: 5)").build()),
    NO_EXTERNAL(Option.builder().longOpt("no-external").desc("time tcpscope only, not tcpdump and tshark").build()),
    GENERATE(Option.builder().longOpt("generate").hasArg().argName("FILE")
            .desc("write a synthetic pcap of interleaved TCP connections to FILE instead of timing").build()),
    CONNECTIONS(Option.builder().longOpt("connections").hasArg().argName("N")
            .desc("with --generate: connections to write (default: 20000)").build()),
    PACKETS_PER_CONNECTION(Option.builder().longOpt("packets-per-connection").hasArg().argName("M")
            .desc("with --generate: packets per connection, at least 8, open: 4 (default: 50)").build()),
    SHAPE(Option.builder().longOpt("shape").hasArg().argName("mixed|rounds|open|flood")
            .desc("with --generate: mixed endings (default), request/response rounds of full-size segments"
                    + " with delayed ACKs, connections that are all open at once and never close, or a SYN flood"
                    + " from --sources spoofed sources against one listener (half answered; a few real clients;"
                    + " one long-lived connection)").build()),
    SOURCES(Option.builder().longOpt("sources").hasArg().argName("N")
            .desc("with --shape flood: distinct spoofed sources, one SYN each (default: 100000)").build()),
    SYN_RATE(Option.builder().longOpt("syn-rate").hasArg().argName("N")
            .desc("with --shape flood: SYNs per second (default: 100000)").build()),
    CONCURRENCY(Option.builder().longOpt("concurrency").hasArg().argName("N")
            .desc("with --generate: connections open at once (default: 1000; rounds 2000; open: all)").build()),
    REFERENCE(Option.builder().longOpt("reference")
            .desc("with --generate: the reference file of BENCHMARKS.md, --shape rounds --connections 50000"
                    + " --packets-per-connection 100 --concurrency 2000 (5M packets); those options override").build()),
    MEMORY(Option.builder().longOpt("memory")
            .desc("measure only the heap per open connection: read CAPTURE to its end without ending its"
                    + " connections, then heap in use after GC over the connections open (a --shape open capture"
                    + " gives bytes per open connection)").build()),
    HELP(Option.builder("h").longOpt("help").desc("show this help and exit").build()),
    VERSION(Option.builder("V").longOpt("version").desc("show the version and libpcap's, and exit").build());

    private final Option option;

    BenchOption(Option option) {
        this.option = option;
    }

    public Option option() {
        return option;
    }

    public String longName() {
        return option.getLongOpt();
    }

    /** All of them, for the parser and --help. */
    public static Options all() {
        Options options = new Options();
        for (BenchOption o : values()) {
            options.addOption(o.option);
        }
        return options;
    }
}
