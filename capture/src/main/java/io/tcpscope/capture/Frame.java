package io.tcpscope.capture;

/**
 * One captured frame, as a reusable flyweight.
 *
 * <p>A {@link PacketSource} owns exactly one {@code Frame} and refills it on every
 * {@link PacketSource#next()} call; nothing is allocated per packet. The bytes live in
 * {@link #buffer()} from {@link #offset()} for {@link #capturedLength()} bytes. They are
 * valid only until the next call to {@code next()} or {@code close()} on the source that
 * returned this frame: a caller that needs them longer must copy them.
 */
public final class Frame {
    private long number;
    private long timestampNanos;
    private int capturedLength;
    private int originalLength;
    private int linkType;
    private int interfaceId;
    private byte[] buffer = new byte[0];
    private int offset;
    private int fileIndex;
    private long fileFrameNumber;

    /**
     * Refills this frame. Called by sources only.
     *
     * @param number         1-based frame number in the capture (as tcpdump -# and Wireshark count)
     * @param timestampNanos capture time, nanoseconds since the Unix epoch (UTC)
     * @param capturedLength bytes present in {@code buffer}
     * @param originalLength length of the frame on the wire (>= capturedLength when snaplen cut it)
     * @param linkType       LINKTYPE_* number, see {@link LinkType}
     * @param interfaceId    pcapng interface index, 0 for classic pcap and live captures
     * @param buffer         backing array, owned by the source
     * @param offset         first byte of the frame in {@code buffer}
     */
    public void set(long number, long timestampNanos, int capturedLength, int originalLength,
                    int linkType, int interfaceId, byte[] buffer, int offset) {
        this.number = number;
        this.timestampNanos = timestampNanos;
        this.capturedLength = capturedLength;
        this.originalLength = originalLength;
        this.linkType = linkType;
        this.interfaceId = interfaceId;
        this.buffer = buffer;
        this.offset = offset;
        this.fileIndex = 0;
        this.fileFrameNumber = number;
    }

    /**
     * Places this frame in a set of files read as one capture (see
     * {@code CaptureFiles.open(List)}): {@link #number()} becomes its number in the merged
     * capture, and the file's own number moves to {@link #fileFrameNumber()}. Called by the
     * merging source only, after {@link #set}.
     */
    public void placeInSet(long mergedNumber, int fileIndex) {
        this.fileFrameNumber = this.number;
        this.number = mergedNumber;
        this.fileIndex = fileIndex;
    }

    /** 1-based frame number within the capture (within the merged capture for a set of files). */
    public long number() { return number; }

    /** 0-based index of the file this frame is in, in the set's order; 0 for a single file or a live capture. */
    public int fileIndex() { return fileIndex; }

    /** 1-based frame number within its file ({@link #number()} for a single file): print {@code fileIndex#fileFrameNumber}. */
    public long fileFrameNumber() { return fileFrameNumber; }

    /** Capture timestamp in nanoseconds since the Unix epoch. */
    public long timestampNanos() { return timestampNanos; }

    /** Number of bytes captured, available in {@link #buffer()}. */
    public int capturedLength() { return capturedLength; }

    /** Length of the frame on the wire. */
    public int originalLength() { return originalLength; }

    /** LINKTYPE_* value of the interface this frame was captured on. */
    public int linkType() { return linkType; }

    /** pcapng interface id (0 for pcap files and live captures). */
    public int interfaceId() { return interfaceId; }

    /** Backing array; valid until the source's next call. Never modify it. */
    public byte[] buffer() { return buffer; }

    /** Offset of the first frame byte in {@link #buffer()}. */
    public int offset() { return offset; }
}
