package io.tcpscope.analyzer.report;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Puts rendered records back in id order. The pipeline emits a connection's record when it
 * is over, which is not the order of ids (the order connections were first seen); a record
 * whose id is next goes out at once, later ones wait. Every id from 0 must be {@link #put}
 * once (with {@code null} text when it renders to nothing).
 *
 * <p><b>Bound.</b> Waiting text is held in memory up to {@code memoryChars} characters; past
 * that, all of it is written, sorted by id, to a temporary file (a run), and the runs are
 * merged back in order as their ids come due ({@code sort}-style external merge). At most
 * {@link #MAX_RUNS} runs exist: beyond, the smaller half is merged into one. Files are
 * deleted when read.
 *
 * <p>A record that renders to nothing (a SYN flood's folded half-opens, the messages of
 * connections with no diagnosis) costs one bit while it waits, not an entry: a bit set from
 * the next id due, up to {@link #MAX_EMPTY_SPAN} ids ahead of it (past that, an entry as
 * any other). So ten million folded rows behind one long-lived connection wait in 1.25 MB.
 *
 * <p>Unordered ({@code ordered == false}, live): every piece goes out as it comes.
 *
 * <p>Text is kept as UTF-8 bytes. A {@link LineSink} owner ({@code JsonlReport}) hands over
 * a {@link JsonWriter}'s reused buffer: a line whose id is next is written straight from it,
 * and only a line that must wait is copied ({@code memoryChars} then counts its bytes).
 */
public final class ReorderBuffer implements AutoCloseable {
    /**
     * Runs on disk before the smaller half is merged into one. 128 open runs of 32 KiB read
     * buffers are 4 MB; with 32, the 10M-source flood's JSON Lines (12.8 GB waiting behind a
     * long-lived first connection, in 8 MB runs under -Xmx256m) were rewritten about five times.
     */
    static final int MAX_RUNS = 128;
    /** Read buffer of one run. */
    private static final int RUN_BUFFER_BYTES = 1 << 15;
    /**
     * Default bound on waiting text held in memory: 32 M characters, or 1/32 of the Java heap
     * when that is less (a text report holds three such buffers: with {@code -Xmx256m}, 8 M each).
     */
    public static final long DEFAULT_MEMORY_CHARS = Math.min(32L << 20, Runtime.getRuntime().maxMemory() / 32);
    /** What a waiting entry costs beyond its text (map entry, boxed id), counted as characters. */
    private static final int ENTRY_OVERHEAD_CHARS = 96;

    /** Receives the bytes of one line (without a line separator); they are valid only during the call. */
    @FunctionalInterface
    public interface LineSink {
        void line(byte[] bytes, int offset, int length);
    }

    private static final byte[] EMPTY = new byte[0];

    private final LineSink out;
    /** The String consumer when lines are Strings, else null. */
    private final Consumer<String> textOut;
    private final boolean ordered;
    private final long memoryChars;
    private final Map<Long, byte[]> waiting = new HashMap<>();
    private final PriorityQueue<Run> runs = new PriorityQueue<>((a, b) -> Long.compare(a.headId, b.headId));
    private long waitingChars;
    private long next;
    /** Ids that render to nothing and wait: bit {@code id - emptyBase}. */
    private java.util.BitSet empties = new java.util.BitSet();
    private long emptyBase;
    /** Farthest ahead of {@link #emptyBase} an empty id is kept as a bit: 2^27 ids (16 MB of bits). */
    static final long MAX_EMPTY_SPAN = 1L << 27;
    private long spills;

    private final Path spillDirectory;

    /** Lines as Strings (decoded from the bytes kept), spilled, when they must be, to the system's temporary directory. */
    public ReorderBuffer(Consumer<String> out, boolean ordered, long memoryChars) {
        this(out, ordered, memoryChars, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** Lines as Strings, spilled into {@code spillDirectory} (tests: a directory of their own). */
    ReorderBuffer(Consumer<String> out, boolean ordered, long memoryChars, Path spillDirectory) {
        this((b, off, len) -> out.accept(new String(b, off, len, StandardCharsets.UTF_8)), out, ordered, memoryChars,
                spillDirectory);
    }

    /** Lines as bytes. */
    public ReorderBuffer(LineSink out, boolean ordered, long memoryChars) {
        this(out, null, ordered, memoryChars, Path.of(System.getProperty("java.io.tmpdir")));
    }

    private ReorderBuffer(LineSink out, Consumer<String> textOut, boolean ordered, long memoryChars,
                          Path spillDirectory) {
        this.out = out;
        this.textOut = textOut;
        this.ordered = ordered;
        this.memoryChars = memoryChars;
        this.spillDirectory = spillDirectory;
    }

    /** Hands over the text of record {@code id} ({@code null}: nothing to write). */
    public void put(long id, String text) {
        if (textOut != null && (!ordered || id == next)) { // straight out, as it came
            if (text != null && !text.isEmpty()) {
                textOut.accept(text);
            }
            if (ordered) {
                next++;
                release();
            }
            return;
        }
        byte[] bytes = text == null ? EMPTY : text.getBytes(StandardCharsets.UTF_8);
        put(id, bytes, 0, bytes.length);
    }

    /** Hands over the line that {@code line} holds for record {@code id}; its bytes are copied only if the line must wait. */
    public void put(long id, JsonWriter line) {
        put(id, line.buffer(), 0, line.length());
    }

    /** Hands over record {@code id}'s line as bytes (length 0: nothing to write); copied only if it must wait. */
    public void put(long id, byte[] bytes, int offset, int length) {
        if (!ordered || id == next) {
            write(bytes, offset, length);
            if (ordered) {
                next++;
                release();
            }
            return;
        }
        if (length == 0 && id > next && id - emptyBase < MAX_EMPTY_SPAN) {
            empties.set((int) (id - emptyBase));
            return;
        }
        byte[] copy = length == 0 ? EMPTY : Arrays.copyOfRange(bytes, offset, offset + length);
        waiting.put(id, copy);
        waitingChars += length + ENTRY_OVERHEAD_CHARS;
        if (waitingChars > memoryChars) {
            spill();
        }
    }

    private void write(byte[] bytes, int offset, int length) {
        if (length > 0) {
            out.line(bytes, offset, length);
        }
    }

    private void write(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }

    /** Writes what is due: the next ids, from memory or from the runs. */
    private void release() {
        while (true) {
            if (next >= emptyBase && next - emptyBase < MAX_EMPTY_SPAN && empties.get((int) (next - emptyBase))) {
                empties.clear((int) (next - emptyBase));
                next++;
                continue;
            }
            byte[] text = waiting.isEmpty() ? null : waiting.remove(next);
            if (text != null) {
                waitingChars -= text.length + ENTRY_OVERHEAD_CHARS;
                write(text);
                next++;
                continue;
            }
            Run run = runs.peek();
            if (run != null && run.headId == next) {
                runs.poll();
                write(run.headText);
                next++;
                if (run.advance()) {
                    runs.add(run);
                }
                continue;
            }
            rebaseEmpties();
            return;
        }
    }

    /** Drops the bits below {@link #next} once they are a good part of the set (a copy from there on). */
    private void rebaseEmpties() {
        long passed = next - emptyBase;
        if (passed >= 1 << 16 && passed >= (empties.size() >>> 1)) {
            empties = passed >= empties.length() ? new java.util.BitSet()
                    : empties.get((int) passed, Math.max(empties.length(), (int) passed));
            emptyBase = next;
        }
    }

    private void spill() {
        long[] ids = new long[waiting.size()];
        int n = 0;
        for (long id : waiting.keySet()) {
            ids[n++] = id;
        }
        Arrays.sort(ids);
        try {
            Path file = Files.createTempFile(spillDirectory, "tcpscope-order", ".run");
            file.toFile().deleteOnExit();
            long bytes = 0;
            try (DataOutputStream w = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
                for (long id : ids) {
                    bytes += writeEntry(w, id, waiting.get(id));
                }
            }
            waiting.clear();
            waitingChars = 0;
            spills++;
            Run run = new Run(file, bytes);
            if (run.advance()) {
                runs.add(run);
            }
            if (runs.size() > MAX_RUNS) {
                mergeRuns();
            }
        } catch (IOException e) {
            throw new Spool.SpillException("cannot write a temporary file for the output: " + e.getMessage(), e);
        }
    }

    /** @return bytes written */
    private static long writeEntry(DataOutputStream w, long id, byte[] bytes) throws IOException {
        w.writeLong(id);
        w.writeInt(bytes.length);
        w.write(bytes);
        return 12L + bytes.length;
    }

    /**
     * Merges the smaller half of the runs into one (tiers, as a log-structured merge: each
     * entry is rewritten a logarithmic number of times, not once per merge).
     */
    private void mergeRuns() throws IOException {
        List<Run> all = new ArrayList<>(runs);
        all.sort((a, b) -> Long.compare(a.bytes, b.bytes));
        List<Run> small = all.subList(0, all.size() / 2);
        runs.removeAll(small);
        PriorityQueue<Run> merging = new PriorityQueue<>((a, b) -> Long.compare(a.headId, b.headId));
        merging.addAll(small);
        Path file = Files.createTempFile(spillDirectory, "tcpscope-order", ".run");
        file.toFile().deleteOnExit();
        long bytes = 0;
        try (DataOutputStream w = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            Run run;
            while ((run = merging.poll()) != null) {
                bytes += writeEntry(w, run.headId, run.headText);
                if (run.advance()) {
                    merging.add(run);
                }
            }
        }
        Run merged = new Run(file, bytes);
        if (merged.advance()) {
            runs.add(merged);
        }
    }

    /**
     * The end: writes whatever still waits, in id order (normally nothing: every id came).
     */
    public void finish() {
        if (!ordered) {
            return;
        }
        release();
        List<Long> left = new ArrayList<>(waiting.keySet());
        while (!left.isEmpty() || !runs.isEmpty() || !empties.isEmpty()) {
            long smallest = Long.MAX_VALUE;
            for (long id : waiting.keySet()) {
                smallest = Math.min(smallest, id);
            }
            if (!runs.isEmpty()) {
                smallest = Math.min(smallest, runs.peek().headId);
            }
            int bit = next >= emptyBase ? empties.nextSetBit((int) Math.min(next - emptyBase, MAX_EMPTY_SPAN)) : -1;
            if (bit >= 0) {
                smallest = Math.min(smallest, emptyBase + bit);
            }
            next = smallest;
            release();
            left = new ArrayList<>(waiting.keySet());
        }
    }

    /** How many times waiting text went to disk. */
    public long spills() {
        return spills;
    }

    /** Bytes of text waiting in memory now (characters, for ASCII text). */
    public long waitingChars() {
        return waitingChars;
    }

    @Override
    public void close() {
        for (Run r : runs) {
            r.close();
        }
        runs.clear();
    }

    /** One sorted file of (id, text) entries, read sequentially. */
    private static final class Run {
        final Path file;
        final DataInputStream in;
        /** Size when written, for the merge tiers. */
        final long bytes;
        long headId;
        byte[] headText;

        Run(Path file, long bytes) throws IOException {
            this.file = file;
            this.bytes = bytes;
            this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), RUN_BUFFER_BYTES));
        }

        /** Reads the next entry; false (and the file deleted) at its end. */
        boolean advance() {
            try {
                try {
                    headId = in.readLong();
                } catch (EOFException end) {
                    close();
                    return false;
                }
                int n = in.readInt();
                byte[] bytes = n == 0 ? EMPTY : new byte[n];
                in.readFully(bytes);
                headText = bytes;
                return true;
            } catch (IOException e) {
                throw new Spool.SpillException("cannot read back a temporary file of the output: " + e.getMessage(), e);
            }
        }

        void close() {
            try {
                in.close();
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new Spool.SpillException("cannot delete a temporary file of the output: " + e.getMessage(), e);
            }
        }
    }
}
