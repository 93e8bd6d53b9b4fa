package io.tcpscope.capture.ffi;

import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.CaptureException.Kind;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.PacketSource;
import io.tcpscope.capture.live.CaptureStats;
import io.tcpscope.capture.live.Interfaces;
import io.tcpscope.capture.live.LiveOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import jnr.ffi.Pointer;

/**
 * Frames read through libpcap: a capture file ({@link #openOffline}) or a network interface
 * ({@link #openLive}).
 *
 * <p><b>Native resources.</b> A source owns exactly two native things, both released by
 * {@link #close()} and only there: the {@code pcap_t} (freed with {@code pcap_close}) and one
 * {@code calloc}ed scratch block (freed with {@code free}) that holds the two pointer slots
 * {@code pcap_next_ex} writes into, the {@code struct pcap_stat}, the {@code struct
 * bpf_program} and the error buffer. The packet header and data that {@code pcap_next_ex}
 * points at belong to libpcap and are valid only until the next call (pcap_next_ex(3PCAP)),
 * so {@link #next()} copies the bytes into one reused array before returning.
 *
 * <p><b>No allocation per packet.</b> {@link #next()} reads the header fields by native
 * address and copies the data into the source's array; the array grows only when a packet is
 * larger than any before it (never beyond the snapshot length).
 *
 * <p><b>Threads.</b> One thread reads ({@link #next()}). Any other thread, including a
 * shutdown hook or signal handler, may call {@link #breakLoop()} and {@link #close()}:
 * {@code close()} first breaks the loop, then waits until the reading thread has left
 * {@code next()} before it calls {@code pcap_close}, so the handle is never freed under a
 * reader.
 */
public final class LibpcapSource implements PacketSource {

    // Layout of the scratch block, calloc'ed once per source.
    private static final int HEADER_SLOT = 0;  // struct pcap_pkthdr *   (written by pcap_next_ex)
    private static final int DATA_SLOT = 8;    // const u_char *         (written by pcap_next_ex)
    private static final int STATS = 16;       // struct pcap_stat { u_int ps_recv, ps_drop, ps_ifdrop; }
    private static final int BPF_PROGRAM = 32; // struct bpf_program { u_int bf_len; struct bpf_insn *bf_insns; }
    private static final int ERRBUF = 48;      // char errbuf[PCAP_ERRBUF_SIZE]
    private static final int POLLFD = ERRBUF + LibPcap.PCAP_ERRBUF_SIZE; // struct pollfd { int fd; short events, revents; }
    private static final int SCRATCH_SIZE = POLLFD + 8;

    /**
     * Longest single wait in poll(): on Linux (TPACKET_V3) libpcap's own read timeout does not
     * start until a packet arrives (pcap_set_timeout(3PCAP)), so a live source runs libpcap in
     * non-blocking mode and waits in poll() itself, in slices no longer than this, to give the
     * live analysis its clock ticks through silence and to notice a stop request.
     */
    private static final int MAX_POLL_MILLIS = 100;

    /** First size of the frame buffer; grows (up to the snaplen) only for larger packets. */
    private static final int INITIAL_BUFFER_SIZE = 65536;

    private static final String PRIVILEGE_HINT = "run as root or grant CAP_NET_RAW and CAP_NET_ADMIN"
            + " (setcap cap_net_raw,cap_net_admin=eip $(readlink -f $(which java)))";

    private final LibPcap pcap;
    private final LibC libc;
    private final String description;
    private final String deviceName; // null for files
    private final Frame frame = new Frame();
    /** Held by next() and stats(); close() takes it to wait for a reader to leave. */
    private final ReentrantLock readLock = new ReentrantLock();
    /** Guards closed and the handle against a pcap_breakloop racing pcap_close. */
    private final Object lifecycleLock = new Object();

    // Native memory owned by this source.
    private Pointer scratch;
    private volatile Pointer handle; // pcap_t *

