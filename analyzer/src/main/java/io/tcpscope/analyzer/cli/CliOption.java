package io.tcpscope.analyzer.cli;

import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * Every command-line option, once: used to parse and to print --help. Each says which
 * commands take it.
 */
public enum CliOption {
    FILTER(Option.builder("f").longOpt("filter").hasArg().argName("BPF")
            .desc("BPF filter, as for tcpdump (e.g. 'tcp port 80'), compiled by libpcap; analyze keeps the file's frame numbers and clock").build(),
            "analyze", "live"),
    READ(Option.builder("r").longOpt("read").hasArg().argName("FILE")
            .desc("read this capture, as tcpdump -r does (the same as giving it as an argument; may be repeated)")
            .build(), "analyze", "stuck", "ladder", "report"),
    FORMAT(Option.builder().longOpt("format").hasArg().argName("text|jsonl|zeek|csv")
            .desc("output format (default: text; ladder: text|svg)").build(), "analyze", "live", "interfaces", "stuck",
            "ladder"),
    STUCK_AFTER(Option.builder().longOpt("stuck-after").hasArg().argName("DURATION")
            .desc("silence of the CLOSE_WAIT side before STUCK_FIN_WAIT_2 is raised, or stuck counts a connection"
                    + " (default: 30s); e.g. 500ms, 30s, 2m").build(),
            "analyze", "live", "stuck", "ladder", "report"),
    TIMELINE(Option.builder().longOpt("timeline").hasArg().argName("CONN_ID")
            .desc("print both endpoints' transitions of one connection, with time, frame and cause").build(), "analyze"),
    MAX_CONNECTIONS(Option.builder().longOpt("max-connections").hasArg().argName("N")
            .desc("connections held at once before one is evicted: an ended one, else the oldest never established,"
                    + " else the least recently active (default: half the Java heap at "
                    + io.tcpscope.analyzer.flow.FlowTable.BYTES_PER_CONNECTION + " bytes each, at most 1048576)").build(),
            "analyze", "live", "stuck", "ladder", "report"),
    INTERFACE(Option.builder("i").longOpt("interface").hasArg().argName("IFACE")
            .desc("interface to capture on (see 'tcpscope interfaces')").build(), "live"),
    SNAPLEN(Option.builder("s").longOpt("snaplen").hasArg().argName("N")
            .desc("bytes captured per packet (default: 512, the headers; -w then writes cut packets: -s 262144 keeps them whole)").build(), "live"),
    PROMISC(Option.builder().longOpt("promisc").desc("put the interface in promiscuous mode (default)").build(), "live"),
    NO_PROMISC(Option.builder().longOpt("no-promisc").desc("do not put the interface in promiscuous mode").build(), "live"),
    BUFFER_SIZE(Option.builder("B").longOpt("buffer-size").hasArg().argName("BYTES")
            .desc("kernel capture buffer size (default: 33554432, 32 MiB)").build(), "live"),
    DURATION(Option.builder().longOpt("duration").hasArg().argName("DURATION")
            .desc("stop after this much time (e.g. 30s, 5m)").build(), "live"),
    COUNT(Option.builder("c").longOpt("count").hasArg().argName("N").desc("stop after N packets").build(), "live"),
    WRITE(Option.builder("w").longOpt("write").hasArg().argName("FILE.pcap")
            .desc("also write the captured packets to a pcap file").build(), "live"),
    IDLE_TIMEOUT(Option.builder().longOpt("idle-timeout").hasArg().argName("DURATION")
            .desc("report and forget a connection silent for this long on capture time (default: 5m); ended ones leave after TIME_WAIT").build(),
            "analyze", "live", "stuck", "ladder", "report"),
    HOST_SNAPSHOT(Option.builder().longOpt("host-snapshot").hasArg().argName("FILE")
            .desc("ss -tanpoie (or ss -tan, ss -tanoi) output taken on one host, with a '# taken at TIME' line"
                    + " (else the file's mtime); joined to the connections by 4-tuple: the host's state is the truth"
                    + " (may be repeated: both ends, several times)").build(), "analyze", "live", "stuck"),
    SNAPSHOT_EVERY(Option.builder().longOpt("snapshot-every").hasArg().argName("DURATION")
            .desc("take a host snapshot (runs ss -tanpoie in tcpscope's network namespace) at the start, every"
                    + " DURATION of capture time and at the end, joined like --host-snapshot").build(), "live"),
    CAPTURE_END(Option.builder().longOpt("capture-end").hasArg().argName("TIME")
            .desc("when the capture really ended (epoch seconds or RFC 3339), if after its last frame: silence up to"
                    + " it counts (pcapng files carry it as isb_endtime)").build(), "analyze", "stuck"),
    ONLY_PROBLEMS(Option.builder().longOpt("only-problems")
            .desc("list only connections with a diagnosis (or INCONSISTENT); the summary still counts all").build(),
            "analyze", "live"),
    STATE(Option.builder().longOpt("state").hasArg().argName("STATE[,STATE...]")
            .desc("list only connections with an endpoint in one of these final states (e.g. CLOSE_WAIT,FIN_WAIT_2)").build(),
            "analyze", "live"),
    DIAGNOSIS(Option.builder().longOpt("diagnosis").hasArg().argName("CODE[,CODE...]")
            .desc("list only connections with one of these diagnoses (e.g. RESET,HALF_OPEN)").build(), "analyze", "live"),
    MSL(Option.builder().longOpt("msl").hasArg().argName("DURATION")
            .desc("maximum segment lifetime: TIME_WAIT lasts twice this (default 30s: Linux's 60 s TCP_TIMEWAIT_LEN)").build(),
            "analyze", "live"),
    ALL(Option.builder().longOpt("all")
            .desc("text: list a SYN flood's never-completed handshakes, a row and a HALF_OPEN/UNANSWERED_SYN message each"
                + " (default: counted in one summary line per listener; jsonl, csv and zeek always list them)").build(),
            "analyze", "live"),
    THREADS(Option.builder().longOpt("threads").hasArg().argName("1|2")
            .desc("1 (default): one thread; 2: read and decode on a second thread, beside the analysis (same output)").build(),
            "analyze"),
    FOLLOW(Option.builder().longOpt("follow")
            .desc("read the capture file on as it grows, like tail -f (tcpdump -w still writing it): records are"
                    + " written as connections end; Ctrl-C or SIGTERM ends it with the summary (exit 130/143)").build(),
            "analyze"),
    CONN(Option.builder().longOpt("conn").hasArg().argName("ID")
            .desc("the connection to draw (its id in tcpscope analyze's output)").build(), "ladder"),
    OUTPUT(Option.builder("o").longOpt("output").hasArg().argName("FILE")
            .desc("write to FILE instead of standard output").build(), "ladder", "report"),
    FULL(Option.builder().longOpt("full").desc("do not fold long transfers").build(), "ladder"),
    ABSOLUTE(Option.builder().longOpt("absolute").desc("absolute times (UTC) instead of relative to the first packet")
            .build(), "ladder"),
    ASCII(Option.builder().longOpt("ascii").desc("ASCII only (the default when LC_ALL/LC_CTYPE/LANG is not UTF-8)")
            .build(), "ladder"),
    HELP(Option.builder("h").longOpt("help").desc("show this help and exit").build()),
    VERSION(Option.builder("V").longOpt("version").desc("show the version and libpcap's, and exit").build());

    private final Option option;
    private final String[] commands;

    CliOption(Option option, String... commands) {
        this.option = option;
        this.commands = commands;
    }

    public Option option() {
        return option;
    }

    public boolean appliesTo(String command) {
        if (commands.length == 0) {
            return true;
        }
        for (String c : commands) {
            if (c.equals(command)) {
                return true;
            }
        }
        return false;
    }

    /** The options one command accepts. */
    public static Options forCommand(String command) {
        Options options = new Options();
        for (CliOption o : values()) {
            if (o.appliesTo(command)) {
                options.addOption(o.option);
            }
        }
        return options;
    }

    public String longName() {
        return option.getLongOpt();
    }
}
