package io.tcpscope.capture.file;

import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.CaptureException.Kind;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.PacketSource;

import java.io.FilterInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Several capture files read as one capture, merged in timestamp order: rotated sets
 * ({@code tcpdump -C/-G}, dumpcap ring buffers), captures of two taps, a directory.
 *
 * <h2>Order (a contract: a later Spark job must reproduce it exactly)</h2>
 * <ol>
 *   <li>The files are sorted by the timestamp of their first frame, then by file name
 *       (the last path element, compared as a Java string), then by the path as given.
 *       Files without any frame come last, by name. A file's position in this order is its
 *       <b>file index</b> ({@link Frame#fileIndex()}, from 0).</li>
 *   <li>Frames are merged k-way by (timestamp, file index, frame number in the file): at
 *       each step the frame with the smallest timestamp among the files' next frames comes
 *       out; equal timestamps go to the lower file index; frames of one file keep their
 *       order in the file. This is mergecap's merge (whose ties go by the order the files
 *       were given), so a file whose own timestamps go backwards is not sorted: its frames
 *       stay in file order, interleaved with the others as each comes to the front.</li>
 *   <li>{@link Frame#number()} is the frame's number in the merged capture (1, 2, ...);
 *       {@link Frame#fileFrameNumber()} its number in its own file.</li>
 * </ol>
 *
 * <h2>Resources</h2>
 * Opening reads every file's first frame (to sort them) and closes it again (a set of one
 * file stays open). While merging,
 * a file is opened when its first frame comes to the front and closed at its end, so a
 * rotated set has one or two files open at a time, whatever its length; two taps captured
 * side by side have both open. Standard input ({@code -}) is opened once and stays open.
 *
 * <h2>Damage</h2>
 * Damage in one file (cut, corrupt block, a file that is not a capture at all) ends that
 * file only: the others are still read, and {@link #damage()} names each damaged file. A
 * missing file is an error ({@link CaptureException}, as for a single file); so is a set in
 * which no file can be opened. A set of one file behaves exactly as that file opened alone.
 */
public final class CaptureSet implements PacketSource {

    /** What the merge knows of one file of the set. */
    public static final class Member {
        private final Path path;
        private final String name;
        private int index;
        private long firstNanos;
        private boolean hasFrames;
        private PacketSource source;
        private Frame head;
        private long headNanos;
        private long frames;
        private String damage;
        /** The file's own statistics (pcapng ISBs), taken when it ends. */
        private java.util.OptionalLong endNanos = java.util.OptionalLong.empty();
        private java.util.OptionalLong received = java.util.OptionalLong.empty();
        private java.util.OptionalLong ifDrops = java.util.OptionalLong.empty();
        private java.util.OptionalLong osDrops = java.util.OptionalLong.empty();

        Member(Path path) {
            this.path = path;
            Path fileName = path.getFileName();
            this.name = fileName != null ? fileName.toString() : path.toString();
        }

        /** The path as given (or found in a directory); {@code -} for standard input. */
        public Path path() {
            return path;
        }

        /** 0-based position in the set's order ({@link Frame#fileIndex()}). */
        public int index() {
            return index;
        }

        /** Timestamp of the file's first frame, or {@code Long.MAX_VALUE} for a file without frames. */
        public long firstNanos() {
            return hasFrames ? firstNanos : Long.MAX_VALUE;
        }

        /** Frames delivered from this file so far. */
        public long frames() {
            return frames;
        }

        /** Why this file ended early (one line), or {@code null}. */
        public String damage() {
            return damage;
        }

        boolean isStandardInput() {
            return CaptureFiles.isStandardInput(path);
        }
    }

    private static final Comparator<Member> SET_ORDER = Comparator
        .comparing((Member m) -> !m.hasFrames)
        .thenComparingLong(m -> m.hasFrames ? m.firstNanos : 0)
        .thenComparing(m -> m.name)
        .thenComparing(m -> m.path.toString());

    /** (timestamp of the next frame, file index): the file whose next frame comes out first. */
    private static final Comparator<Member> MERGE_ORDER = (a, b) -> {
        int byTime = Long.compare(a.headNanos, b.headNanos);
        return byTime != 0 ? byTime : Integer.compare(a.index, b.index);
    };

    private final List<Member> members;
    private final List<Member> membersView;
    private final PriorityQueue<Member> queue;
    private final String description;
    private final InputStream standardInput;
    private Member current;
    private long merged;
    private boolean closed;

    private CaptureSet(List<Member> members, String description, InputStream standardInput) {
        this.members = members;
        this.membersView = Collections.unmodifiableList(members);
        this.queue = new PriorityQueue<>(Math.max(1, members.size()), MERGE_ORDER);
        this.description = description;
        this.standardInput = standardInput;
    }

    /**
     * Opens files as one capture, sorted and merged as the class comment says.
     *
     * @param paths capture files (no directories: see {@link CaptureFiles#expand}); at most
     *              one {@code -}, read from {@code standardInput}
     */
    static CaptureSet open(List<Path> paths, InputStream standardInput) throws CaptureException {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("no capture files");
        }
        List<Member> members = new ArrayList<>(paths.size());
        for (Path path : paths) {
            members.add(new Member(path));
        }
        CaptureSet set = new CaptureSet(members, paths.size() == 1 ? paths.get(0).toString()
            : paths.size() + " files", standardInput);
        boolean opened = false;
        try {
            CaptureException firstFailure = null;
            int readable = 0;
            for (Member m : members) {
                CaptureException failure = set.scan(m);
                if (failure == null) {
                    readable++;
                } else if (firstFailure == null) {
                    firstFailure = failure;
                }
            }
            if (readable == 0) {
                throw firstFailure;
            }
            members.sort(SET_ORDER);
            for (int i = 0; i < members.size(); i++) {
                Member m = members.get(i);
                m.index = i;
                if (m.hasFrames) {
                    m.headNanos = m.firstNanos;
                    set.queue.add(m);
                }
            }
            opened = true;
            return set;
        } finally {
            if (!opened) {
                set.close();
            }
        }
    }

    /**
     * Reads the first frame of a member. Keeps standard input open (it cannot be read twice)
     * and the only file of a set of one; closes the others. A file that cannot be opened becomes damage when it is one of several.
     *
     * @return the failure that made the file unreadable, or {@code null}
     */
    private CaptureException scan(Member m) throws CaptureException {
        try {
            PacketSource source = openMember(m);
            Frame first = nextOf(m, source);
            if (first != null) {
                m.hasFrames = true;
                m.firstNanos = first.timestampNanos();
            }
            if ((m.isStandardInput() || members.size() == 1) && first != null) {
                m.source = source;
                m.head = first;
            } else {
                finish(m, source);
            }
            return null;
        } catch (CaptureException e) {
            if (members.size() == 1 || e.kind() == Kind.NOT_FOUND) {
                throw e;
            }
            m.damage = "cannot be read: " + message(m, e);
            return e;
        }
    }

    private PacketSource openMember(Member m) throws CaptureException {
        if (m.isStandardInput()) {
            return CaptureFiles.openStream(new FilterInputStream(standardInput) {
                @Override
                public void close() {
                    // standard input stays open for the process
                }
            }, m.path.toString());
        }
        return CaptureFiles.open(m.path);
    }

    /** The message without the path in front (the set names the file itself). */
    private static String message(Member m, CaptureException e) {
        String text = e.getMessage();
        String prefix = m.path + ": ";
        return text.startsWith(prefix) ? text.substring(prefix.length()) : text;
    }

    /** The next frame of a member's source; a read error is that file's damage. */
    private Frame nextOf(Member m, PacketSource source) {
        try {
            return source.next();
        } catch (CaptureException e) {
            m.damage = message(m, e);
            return null;
        }
    }

    /** Records a member's damage and closes it. */
    private void finish(Member m, PacketSource source) {
        if (m.damage == null) {
            m.damage = source.damage();
        }
        m.endNanos = source.captureEndNanos();
        m.received = source.interfaceReceived();
        m.ifDrops = source.interfaceDrops();
        m.osDrops = source.osDrops();
        source.close();
        m.source = null;
        m.head = null;
    }

    /**
     * Replaces each directory by the capture files in it (regular, not hidden, whose first
     * bytes are a pcap, pcapng, gzip, zstd or lz4 magic), sorted by name; other paths stay
     * as they are. Not recursive.
     *
     * @throws CaptureException NOT_FOUND for a directory that holds no capture file
     */
    static List<Path> expand(List<Path> paths) throws CaptureException {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (CaptureFiles.isStandardInput(path) || !java.nio.file.Files.isDirectory(path)) {
                files.add(path);
                continue;
            }
            List<Path> found = new ArrayList<>();
            try (java.util.stream.Stream<Path> listing = java.nio.file.Files.list(path)) {
                for (Path entry : (Iterable<Path>) listing::iterator) {
                    if (java.nio.file.Files.isRegularFile(entry) && !entry.getFileName().toString().startsWith(".")
                            && looksLikeCapture(entry)) {
                        found.add(entry);
                    }
                }
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                throw new CaptureException(Kind.NOT_FOUND, path + ": " + CaptureFiles.reason(e), e);
            }
            if (found.isEmpty()) {
                throw new CaptureException(Kind.NOT_FOUND, path + ": no capture files in this directory");
            }
            found.sort(Comparator.comparing((Path p) -> p.getFileName().toString()));
            files.addAll(found);
        }
        return files;
    }

    private static boolean looksLikeCapture(Path file) {
        byte[] first = new byte[CaptureFiles.MAGIC_LENGTH];
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            if (in.readNBytes(first, 0, first.length) < first.length) {
                return false;
            }
        } catch (java.io.IOException e) {
            return true; // let opening it report why it cannot be read
        }
        int magic = FileWindow.int32(first, 0, true);
        return magic == PcapngReader.SECTION_HEADER_BLOCK || PcapReader.isPcapMagic(magic)
            || Compression.detect(magic) != null;
    }

    /** The files in the set's order (their index is their position). */
    public List<Member> files() {
        return membersView;
    }

    @Override
    public Frame next() throws CaptureException {
        Member m = current;
        if (m != null) {
            current = null;
            Frame frame = nextOf(m, m.source);
            if (frame == null) {
                finish(m, m.source);
            } else {
                m.head = frame;
                m.headNanos = frame.timestampNanos();
                Member rival = queue.peek();
                if (rival == null || MERGE_ORDER.compare(m, rival) < 0) {
                    return deliver(m);
                }
                queue.add(m);
            }
        }
        while ((m = queue.poll()) != null) {
            if (m.source == null) {
                // its first frame comes to the front: open it now
                if (!openForMerge(m)) {
                    continue;
                }
                if (m.head.timestampNanos() != m.headNanos) {
                    // the file changed since it was scanned: take it from its real first frame
                    m.headNanos = m.head.timestampNanos();
                    queue.add(m);
                    continue;
                }
            }
            return deliver(m);
        }
        return null;
    }

    private boolean openForMerge(Member m) {
        PacketSource source;
        try {
            source = openMember(m);
        } catch (CaptureException e) {
            m.damage = "cannot be read: " + message(m, e);
            return false;
        }
        m.source = source;
        Frame first = nextOf(m, source);
        if (first == null) {
            finish(m, source);
            return false;
        }
        m.head = first;
        return true;
    }

    private Frame deliver(Member m) {
        current = m;
        m.frames++;
        Frame frame = m.head;
        frame.placeInSet(++merged, m.index);
        return frame;
    }

    /**
     * The damage of every damaged file, each as {@code "PATH: why"}, joined by {@code "; "};
     * {@code null} when every file ended cleanly. A set of one file gives that file's damage
     * as a single source would (without the path).
     */
    /** The latest {@code isb_endtime} of the files read to their end. */
    @Override
    public java.util.OptionalLong captureEndNanos() {
        java.util.OptionalLong end = java.util.OptionalLong.empty();
        for (Member m : members) {
            if (m.endNanos.isPresent() && (end.isEmpty() || m.endNanos.getAsLong() > end.getAsLong())) {
                end = m.endNanos;
            }
        }
        return end;
    }

    @Override
    public java.util.OptionalLong interfaceReceived() {
        return sum(m -> m.received);
    }

    @Override
    public java.util.OptionalLong interfaceDrops() {
        return sum(m -> m.ifDrops);
    }

    @Override
    public java.util.OptionalLong osDrops() {
        return sum(m -> m.osDrops);
    }

    /** The files' counters summed over those that record it; empty when none does. */
    private java.util.OptionalLong sum(java.util.function.Function<Member, java.util.OptionalLong> counter) {
        boolean any = false;
        long total = 0;
        for (Member m : members) {
            java.util.OptionalLong v = counter.apply(m);
            if (v.isPresent()) {
                any = true;
                total += v.getAsLong();
            }
        }
        return any ? java.util.OptionalLong.of(total) : java.util.OptionalLong.empty();
    }

    @Override
    public String damage() {
        if (members.size() == 1) {
            return members.get(0).damage;
        }
        StringBuilder all = null;
        for (Member m : members) {
            if (m.damage != null) {
                all = all == null ? new StringBuilder() : all.append("; ");
                all.append(m.path).append(": ").append(m.damage);
            }
        }
        return all == null ? null : all.toString();
    }

    /** The file for one file, else {@code "N files"}. */
    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        current = null;
        queue.clear();
        for (Member m : members) {
            if (m.source != null) {
                m.source.close();
                m.source = null;
            }
        }
    }
}
