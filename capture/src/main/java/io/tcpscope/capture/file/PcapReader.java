package io.tcpscope.capture.file;

import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.CaptureException.Kind;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.PacketSource;

import java.nio.channels.FileChannel;

/**
 * Reads classic pcap files (libpcap's savefile format), both byte orders, microsecond and
 * nanosecond timestamps, and Kuznetzov's modified records.
 *
 * <p>File header (24 bytes, in the writer's byte order, told by the magic):
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 magic (a1b2c3d4 us / a1b23c4d ns)             |  0
 *  +-------------------------------+-------------------------------+
 *  |        major version (2)      |        minor version (4)      |  4
 *  +-------------------------------+-------------------------------+
 *  |                    reserved1 (was thiszone)                   |  8
 *  |                    reserved2 (was sigfigs)                    | 12
 *  |                            snaplen                            | 16
 *  +-------+-+---------------------+-------------------------------+
 *  |  FCS  |F|  reserved (zero)    |        LINKTYPE_* number      | 20
 *  +-------+-+---------------------+-------------------------------+
 * </pre>
 * Record header (16 bytes, 24 in the modified format), then {@code captured length} bytes:
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                 timestamp seconds (unsigned)                  |  0
 *  |        timestamp microseconds or nanoseconds (unsigned)       |  4
 *  |                       captured length                         |  8
 *  |                       original length                         | 12
 *  +---------------------------------------------------------------+
 *  | modified format only: ifindex (4), protocol (2), type (1), pad| 16
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p><b>Limit:</b> a record whose captured length exceeds {@link #RECORD_LIMIT} (libpcap's
 * own maximum) is taken as a corrupt header: reading stops with {@link #damage()}.
 */
final class PcapReader implements PacketSource {
    static final int MAGIC_MICROSECONDS = 0xa1b2c3d4;
    static final int MAGIC_NANOSECONDS = 0xa1b23c4d;
    static final int MAGIC_MODIFIED = 0xa1b2cd34;

    static final int FILE_HEADER_LENGTH = 24;
    static final int HEADER_MAGIC = 0;
    static final int HEADER_VERSION_MAJOR = 4;
    static final int HEADER_VERSION_MINOR = 6;
    static final int HEADER_SNAPLEN = 16;
    static final int HEADER_LINKTYPE = 20;

    static final int VERSION_MAJOR = 2;
    static final int VERSION_MINOR = 4;

    /** The LINKTYPE_* number in the header's link-type field. */
    static final int LINKTYPE_MASK = 0x0000_FFFF;
    /** Bits of the link-type field that must be zero (libpcap's LT_RESERVED1). */
    static final int LINKTYPE_RESERVED_MASK = 0x03FF_0000;

    static final int RECORD_HEADER_LENGTH = 16;
    static final int MODIFIED_RECORD_HEADER_LENGTH = 24;
    static final int RECORD_SECONDS = 0;
    static final int RECORD_FRACTION = 4;
    static final int RECORD_CAPTURED_LENGTH = 8;
    static final int RECORD_ORIGINAL_LENGTH = 12;

    /** Largest captured length accepted: libpcap's MAXIMUM_SNAPLEN, 256 KiB. */
    static final int RECORD_LIMIT = 262_144;

    private final FileChannel channel;
    private final FileWindow window;
    private final String description;
    private final boolean bigEndian;
    private final long nanosPerFractionUnit;
    private final int recordHeaderLength;
    private final int linkType;
    private final int snaplen;
    /** {@link #RECORD_LIMIT}, or less when the window is smaller (only in tests). */
    private final int recordLimit;
    private final Frame frame = new Frame();
    private long frameCount;
    private boolean finished;
    private boolean closed;
    private String damage;

    static boolean isPcapMagic(int magicAsStored) {
        int swapped = Integer.reverseBytes(magicAsStored);
        for (int magic : new int[] {MAGIC_MICROSECONDS, MAGIC_NANOSECONDS, MAGIC_MODIFIED}) {
            if (magicAsStored == magic || swapped == magic) {
                return true;
            }
        }
        return false;
    }

