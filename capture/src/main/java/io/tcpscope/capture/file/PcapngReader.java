package io.tcpscope.capture.file;

import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.CaptureException.Kind;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.PacketSource;

import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Reads pcapng files: any number of sections, each with its own byte order and its own
 * interfaces (link type, snaplen, {@code if_tsresol}, {@code if_tsoffset}); packets from
 * enhanced, simple and obsolete packet blocks. Every other block is skipped by its length.
 *
 * <p>Every block (all fields in the section's byte order):
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                          block type                           |  0
 *  |                      block total length                       |  4
 *  /                    body (total length - 12)                   /  8
 *  |                      block total length                       |  len - 4
 *  +---------------------------------------------------------------+
 * </pre>
 * Bodies of the blocks read here (offsets from the block start; options are
 * {@code code(2) length(2) value} padded to 4 bytes, ended by code 0):
 * <pre>
 *  section header 0x0A0D0D0A   8: byte-order magic 0x1A2B3C4D  12: major(2) minor(2)
 *                              16: section length (8)          24: options
 *  interface descr. 0x00000001 8: link type(2) reserved(2)     12: snaplen  16: options
 *                              (option 9 if_tsresol: 1 byte; option 14 if_tsoffset: 8 bytes)
 *  enhanced packet  0x00000006 8: interface id  12: timestamp high  16: timestamp low
 *                              20: captured length  24: original length  28: data, options
 *  simple packet    0x00000003 8: original length  12: data (captured length = min(original
 *                              length, snaplen of interface 0, room in the block))
 *  obsolete packet  0x00000002 8: interface id(2) drops(2)  12: timestamp high
 *                              16: timestamp low  20: captured length  24: original length  28: data
 *  interface stats  0x00000005 8: interface id  12: timestamp high  16: timestamp low  20: options
 *                              (2 isb_starttime, 3 isb_endtime: timestamp high(4) low(4) in the
 *                              interface's units; 4 isb_ifrecv, 5 isb_ifdrop, 7 isb_osdrop: 8 bytes)
 * </pre>
 *
 * <p>Interface statistics blocks (dumpcap writes one per interface when it stops) give
 * {@link #captureEndNanos()} (the latest {@code isb_endtime}) and the counters, from the
 * last block of each interface, summed over interfaces. A statistics block that cannot be
 * read (too short, unknown interface, an option running past the block) is skipped, as
 * libpcap skips them all: it never makes the file damaged.
 *
 * <p><b>Limits:</b> blocks that are parsed (section headers, interface descriptions,
 * packets) must fit in the read window ({@link FileWindow#capacity()}, 1 MiB by default);
 * a packet's captured length must not exceed {@link PcapReader#RECORD_LIMIT}; a section may
 * describe at most {@link #INTERFACE_LIMIT} interfaces. Breaking any of them is damage:
 * reading stops and {@link #damage()} says which block and why. Skipped blocks may have
 * any length.
 *
 * <p>Opening reads the first section header and the blocks after it up to the first packet
 * (as libpcap does): a corrupt block there makes the file unreadable ({@code BAD_FORMAT});
 * a file cut short there opens and ends at once with damage.
 */
final class PcapngReader implements PacketSource {
    static final int SECTION_HEADER_BLOCK = 0x0A0D0D0A;
    static final int INTERFACE_DESCRIPTION_BLOCK = 0x00000001;
    static final int OBSOLETE_PACKET_BLOCK = 0x00000002;
    static final int SIMPLE_PACKET_BLOCK = 0x00000003;
    static final int ENHANCED_PACKET_BLOCK = 0x00000006;
    static final int INTERFACE_STATISTICS_BLOCK = 0x00000005;

    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    static final int VERSION_MAJOR = 1;
    /** libpcap accepts minor versions 0 and 2 (some writers used 1.2). */
    static final int VERSION_MINOR = 0;
    static final int VERSION_MINOR_ALSO_ACCEPTED = 2;

    static final int BLOCK_TYPE = 0;
    static final int BLOCK_TOTAL_LENGTH = 4;
    static final int BLOCK_BODY = 8;
    /** Type, length, trailing length. */
    static final int BLOCK_MIN_LENGTH = 12;
    static final int BLOCK_TRAILER_LENGTH = 4;

    static final int SHB_BYTE_ORDER_MAGIC = 8;
    static final int SHB_VERSION_MAJOR = 12;
    static final int SHB_VERSION_MINOR = 14;
    static final int SHB_MIN_LENGTH = 28;

    static final int IDB_LINKTYPE = 8;
    static final int IDB_SNAPLEN = 12;
    static final int IDB_OPTIONS = 16;
    static final int IDB_MIN_LENGTH = 20;

    static final int EPB_INTERFACE_ID = 8;
    static final int EPB_TIMESTAMP_HIGH = 12;
    static final int EPB_TIMESTAMP_LOW = 16;
    static final int EPB_CAPTURED_LENGTH = 20;
    static final int EPB_ORIGINAL_LENGTH = 24;
    static final int EPB_DATA = 28;
    static final int EPB_MIN_LENGTH = 32;

    static final int SPB_ORIGINAL_LENGTH = 8;
    static final int SPB_DATA = 12;
    static final int SPB_MIN_LENGTH = 16;

    static final int ISB_INTERFACE_ID = 8;
    static final int ISB_OPTIONS = 20;
    static final int ISB_MIN_LENGTH = 24;
    static final int OPTION_ISB_ENDTIME = 3;
    static final int OPTION_ISB_IFRECV = 4;
    static final int OPTION_ISB_IFDROP = 5;
    static final int OPTION_ISB_OSDROP = 7;
    /** How far an ISB time may lie before the last frame (frames of other interfaces interleave). */
    static final long ISB_TIME_SLACK_NANOS = 1_000_000_000L;
    /** Indexes into the per-interface statistics arrays of {@link #statistics}. */
    private static final int STAT_END = 0;
    private static final int STAT_IFRECV = 1;
    private static final int STAT_IFDROP = 2;
    private static final int STAT_OSDROP = 3;
    private static final int STAT_COUNT = 4;
    /** Value of a statistic an interface's last ISB did not carry. */
    private static final long STAT_ABSENT = Long.MIN_VALUE;

    /** The obsolete packet block has the enhanced one's layout but a 16-bit interface id. */
    static final int OPB_INTERFACE_ID = 8;

    static final int OPTION_HEADER_LENGTH = 4;
    static final int OPTION_END = 0;
    static final int OPTION_IF_TSRESOL = 9;
    static final int OPTION_IF_TSOFFSET = 14;

    /** Most interfaces one section may describe. */
    static final int INTERFACE_LIMIT = 65_536;
    private static final int INITIAL_INTERFACE_CAPACITY = 4;

    private static final int RESULT_FRAME = 0;
    private static final int RESULT_END = 1;
    private static final int RESULT_PAUSED = 2;

    private final FileChannel channel;
    private final FileWindow window;
    private final String description;
    private final Frame frame = new Frame();

    /** Byte order of the current section. */
    private boolean bigEndian;
    private int sectionCount;
    private int interfaceCount;
    private int[] interfaceLinkType = new int[INITIAL_INTERFACE_CAPACITY];
    private long[] interfaceSnaplen = new long[INITIAL_INTERFACE_CAPACITY];
    private int[] interfaceTsresol = new int[INITIAL_INTERFACE_CAPACITY];
    /** Nanoseconds per timestamp unit, or 0 when {@link Timestamps#unitsToNanos} must divide. */
    private long[] interfaceNanosPerUnit = new long[INITIAL_INTERFACE_CAPACITY];
    private long[] interfaceOffsetNanos = new long[INITIAL_INTERFACE_CAPACITY];

    /**
     * The last interface statistics of each interface, keyed by section number (high 32 bits)
     * and interface id; values indexed by {@code STAT_*}. Statistics blocks are rare (one per
     * interface at the end of a dumpcap file): this allocates per block, not per packet.
     */
    private final Map<Long, long[]> statistics = new HashMap<>();

    private long frameCount;
    private boolean finished;
    private boolean closed;
    private String damage;
    private boolean damageIsTruncation;

    PcapngReader(FileChannel channel, FileWindow window, String description) throws CaptureException {
        this.channel = channel;
        this.window = window;
        this.description = description;
        readFirstSectionHeader();
        advance(true);
        // a clean end or a cut is for next() to report; corrupt blocks make the file unreadable
        if (damage != null && !damageIsTruncation) {
            throw new CaptureException(Kind.BAD_FORMAT, description + ": " + damage);
        }
    }

    /** Checks the first section header with libpcap's wording, then reads it. */
    private void readFirstSectionHeader() throws CaptureException {
        int present = window.require(SHB_MIN_LENGTH);
        if (present < SHB_MIN_LENGTH) {
            throw badFormat("truncated pcapng section header block: needs at least " + SHB_MIN_LENGTH
                + " bytes, only " + present + " present");
        }
        byte[] bytes = window.bytes;
        int block = window.start;
        int magic = FileWindow.int32(bytes, block + SHB_BYTE_ORDER_MAGIC, true);
        if (magic != BYTE_ORDER_MAGIC && magic != Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
            throw badFormat(String.format("pcapng section header block has byte-order magic 0x%08x, not 0x%08x",
                magic, BYTE_ORDER_MAGIC));
        }
        boolean sectionBigEndian = magic == BYTE_ORDER_MAGIC;
        int major = FileWindow.uint16(bytes, block + SHB_VERSION_MAJOR, sectionBigEndian);
        int minor = FileWindow.uint16(bytes, block + SHB_VERSION_MINOR, sectionBigEndian);
        if (!versionSupported(major, minor)) {
            throw badFormat("unsupported pcapng savefile version " + major + "." + minor);
        }
        if (!readSectionHeader()) {
            throw badFormat(damage);
        }
    }

    private static boolean versionSupported(int major, int minor) {
        return major == VERSION_MAJOR && (minor == VERSION_MINOR || minor == VERSION_MINOR_ALSO_ACCEPTED);
    }

    private CaptureException badFormat(String what) {
        return new CaptureException(Kind.BAD_FORMAT, description + ": " + what);
    }

    @Override
    public Frame next() throws CaptureException {
        if (finished) {
            return null;
        }
        return advance(false) == RESULT_FRAME ? frame : null;
    }

    /**
     * Reads blocks until one yields a frame, the file ends or damage is found.
     *
     * @param opening stop before the first packet block or section header (used while
     *                opening, after the first section header has been read)
     */
    private int advance(boolean opening) throws CaptureException {
        FileWindow window = this.window;
        for (;;) {
            if (window.available() < BLOCK_MIN_LENGTH && window.require(BLOCK_MIN_LENGTH) < BLOCK_MIN_LENGTH) {
                if (window.available() == 0) {
                    finished = true;
                    return RESULT_END;
                }
                return truncated("block", BLOCK_MIN_LENGTH, window.position(), window.available());
            }
            byte[] bytes = window.bytes;
            int block = window.start;
            int type = FileWindow.int32(bytes, block + BLOCK_TYPE, bigEndian);
            if (type == SECTION_HEADER_BLOCK) {
                if (opening) {
                    return RESULT_PAUSED;
                }
                if (!readSectionHeader()) {
                    return RESULT_END;
                }
                continue;
            }
            long totalLength = FileWindow.uint32(bytes, block + BLOCK_TOTAL_LENGTH, bigEndian);
            if (totalLength < BLOCK_MIN_LENGTH || totalLength % 4 != 0) {
                corrupt(blockName(type) + " at byte offset " + window.position() + " has total length "
                    + totalLength + (totalLength < BLOCK_MIN_LENGTH ? ", less than the " + BLOCK_MIN_LENGTH
                    + "-byte minimum" : ", not a multiple of 4"));
                return RESULT_END;
            }
            switch (type) {
                case ENHANCED_PACKET_BLOCK:
                case OBSOLETE_PACKET_BLOCK:
                case SIMPLE_PACKET_BLOCK:
                    if (opening) {
                        return RESULT_PAUSED;
                    }
                    if (!loadBlock(type, totalLength)) {
                        return RESULT_END;
                    }
                    return readPacket(type, (int) totalLength) ? RESULT_FRAME : RESULT_END;
                case INTERFACE_DESCRIPTION_BLOCK:
                    if (!loadBlock(type, totalLength) || !readInterfaceDescription((int) totalLength)) {
                        return RESULT_END;
                    }
                    break;
                case INTERFACE_STATISTICS_BLOCK:
                    if (totalLength > window.capacity()) {
                        if (!skipBlock(type, totalLength)) {
                            return RESULT_END;
                        }
                    } else {
                        if (!loadBlock(type, totalLength)) {
                            return RESULT_END;
                        }
                        readInterfaceStatistics((int) totalLength);
                    }
                    break;
                default:
                    if (!skipBlock(type, totalLength)) {
                        return RESULT_END;
                    }
                    break;
            }
        }
    }

    /**
     * Brings the whole block at the window start into the window and checks its trailing
     * length. On failure records damage and returns false.
     */
    private boolean loadBlock(int type, long totalLength) throws CaptureException {
        FileWindow window = this.window;
        if (totalLength > window.capacity()) {
            corrupt(blockName(type) + " at byte offset " + window.position() + " has total length " + totalLength
                + ", more than the " + window.capacity() + "-byte limit");
            return false;
        }
        int length = (int) totalLength;
        if (window.available() < length && window.require(length) < length) {
            truncated(blockName(type), length, window.position(), window.available());
            return false;
        }
        int trailer = FileWindow.int32(window.bytes, window.start + length - BLOCK_TRAILER_LENGTH, bigEndian);
        if (trailer != length) {
            // libpcap's wording
            corrupt(blockName(type) + " at byte offset " + window.position() + ": block total length in header "
                + length + " and trailer " + Integer.toUnsignedString(trailer) + " don't match");
            return false;
        }
        return true;
    }

    /** Skips a block that is not read, checking its trailing length. */
    private boolean skipBlock(int type, long totalLength) throws CaptureException {
        FileWindow window = this.window;
        long blockOffset = window.position();
        if (!window.skip(totalLength - BLOCK_TRAILER_LENGTH)
                || window.require(BLOCK_TRAILER_LENGTH) < BLOCK_TRAILER_LENGTH) {
            long present = Math.max(0, window.fileSize() - blockOffset);
            truncated(blockName(type), totalLength, blockOffset, present);
            return false;
        }
        long trailer = FileWindow.uint32(window.bytes, window.start, bigEndian);
        if (trailer != totalLength) {
            corrupt(blockName(type) + " at byte offset " + blockOffset + ": block total length in header "
                + totalLength + " and trailer " + trailer + " don't match");
            return false;
        }
        window.start += BLOCK_TRAILER_LENGTH;
        return true;
    }

    /** Reads a section header block at the window start (byte order from its own magic). */
    private boolean readSectionHeader() throws CaptureException {
        FileWindow window = this.window;
        long blockOffset = window.position();
        byte[] bytes = window.bytes;
        int magic = FileWindow.int32(bytes, window.start + SHB_BYTE_ORDER_MAGIC, true);
        if (magic != BYTE_ORDER_MAGIC && magic != Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
            corrupt(String.format("section header block at byte offset %d has byte-order magic 0x%08x, not 0x%08x",
                blockOffset, magic, BYTE_ORDER_MAGIC));
            return false;
        }
        boolean sectionBigEndian = magic == BYTE_ORDER_MAGIC;
        long totalLength = FileWindow.uint32(bytes, window.start + BLOCK_TOTAL_LENGTH, sectionBigEndian);
        if (totalLength < SHB_MIN_LENGTH || totalLength % 4 != 0) {
            corrupt("section header block at byte offset " + blockOffset + " has total length " + totalLength
                + (totalLength < SHB_MIN_LENGTH ? ", less than the " + SHB_MIN_LENGTH + "-byte minimum"
                : ", not a multiple of 4"));
            return false;
        }
        bigEndian = sectionBigEndian;
        if (!loadBlock(SECTION_HEADER_BLOCK, totalLength)) {
            return false;
        }
        int block = window.start;
        int major = FileWindow.uint16(bytes, block + SHB_VERSION_MAJOR, bigEndian);
        int minor = FileWindow.uint16(bytes, block + SHB_VERSION_MINOR, bigEndian);
        if (!versionSupported(major, minor)) {
            corrupt("section header block at byte offset " + blockOffset + ": unsupported pcapng version "
                + major + "." + minor);
            return false;
        }
        sectionCount++;
        interfaceCount = 0;
        window.start = block + (int) totalLength;
        return true;
    }

    /** Reads the interface description block loaded at the window start. */
    private boolean readInterfaceDescription(int length) {
        FileWindow window = this.window;
        byte[] bytes = window.bytes;
        int block = window.start;
        if (length < IDB_MIN_LENGTH) {
            return corrupt("interface description block at byte offset " + window.position()
                + " has total length " + length + ", less than the " + IDB_MIN_LENGTH + "-byte minimum");
        }
        if (interfaceCount == INTERFACE_LIMIT) {
            return corrupt("interface description block at byte offset " + window.position()
                + ": more than " + INTERFACE_LIMIT + " interfaces in one section");
        }
        int tsresol = Timestamps.TSRESOL_MICROSECONDS;
        long offsetSeconds = 0;
        int option = block + IDB_OPTIONS;
        int optionsEnd = block + length - BLOCK_TRAILER_LENGTH;
        while (option + OPTION_HEADER_LENGTH <= optionsEnd) {
            int code = FileWindow.uint16(bytes, option, bigEndian);
            int valueLength = FileWindow.uint16(bytes, option + 2, bigEndian);
            if (code == OPTION_END) {
                break;
            }
            int value = option + OPTION_HEADER_LENGTH;
            int paddedLength = (valueLength + 3) & ~3;
            if (value + paddedLength > optionsEnd) {
                return corrupt("interface description block at byte offset " + window.position() + ": option "
                    + code + " of length " + valueLength + " runs past the end of the block");
            }
            if (code == OPTION_IF_TSRESOL && valueLength >= 1) {
                tsresol = bytes[value] & 0xFF;
            } else if (code == OPTION_IF_TSOFFSET && valueLength >= 8) {
                offsetSeconds = FileWindow.int64(bytes, value, bigEndian);
            }
            option = value + paddedLength;
        }
        if (interfaceCount == interfaceLinkType.length) {
            int capacity = Math.min(INTERFACE_LIMIT, interfaceCount * 2);
            interfaceLinkType = Arrays.copyOf(interfaceLinkType, capacity);
            interfaceSnaplen = Arrays.copyOf(interfaceSnaplen, capacity);
            interfaceTsresol = Arrays.copyOf(interfaceTsresol, capacity);
            interfaceNanosPerUnit = Arrays.copyOf(interfaceNanosPerUnit, capacity);
            interfaceOffsetNanos = Arrays.copyOf(interfaceOffsetNanos, capacity);
        }
        int id = interfaceCount++;
        interfaceLinkType[id] = FileWindow.uint16(bytes, block + IDB_LINKTYPE, bigEndian);
        interfaceSnaplen[id] = FileWindow.uint32(bytes, block + IDB_SNAPLEN, bigEndian);
        interfaceTsresol[id] = tsresol;
        interfaceNanosPerUnit[id] = Timestamps.nanosPerUnit(tsresol);
        interfaceOffsetNanos[id] = offsetSeconds * Timestamps.NANOS_PER_SECOND;
        window.start = block + length;
        return true;
    }

    /**
     * Reads the interface statistics block loaded at the window start and moves past it;
     * a block that cannot be read is skipped (see the class comment).
     */
    private void readInterfaceStatistics(int length) {
        FileWindow window = this.window;
        byte[] bytes = window.bytes;
        int block = window.start;
        window.start = block + length;
        if (length < ISB_MIN_LENGTH) {
            return;
        }
        long interfaceId = FileWindow.uint32(bytes, block + ISB_INTERFACE_ID, bigEndian);
        if (interfaceId >= interfaceCount) {
            return;
        }
        int id = (int) interfaceId;
        long[] values = new long[STAT_COUNT];
        Arrays.fill(values, STAT_ABSENT);
        int option = block + ISB_OPTIONS;
        int optionsEnd = block + length - BLOCK_TRAILER_LENGTH;
        while (option + OPTION_HEADER_LENGTH <= optionsEnd) {
            int code = FileWindow.uint16(bytes, option, bigEndian);
            int valueLength = FileWindow.uint16(bytes, option + 2, bigEndian);
            if (code == OPTION_END) {
                break;
            }
            int value = option + OPTION_HEADER_LENGTH;
            int paddedLength = (valueLength + 3) & ~3;
            if (value + paddedLength > optionsEnd) {
                return;
            }
            if (valueLength == 8) {
                switch (code) {
                    case OPTION_ISB_ENDTIME: {
                        long units = (FileWindow.uint32(bytes, value, bigEndian) << 32)
                            | FileWindow.uint32(bytes, value + 4, bigEndian);
                        values[STAT_END] = isbTime(id, units);
                        break;
                    }
                    case OPTION_ISB_IFRECV:
                        values[STAT_IFRECV] = FileWindow.int64(bytes, value, bigEndian);
                        break;
                    case OPTION_ISB_IFDROP:
                        values[STAT_IFDROP] = FileWindow.int64(bytes, value, bigEndian);
                        break;
                    case OPTION_ISB_OSDROP:
                        values[STAT_OSDROP] = FileWindow.int64(bytes, value, bigEndian);
                        break;
                    default:
                        break;
                }
            }
            option = value + paddedLength;
        }
        statistics.put(((long) sectionCount << 32) | id, values);
    }

    /**
     * An ISB time in nanoseconds. The format says it is in the interface's {@code if_tsresol}
     * units, but dumpcap writes microseconds whatever the interface says (its
     * {@code capture_loop_close_output} stamps ISBs with {@code create_timestamp()}, in µs,
     * while the IDB declares {@code if_tsresol} 9 for nanosecond captures; seen with dumpcap
     * on Linux 6.18, test resource {@code isb/dumpcap-lo.pcapng}). A capture cannot end
     * before its last frame: when the declared units put the time more than
     * {@link #ISB_TIME_SLACK_NANOS} before the last frame read and microseconds do not, the
     * value is taken as microseconds.
     */
    private long isbTime(int id, long units) {
        long nanosPerUnit = interfaceNanosPerUnit[id];
        long declared = (nanosPerUnit != 0 ? units * nanosPerUnit
            : Timestamps.unitsToNanos(units, interfaceTsresol[id])) + interfaceOffsetNanos[id];
        if (frameCount == 0 || interfaceTsresol[id] == Timestamps.TSRESOL_MICROSECONDS
                || units < 0 || units > Long.MAX_VALUE / 1_000L) {
            return declared;
        }
        long floor = frame.timestampNanos() - ISB_TIME_SLACK_NANOS;
        long micros = units * 1_000L + interfaceOffsetNanos[id];
        return declared < floor && micros >= floor ? micros : declared;
    }

    /** The latest of a statistic over interfaces ({@code max}) or its sum, or empty when no interface has it. */
    private OptionalLong statistic(int index, boolean max) {
        boolean any = false;
        long result = max ? Long.MIN_VALUE : 0;
        for (long[] values : statistics.values()) {
            long v = values[index];
            if (v != STAT_ABSENT) {
                result = max ? Math.max(result, v) : result + v;
                any = true;
            }
        }
        return any ? OptionalLong.of(result) : OptionalLong.empty();
    }

    @Override
    public OptionalLong captureEndNanos() {
        return statistic(STAT_END, true);
    }

    @Override
    public OptionalLong interfaceReceived() {
        return statistic(STAT_IFRECV, false);
    }

    @Override
    public OptionalLong interfaceDrops() {
        return statistic(STAT_IFDROP, false);
    }

    @Override
    public OptionalLong osDrops() {
        return statistic(STAT_OSDROP, false);
    }

    /** Reads the packet block loaded at the window start into {@link #frame}. */
    private boolean readPacket(int type, int length) {
        FileWindow window = this.window;
        byte[] bytes = window.bytes;
        int block = window.start;
        long interfaceId;
        long capturedLength;
        long originalLength;
        long nanos;
        int data;
        if (type == SIMPLE_PACKET_BLOCK) {
            if (length < SPB_MIN_LENGTH) {
                return tooShort(type, length, SPB_MIN_LENGTH);
            }
            interfaceId = 0;
            if (interfaceCount == 0) {
                return noSuchInterface(type, interfaceId);
            }
            originalLength = FileWindow.uint32(bytes, block + SPB_ORIGINAL_LENGTH, bigEndian);
            capturedLength = Math.min(originalLength, length - SPB_MIN_LENGTH);
            long snaplen = interfaceSnaplen[0];
            if (snaplen != 0 && capturedLength > snaplen) {
                capturedLength = snaplen;
            }
            nanos = 0; // simple packet blocks carry no timestamp (libpcap reports 0 too)
            data = block + SPB_DATA;
        } else {
            if (length < EPB_MIN_LENGTH) {
                return tooShort(type, length, EPB_MIN_LENGTH);
            }
            interfaceId = type == ENHANCED_PACKET_BLOCK
                ? FileWindow.uint32(bytes, block + EPB_INTERFACE_ID, bigEndian)
                : FileWindow.uint16(bytes, block + OPB_INTERFACE_ID, bigEndian);
            if (interfaceId >= interfaceCount) {
                return noSuchInterface(type, interfaceId);
            }
            capturedLength = FileWindow.uint32(bytes, block + EPB_CAPTURED_LENGTH, bigEndian);
            originalLength = FileWindow.uint32(bytes, block + EPB_ORIGINAL_LENGTH, bigEndian);
            if (capturedLength > length - EPB_MIN_LENGTH) {
                return corrupt(blockName(type) + " (frame " + (frameCount + 1) + ") at byte offset "
                    + window.position() + ": captured length " + capturedLength + " does not fit in a block of "
                    + length + " bytes");
            }
            int id = (int) interfaceId;
            long units = (FileWindow.uint32(bytes, block + EPB_TIMESTAMP_HIGH, bigEndian) << 32)
                | FileWindow.uint32(bytes, block + EPB_TIMESTAMP_LOW, bigEndian);
            long nanosPerUnit = interfaceNanosPerUnit[id];
            nanos = (nanosPerUnit != 0 ? units * nanosPerUnit : Timestamps.unitsToNanos(units, interfaceTsresol[id]))
                + interfaceOffsetNanos[id];
            data = block + EPB_DATA;
        }
        if (capturedLength > PcapReader.RECORD_LIMIT) {
            return corrupt(blockName(type) + " (frame " + (frameCount + 1) + ") at byte offset " + window.position()
                + " has captured length " + capturedLength + ", more than the " + PcapReader.RECORD_LIMIT
                + "-byte limit");
        }
        int id = (int) interfaceId;
        frame.set(++frameCount, nanos, (int) capturedLength, (int) Math.min(originalLength, Integer.MAX_VALUE),
            interfaceLinkType[id], id, bytes, data);
        window.start = block + length;
        return true;
    }

    private boolean tooShort(int type, int length, int minimum) {
        return corrupt(blockName(type) + " (frame " + (frameCount + 1) + ") at byte offset " + window.position()
            + " has total length " + length + ", less than the " + minimum + "-byte minimum");
    }

    private boolean noSuchInterface(int type, long interfaceId) {
        return corrupt(blockName(type) + " (frame " + (frameCount + 1) + ") at byte offset " + window.position()
            + " refers to interface " + interfaceId + " but the section describes "
            + (interfaceCount == 1 ? "1 interface" : interfaceCount + " interfaces"));
    }

    private static String blockName(int type) {
        switch (type) {
            case SECTION_HEADER_BLOCK: return "section header block";
            case INTERFACE_DESCRIPTION_BLOCK: return "interface description block";
            case OBSOLETE_PACKET_BLOCK: return "obsolete packet block";
            case SIMPLE_PACKET_BLOCK: return "simple packet block";
            case ENHANCED_PACKET_BLOCK: return "enhanced packet block";
            case INTERFACE_STATISTICS_BLOCK: return "interface statistics block";
            default: return String.format("block of type 0x%08x", type);
        }
    }

    private int truncated(String what, long needed, long offset, long present) {
        boolean packet = what.endsWith("packet block");
        damage = "truncated block: " + what + (packet ? " (frame " + (frameCount + 1) + ")" : "")
            + " at byte offset " + offset + " needs " + (what.equals("block") ? "at least " : "") + needed
            + " bytes, only " + present + " present";
        damageIsTruncation = true;
        finished = true;
        return RESULT_END;
    }

    private boolean corrupt(String why) {
        damage = "corrupt block: " + why;
        damageIsTruncation = false;
        finished = true;
        return false;
    }

    @Override
    public String damage() {
        return damage;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            finished = true;
            CaptureFiles.closeQuietly(channel);
        }
    }
}