    // Views into the scratch block and the address space; created once, at open.
    private final Pointer headerSlot;
    private final Pointer dataSlot;
    private final Pointer statsStruct;
    private final Pointer bpfProgram;
    private final Pointer errbuf;
    private final Pointer pollFd;
    /** The capture descriptor for poll() (live, non-blocking), or -1: blocking pcap_next_ex. */
    private int selectableFd = -1;
    private int pollMillis = MAX_POLL_MILLIS;
    /** Reads memory at absolute addresses that libpcap handed us (header and packet data). */
    private final Pointer addressSpace;

    // struct pcap_pkthdr { struct timeval ts; bpf_u_int32 caplen; bpf_u_int32 len; }
    // struct timeval { long tv_sec; long tv_usec; } : 0, 8, 16, 20 on LP64.
    private final int tsFractionOffset;
    private final int caplenOffset;
    private final int lenOffset;

    private volatile boolean stopRequested;
    private boolean closed; // guarded by lifecycleLock
    private boolean endReached;
    private int linkType;
    private int snaplen;
    private long nanosPerTsFraction;
    private byte[] buffer;
    private long frameNumber;
    private String damage;
    private String activationWarning;
    private boolean timedOut;
    private long tickNanos;
    /**
     * How far a tick stays behind the wall clock: without immediate mode (TPACKET_V3) a packet
     * may wait in a partly filled block for up to the block timeout, so a tick stamped "now"
     * could run the analysis clock past packets not yet handed over. 0 in immediate mode.
     */
    private long tickLagNanos;

    private LibpcapSource(LibPcapLoader.Loaded library, String description, String deviceName)
            throws CaptureException {
        this.pcap = library.pcap();
        this.libc = library.libc();
        this.description = description;
        this.deviceName = deviceName;
        jnr.ffi.Runtime runtime = library.runtime();
        Pointer block = libc.calloc(1, SCRATCH_SIZE);
        if (block == null) {
            throw new CaptureException(Kind.PCAP, "out of native memory opening " + description);
        }
        this.scratch = block;
        long base = block.address();
        this.headerSlot = Pointer.wrap(runtime, base + HEADER_SLOT);
        this.dataSlot = Pointer.wrap(runtime, base + DATA_SLOT);
        this.statsStruct = Pointer.wrap(runtime, base + STATS);
        this.bpfProgram = Pointer.wrap(runtime, base + BPF_PROGRAM);
        this.errbuf = Pointer.wrap(runtime, base + ERRBUF);
        this.pollFd = Pointer.wrap(runtime, base + POLLFD);
        this.addressSpace = Pointer.wrap(runtime, 0L);
        int longSize = runtime.longSize();
        this.tsFractionOffset = longSize;
        this.caplenOffset = 2 * longSize;
        this.lenOffset = 2 * longSize + 4;
    }