    /** Reads and checks the file header; the window holds the file's first bytes. */
    PcapReader(FileChannel channel, FileWindow window, String description) throws CaptureException {
        this.channel = channel;
        this.window = window;
        this.description = description;
        int present = window.require(FILE_HEADER_LENGTH);
        if (present < FILE_HEADER_LENGTH) {
            // libpcap: "truncated dump file; tried to read 24 file header bytes, only got N"
            throw badFormat("truncated dump file; tried to read " + FILE_HEADER_LENGTH
                + " file header bytes, only got " + present);
        }
        byte[] bytes = window.bytes;
        int header = window.start;
        int magic = FileWindow.int32(bytes, header + HEADER_MAGIC, true);
        bigEndian = magic == MAGIC_MICROSECONDS || magic == MAGIC_NANOSECONDS || magic == MAGIC_MODIFIED;
        int nativeMagic = bigEndian ? magic : Integer.reverseBytes(magic);
        nanosPerFractionUnit = nativeMagic == MAGIC_NANOSECONDS ? 1 : 1_000;
        recordHeaderLength = nativeMagic == MAGIC_MODIFIED ? MODIFIED_RECORD_HEADER_LENGTH : RECORD_HEADER_LENGTH;
        int major = FileWindow.uint16(bytes, header + HEADER_VERSION_MAJOR, bigEndian);
        int minor = FileWindow.uint16(bytes, header + HEADER_VERSION_MINOR, bigEndian);
        if (major != VERSION_MAJOR || minor > VERSION_MINOR) {
            throw badFormat("unsupported pcap savefile version " + major + "." + minor);
        }
        int linkTypeField = FileWindow.int32(bytes, header + HEADER_LINKTYPE, bigEndian);
        if ((linkTypeField & LINKTYPE_RESERVED_MASK) != 0) {
            throw badFormat(String.format("savefile linktype reserved field not zero (0x%08x)",
                linkTypeField & LINKTYPE_RESERVED_MASK));
        }
        linkType = linkTypeField & LINKTYPE_MASK;
        snaplen = FileWindow.int32(bytes, header + HEADER_SNAPLEN, bigEndian);
        recordLimit = Math.min(RECORD_LIMIT, window.capacity() - recordHeaderLength);
        window.start = header + FILE_HEADER_LENGTH;
    }

    private CaptureException badFormat(String what) {
        return new CaptureException(Kind.BAD_FORMAT, description + ": " + what);
    }

    /** LINKTYPE_* of every frame in this file. */
    int linkType() {
        return linkType;
    }

    /** The snaplen the file header claims (informational; records are checked against {@link #RECORD_LIMIT}). */
    int snaplen() {
        return snaplen;
    }

    @Override
    public Frame next() throws CaptureException {
        if (finished) {
            return null;
        }
        FileWindow window = this.window;
        int headerLength = recordHeaderLength;
        if (window.available() < headerLength && window.require(headerLength) < headerLength) {
            if (window.available() == 0) {
                finished = true;
                return null;
            }
            return truncated(headerLength);
        }
        byte[] bytes = window.bytes;
        int record = window.start;
        long capturedLength = FileWindow.uint32(bytes, record + RECORD_CAPTURED_LENGTH, bigEndian);
        if (capturedLength > recordLimit) {
            return stop("corrupt record: frame " + (frameCount + 1) + " at byte offset " + window.position()
                + " has captured length " + capturedLength + ", more than the " + recordLimit + "-byte limit");
        }
        int recordLength = headerLength + (int) capturedLength;
        if (window.available() < recordLength) {
            if (window.require(recordLength) < recordLength) {
                return truncated(recordLength);
            }
            record = window.start;
        }
        long seconds = FileWindow.uint32(bytes, record + RECORD_SECONDS, bigEndian);
        long fraction = FileWindow.uint32(bytes, record + RECORD_FRACTION, bigEndian);
        long originalLength = FileWindow.uint32(bytes, record + RECORD_ORIGINAL_LENGTH, bigEndian);
        frame.set(++frameCount, seconds * Timestamps.NANOS_PER_SECOND + fraction * nanosPerFractionUnit,
            (int) capturedLength, (int) Math.min(originalLength, Integer.MAX_VALUE), linkType, 0,
            bytes, record + headerLength);
        window.start = record + recordLength;
        return frame;
    }

    private Frame truncated(int needed) throws CaptureException {
        return stop("truncated record: frame " + (frameCount + 1) + " at byte offset " + window.position()
            + " needs " + needed + " bytes, only " + window.available() + " present");
    }

    private Frame stop(String why) {
        damage = why;
        finished = true;
        return null;
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
