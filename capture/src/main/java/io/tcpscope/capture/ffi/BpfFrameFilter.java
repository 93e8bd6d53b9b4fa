package io.tcpscope.capture.ffi;

import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.CaptureException.Kind;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.FrameFilter;
import io.tcpscope.capture.LinkType;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Pointer;

/**
 * A pcap-filter(7) expression applied frame by frame to frames read by any source (the
 * pure-Java file readers), as {@code tcpdump -r FILE EXPR} does, with libpcap's own
 * compiler and interpreter: for each link type met, {@code pcap_open_dead(dlt, 262144)} +
 * {@code pcap_compile} once, then {@code pcap_offline_filter} per frame.
 *
 * <p><b>Native memory</b>, all owned by this object and freed by {@link #close()} only:
 * one {@code struct bpf_program} (16 bytes) per link type, {@code calloc}ed, whose
 * instructions libpcap allocated in {@code pcap_compile} and {@code pcap_freecode} frees;
 * the dead {@code pcap_t} each was compiled on, closed right after compiling (a program does
 * not refer to its handle); one {@code struct pcap_pkthdr} (24 bytes on LP64) and one packet
 * buffer into which each frame's bytes are copied (it grows, by a new {@code calloc}, only when a
 * frame is larger than any before). Nothing is allocated per frame.
 *
 * <p>A link type the expression cannot be compiled for (e.g. {@code vlan} on raw IP, or a link
 * type libpcap does not know) passes no frame; {@link #warnings()} names it. The expression
 * is checked when the filter is created, on Ethernet: a syntax error is {@code BAD_FILTER}.
 *
 * <p>Not thread-safe: one reader.
 */
public final class BpfFrameFilter implements FrameFilter {
    /** The snapshot length the programs are compiled for (tcpdump's default). */
    static final int SNAPLEN = 262144;
    private static final int PROGRAM_SIZE = 16; // struct bpf_program { u_int bf_len; struct bpf_insn *bf_insns; }
    private static final int HEADER_SIZE = 24;  // struct pcap_pkthdr { struct timeval ts; bpf_u_int32 caplen, len; }
    private static final int INITIAL_PACKET_SIZE = 65536;

    private final LibPcap pcap;
    private final LibC libc;
    private final jnr.ffi.Runtime runtime;
    private final String expression;
    private final int caplenOffset;
    private final int lenOffset;

    // Small map link type -> program; a capture has one or a few link types.
    private int[] linkTypes = new int[4];
    private Pointer[] programs = new Pointer[4]; // null: cannot be compiled for this link type
    private int count;
    private int lastLinkType = Integer.MIN_VALUE;
    private Pointer lastProgram;
    private final List<String> warnings = new ArrayList<>();

    private Pointer header;
    private Pointer packet;
    private int packetCapacity;
    private boolean closed;

    private BpfFrameFilter(LibPcapLoader.Loaded library, String expression) throws CaptureException {
        this.pcap = library.pcap();
        this.libc = library.libc();
        this.runtime = library.runtime();
        this.expression = expression;
        int longSize = runtime.longSize();
        this.caplenOffset = 2 * longSize;
        this.lenOffset = 2 * longSize + 4;
        this.header = calloc(HEADER_SIZE);
        this.packet = calloc(INITIAL_PACKET_SIZE);
        this.packetCapacity = INITIAL_PACKET_SIZE;
    }

    /**
     * Compiles {@code expression} for Ethernet to check it.
     *
     * @throws CaptureException BAD_FILTER with libpcap's message, NO_LIBPCAP
     */
    public static BpfFrameFilter compile(String expression) throws CaptureException {
        BpfFrameFilter filter = new BpfFrameFilter(LibPcapLoader.loaded(), expression);
        try {
            String error = filter.add(LinkType.ETHERNET);
            if (error != null) {
                throw new CaptureException(Kind.BAD_FILTER, "bad filter '" + expression + "': " + error);
            }
            return filter;
        } catch (CaptureException | RuntimeException e) {
            filter.close();
            throw e;
        }
    }

    private Pointer calloc(int size) throws CaptureException {
        Pointer p = libc.calloc(1, size);
        if (p == null) {
            throw new CaptureException(Kind.PCAP, "out of native memory compiling filter '" + expression + "'");
        }
        return p;
    }

    /** Compiles for one more link type; returns libpcap's error, or null. */
    private String add(int linkType) throws CaptureException {
        Pointer program = calloc(PROGRAM_SIZE);
        String error = null;
        Pointer dead = pcap.pcap_open_dead(DataLinkTypes.toDlt(linkType), SNAPLEN);
        if (dead == null) {
            error = "pcap_open_dead failed";
        } else {
            try {
                if (pcap.pcap_compile(dead, program, expression, 1, LibPcap.PCAP_NETMASK_UNKNOWN) != 0) {
                    error = pcap.pcap_geterr(dead);
                    String prefix = "can't parse filter expression: ";
                    if (error != null && error.startsWith(prefix)) {
                        error = error.substring(prefix.length());
                    }
                }
            } finally {
                pcap.pcap_close(dead);
            }
        }
        if (error != null) {
            libc.free(program);
            program = null;
        }
        if (count == linkTypes.length) {
            linkTypes = java.util.Arrays.copyOf(linkTypes, 2 * count);
            programs = java.util.Arrays.copyOf(programs, 2 * count);
        }
        linkTypes[count] = linkType;
        programs[count] = program;
        count++;
        return error;
    }

    private Pointer program(int linkType) throws CaptureException {
        if (linkType == lastLinkType) {
            return lastProgram;
        }
        int i = 0;
        while (i < count && linkTypes[i] != linkType) {
            i++;
        }
        if (i == count) {
            String error = add(linkType);
            if (error != null) {
                warnings.add("filter '" + expression + "' does not apply to link type " + LinkType.name(linkType)
                        + " (" + error + "): its frames are left out");
            }
        }
        lastLinkType = linkType;
        lastProgram = programs[i];
        return lastProgram;
    }

    @Override
    public boolean accept(Frame frame) throws CaptureException {
        if (closed) {
            throw new IllegalStateException("filter closed");
        }
        Pointer program = program(frame.linkType());
        if (program == null) {
            return false;
        }
        int caplen = frame.capturedLength();
        if (caplen > packetCapacity) {
            Pointer bigger = calloc(caplen);
            libc.free(packet);
            packet = bigger;
            packetCapacity = caplen;
        }
        packet.put(0, frame.buffer(), frame.offset(), caplen);
        header.putInt(caplenOffset, caplen);
        header.putInt(lenOffset, Math.max(caplen, frame.originalLength()));
        return pcap.pcap_offline_filter(program, header, packet) != 0;
    }

    /** The expression as given. */
    public String expression() {
        return expression;
    }

    /** One line per link type met that the expression could not be compiled for. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = 0; i < count; i++) {
            if (programs[i] != null) {
                pcap.pcap_freecode(programs[i]);
                libc.free(programs[i]);
                programs[i] = null;
            }
        }
        lastProgram = null;
        if (header != null) {
            libc.free(header);
            header = null;
        }
        if (packet != null) {
            libc.free(packet);
            packet = null;
        }
    }
}