    /**
     * Opens a pcap or pcapng file with {@code pcap_open_offline_with_tstamp_precision(...,
     * PCAP_TSTAMP_PRECISION_NANO, ...)}: libpcap scales microsecond files to nanoseconds.
     *
     * @param file      the capture file
     * @param bpfFilter a pcap-filter(7) expression, or {@code null} for every frame
     * @throws CaptureException NOT_FOUND (no such file), BAD_FORMAT (libpcap's message, e.g.
     *                          "unknown file format"), IO, BAD_FILTER, NO_LIBPCAP
     */
    public static LibpcapSource openOffline(Path file, String bpfFilter) throws CaptureException {
        LibPcapLoader.Loaded library = LibPcapLoader.loaded();
        if (!Files.exists(file)) {
            throw new CaptureException(Kind.NOT_FOUND, "no such file: " + file);
        }
        if (Files.isDirectory(file)) {
            throw new CaptureException(Kind.NOT_FOUND, file + " is a directory, not a capture file");
        }
        LibpcapSource source = new LibpcapSource(library, file.toString(), null);
        try {
            source.openFile(file);
            source.applyFilter(bpfFilter);
            source.readHandleProperties();
            return source;
        } catch (CaptureException | RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /**
     * Opens a live capture: {@code pcap_create}, the setters for every option,
     * nanosecond timestamps when the device supports them, {@code pcap_activate}, then the
     * filter. Warnings from {@code pcap_activate} are kept in {@link #activationWarning()}.
     *
     * @throws CaptureException PERMISSION, NO_SUCH_DEVICE (message lists the interfaces),
     *                          BAD_FILTER, NO_LIBPCAP, PCAP (anything else libpcap reports)
     */
    public static LibpcapSource openLive(LiveOptions options) throws CaptureException {
        LibPcapLoader.Loaded library = LibPcapLoader.loaded();
        String device = options.interfaceName();
        LibpcapSource source = new LibpcapSource(library, "interface " + device, device);
        try {
            source.createAndActivate(options);
            source.applyFilter(options.bpfFilter());
            source.readHandleProperties();
            return source;
        } catch (CaptureException | RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /** {@code pcap_lib_version()}, e.g. "libpcap version 1.10.3 (with TPACKET_V3)". */
    public static String libraryVersion() throws CaptureException {
        return LibPcapLoader.load().pcap_lib_version();
    }

    private void openFile(Path file) throws CaptureException {
        errbuf.putByte(0, (byte) 0);
        Pointer opened = pcap.pcap_open_offline_with_tstamp_precision(
                file.toString(), LibPcap.PCAP_TSTAMP_PRECISION_NANO, errbuf);
        if (opened == null) {
            String message = errbufText();
            Kind kind;
            if (message.contains("No such file") || message.contains("Permission denied")) {
                kind = Kind.NOT_FOUND;
            } else if (message.startsWith("error reading dump file")) {
                kind = Kind.IO;
            } else {
                kind = Kind.BAD_FORMAT; // "unknown file format", "truncated dump file; ...", "bad dump file format", ...
            }
            throw new CaptureException(kind, "cannot read " + file + " with libpcap: " + message);
        }
        handle = opened;
    }

    private void createAndActivate(LiveOptions options) throws CaptureException {
        String device = options.interfaceName();
        errbuf.putByte(0, (byte) 0);
        Pointer created = pcap.pcap_create(device, errbuf);
        if (created == null) {
            throw new CaptureException(Kind.PCAP, "cannot capture on '" + device + "': " + errbufText());
        }
        handle = created;
        checkSetter(pcap.pcap_set_snaplen(created, options.snaplen()), "snaplen");
        checkSetter(pcap.pcap_set_promisc(created, options.promiscuous() ? 1 : 0), "promiscuous mode");
        checkSetter(pcap.pcap_set_immediate_mode(created, options.immediate() ? 1 : 0), "immediate mode");
        if (options.bufferSizeBytes() != LiveOptions.LIBPCAP_DEFAULT_BUFFER_SIZE) {
            checkSetter(pcap.pcap_set_buffer_size(created, options.bufferSizeBytes()), "buffer size");
        }
        checkSetter(pcap.pcap_set_timeout(created, options.readTimeoutMillis()), "read timeout");
        int precision = pcap.pcap_set_tstamp_precision(created, LibPcap.PCAP_TSTAMP_PRECISION_NANO);
        if (precision != 0 && precision != LibPcap.PCAP_ERROR_TSTAMP_PRECISION_NOTSUP) {
            checkSetter(precision, "timestamp precision");
        } // NOTSUP: stay with microseconds; readHandleProperties() asks which one we got.

        int status = pcap.pcap_activate(created);
        if (status < 0) {
            throw activationFailure(status, device, options.promiscuous());
        }
        if (status > 0) {
            String detail = pcap.pcap_geterr(created);
            activationWarning = pcap.pcap_statustostr(status)
                    + (detail == null || detail.isEmpty() ? "" : ": " + detail);
        }
        pollMillis = Math.max(1, Math.min(MAX_POLL_MILLIS, options.readTimeoutMillis()));
        tickLagNanos = options.immediate() ? 0 : options.readTimeoutMillis() * 1_000_000L;
        int fd = pcap.pcap_get_selectable_fd(created);
        if (fd >= 0 && pcap.pcap_setnonblock(created, 1, errbuf) == 0) {
            selectableFd = fd;
        } // else: blocking reads; the timeout then ticks only once packets flow
    }

    private CaptureException activationFailure(int status, String device, boolean promiscuous) {
        switch (status) {
            case LibPcap.PCAP_ERROR_PERM_DENIED:
                return new CaptureException(Kind.PERMISSION,
                        "no permission to capture on " + device + ": " + PRIVILEGE_HINT);
            case LibPcap.PCAP_ERROR_PROMISC_PERM_DENIED:
                return new CaptureException(Kind.PERMISSION, "no permission to capture in promiscuous mode on "
                        + device + ": capture without promiscuous mode, or " + PRIVILEGE_HINT);
            case LibPcap.PCAP_ERROR_NO_SUCH_DEVICE:
                return new CaptureException(Kind.NO_SUCH_DEVICE, "no such interface '" + device
                        + "'; interfaces: " + String.join(", ", Interfaces.names()));
            case LibPcap.PCAP_ERROR_IFACE_NOT_UP:
                return new CaptureException(Kind.PCAP, "interface " + device
                        + " is not up: bring it up with 'ip link set " + device + " up'");
            case LibPcap.PCAP_ERROR:
                return new CaptureException(Kind.PCAP, "cannot capture on " + device + ": "
                        + pcap.pcap_geterr(handle));
            default:
                String detail = pcap.pcap_geterr(handle);
                return new CaptureException(Kind.PCAP, "cannot capture on " + device + ": "
                        + pcap.pcap_statustostr(status)
                        + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
        }
    }

    private void checkSetter(int status, String what) throws CaptureException {
        if (status != 0) {
            throw new CaptureException(Kind.PCAP, "cannot set " + what + " on " + deviceName + ": "
                    + pcap.pcap_statustostr(status));
        }
    }

    /**
     * Compiles and installs a filter. pcap_compile(3PCAP) fills our struct bpf_program;
     * pcap_setfilter(3PCAP) copies it into the handle, so it is freed right away with
     * pcap_freecode(3PCAP). The netmask is PCAP_NETMASK_UNKNOWN: only "ip broadcast" needs it.
     */
    private void applyFilter(String bpfFilter) throws CaptureException {
        if (bpfFilter == null || bpfFilter.isBlank()) {
            return;
        }
        Pointer h = handle;
        if (pcap.pcap_compile(h, bpfProgram, bpfFilter, 1, LibPcap.PCAP_NETMASK_UNKNOWN) != 0) {
            String message = pcap.pcap_geterr(h);
            String prefix = "can't parse filter expression: ";
            if (message.startsWith(prefix)) {
                message = message.substring(prefix.length());
            }
            throw new CaptureException(Kind.BAD_FILTER, "bad filter '" + bpfFilter + "': " + message);
        }
        try {
            if (pcap.pcap_setfilter(h, bpfProgram) != 0) {
                throw new CaptureException(Kind.PCAP, "cannot install filter '" + bpfFilter + "' on "
                        + description + ": " + pcap.pcap_geterr(h));
            }
        } finally {
            pcap.pcap_freecode(bpfProgram);
        }
    }

    private void readHandleProperties() {
        Pointer h = handle;
        linkType = DataLinkTypes.toLinkType(pcap.pcap_datalink(h));
        snaplen = pcap.pcap_snapshot(h);
        nanosPerTsFraction = pcap.pcap_get_tstamp_precision(h) == LibPcap.PCAP_TSTAMP_PRECISION_NANO ? 1 : 1000;
        buffer = new byte[Math.max(1, Math.min(snaplen, INITIAL_BUFFER_SIZE))];
    }

    private String errbufText() {
        return errbuf.getString(0, LibPcap.PCAP_ERRBUF_SIZE, StandardCharsets.UTF_8).strip();
    }

    /**
     * The next frame, or {@code null} at the end of a file or once {@link #breakLoop()} or
     * {@link #close()} was called. On a live source a read timeout (pcap_next_ex returning 0)
     * just loops, after checking for a stop request.
     *
     * @throws CaptureException PCAP when libpcap reports an error on a live capture, IO when
     *                          reading a file fails; damage in a file ends it with {@link #damage()} set
     */
    @Override
    public Frame next() throws CaptureException {
        readLock.lock();
        try {
            while (!stopRequested) {
                Frame f = readOne();
                if (f != null || !timedOut) {
                    return f;
                }
            }
            return null;
        } finally {
            readLock.unlock();
        }
    }

    /**
     * One read: a frame, or {@code null} with {@link #timedOut} set when the wait ended with no
     * packet, or {@code null} at the end. Called with the read lock held.
     */
    private Frame readOne() throws CaptureException {
        timedOut = false;
        Pointer h = handle;
        if (h == null || endReached || stopRequested) {
            return null;
        }
        int status = pcap.pcap_next_ex(h, headerSlot, dataSlot);
        if (status == 0 && selectableFd >= 0) {
            pollFd.putInt(0, selectableFd);
            pollFd.putShort(4, LibC.POLLIN);
            pollFd.putShort(6, (short) 0);
            if (libc.poll(pollFd, 1, pollMillis) > 0 && !stopRequested) {
                status = pcap.pcap_next_ex(h, headerSlot, dataSlot);
            }
        }
        if (status == 1) {
            return fillFrame();
        }
        if (status == 0) {
            timedOut = true;
            tickNanos = realtimeNanos() - tickLagNanos;
            return null;
        }
        if (status == LibPcap.PCAP_ERROR_BREAK) {
            endReached = true; // end of file, or pcap_breakloop
            return null;
        }
        return readFailed(h);
    }

    /**
     * Live loop variant of {@link #next()}: one {@code pcap_next_ex} call. Returns the frame,
     * or {@code null} with {@link #timedOut()} true when libpcap's read timeout expired with
     * no packet (the tick a live analysis uses to move its clock through silence), or
     * {@code null} with {@link #timedOut()} false at the end (breakLoop, close, end of file).
     * Allocates nothing.
     *
     * @throws CaptureException as {@link #next()}
     */
    public Frame nextOrTimeout() throws CaptureException {
        readLock.lock();
        try {
            return readOne();
        } finally {
            readLock.unlock();
        }
    }

    /** Whether the last {@link #nextOrTimeout()} returned {@code null} because the read timeout expired. */
    public boolean timedOut() {
        return timedOut;
    }

    /**
     * CLOCK_REALTIME when the last read timeout expired, in nanoseconds since the epoch, less
     * the block timeout when not in immediate mode (a packet stamped before that has surely
     * been handed over): the clock the kernel stamps live packets with, so it continues the
     * capture's clock through silence without overtaking packets still in a kernel block. {@link #realtimeNanos()} is the only place tcpscope reads the wall clock, and
     * only live captures call it; file analysis never does.
     */
    public long tickNanos() {
        return tickNanos;
    }

    /** The system realtime clock (what libpcap stamps live packets with on Linux), in nanoseconds. */
    public static long realtimeNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private Frame fillFrame() {
        long header = scratch.getAddress(HEADER_SLOT);
        long data = scratch.getAddress(DATA_SLOT);
        long seconds = addressSpace.getLong(header);
        long fraction = addressSpace.getLong(header + tsFractionOffset);
        int capturedLength = addressSpace.getInt(header + caplenOffset);
        int originalLength = addressSpace.getInt(header + lenOffset);
        if (capturedLength > buffer.length) {
            buffer = new byte[Math.max(capturedLength, Math.min(2 * buffer.length, snaplen))];
        }
        addressSpace.get(data, buffer, 0, capturedLength);
        frame.set(++frameNumber, seconds * 1_000_000_000L + fraction * nanosPerTsFraction,
                capturedLength, originalLength, linkType, 0, buffer, 0);
        return frame;
    }

    private Frame readFailed(Pointer h) throws CaptureException {
        String message = pcap.pcap_geterr(h);
        endReached = true;
        if (deviceName != null) {
            throw new CaptureException(Kind.PCAP, "capture on " + deviceName + " failed: " + message);
        }
        if (message.startsWith("error reading dump file")) {
            throw new CaptureException(Kind.IO, description + ": " + message);
        }
        // "truncated dump file; tried to read ...", "invalid packet capture length ...": damage.
        damage = message + " (after frame " + frameNumber + ")";
        return null;
    }

    /**
     * Packet counters from {@code pcap_stats}; empty for a file (libpcap keeps none) or a
     * closed source. Waits for a concurrent {@link #next()} to return (at most the read timeout).
     * Poll it periodically through a {@link io.tcpscope.capture.live.DropWatch} to report drops
     * as they happen.
     */
    public Optional<CaptureStats> stats() throws CaptureException {
        if (deviceName == null) {
            return Optional.empty();
        }
        readLock.lock();
        try {
            Pointer h = handle;
            if (h == null) {
                return Optional.empty();
            }
            if (pcap.pcap_stats(h, statsStruct) != 0) {
                throw new CaptureException(Kind.PCAP, "cannot read statistics of " + description + ": "
                        + pcap.pcap_geterr(h));
            }
            return Optional.of(new CaptureStats(
                    Integer.toUnsignedLong(statsStruct.getInt(0)),
                    Integer.toUnsignedLong(statsStruct.getInt(4)),
                    Integer.toUnsignedLong(statsStruct.getInt(8))));
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Makes a blocked or future {@link #next()} return {@code null}: sets a flag checked after
     * every read timeout and calls {@code pcap_breakloop}, which on Linux also wakes a thread
     * blocked in poll (pcap_breakloop(3PCAP)). Safe from any thread; idempotent.
     */
    @Override
    public void breakLoop() {
        stopRequested = true;
        synchronized (lifecycleLock) {
            Pointer h = handle;
            if (!closed && h != null) {
                pcap.pcap_breakloop(h);
            }
        }
    }

    /**
     * Frees the pcap_t and the scratch block, once. From another thread than the reader it
     * first breaks the loop and waits for {@link #next()} to return. Idempotent; never throws.
     */
    @Override
    public void close() {
        stopRequested = true;
        synchronized (lifecycleLock) {
            if (closed) {
                return;
            }
            closed = true;
            Pointer h = handle;
            if (h != null) {
                pcap.pcap_breakloop(h);
            }
        }
        readLock.lock();
        try {
            Pointer h = handle;
            handle = null;
            if (h != null) {
                pcap.pcap_close(h);
            }
            Pointer block = scratch;
            scratch = null;
            if (block != null) {
                libc.free(block);
            }
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public String damage() {
        return damage;
    }

    @Override
    public String description() {
        return description;
    }

    /** LINKTYPE_* of the frames (pcap_datalink mapped by {@link DataLinkTypes}). */
    public int linkType() {
        return linkType;
    }

    /** Snapshot length: the file's, or the one the live capture got (pcap_snapshot). */
    public int snaplen() {
        return snaplen;
    }

    /** Whether this reads a network interface rather than a file. */
    public boolean isLive() {
        return deviceName != null;
    }

    /** Warning from pcap_activate (e.g. promiscuous mode not supported), or {@code null}. */
    public String activationWarning() {
        return activationWarning;
    }

    /** Whether timestamps have nanosecond resolution (false: microseconds, scaled). */
    public boolean hasNanosecondTimestamps() {
        return nanosPerTsFraction == 1;
    }
}
