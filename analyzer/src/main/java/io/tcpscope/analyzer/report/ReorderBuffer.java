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
 * <p>Unordered ({@code ordered == false}, live): every piece goes out as it comes.
 */
public final class ReorderBuffer implements AutoCloseable {
    /** Runs on disk before they are merged into one. */
    static final int MAX_RUNS = 32;
    /** Default bound on waiting text held in memory: 32 M characters. */
    public static final long DEFAULT_MEMORY_CHARS = 32L << 20;
    /** What a waiting entry costs beyond its text (map entry, boxed id), counted as characters. */
    private static final int ENTRY_OVERHEAD_CHARS = 96;

    private final Consumer<String> out;
    private final boolean ordered;
    private final long memoryChars;
    private final Map<Long, String> waiting = new HashMap<>();
    private final PriorityQueue<Run> runs = new PriorityQueue<>((a, b) -> Long.compare(a.headId, b.headId));
    private long waitingChars;
    private long next;
    private long spills;

    private final Path spillDirectory;

    /** Spills, when it must, into the system's temporary directory. */
    public ReorderBuffer(Consumer<String> out, boolean ordered, long memoryChars) {
        this(out, ordered, memoryChars, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** Spills, when it must, into {@code spillDirectory} (tests: a directory of their own). */
    ReorderBuffer(Consumer<String> out, boolean ordered, long memoryChars, Path spillDirectory) {
        this.out = out;
        this.ordered = ordered;
        this.memoryChars = memoryChars;
        this.spillDirectory = spillDirectory;
    }

    /** Hands over the text of record {@code id} ({@code null}: nothing to write). */
    public void put(long id, String text) {
        if (!ordered) {
            if (text != null) {
                out.accept(text);
            }
            return;
        }
        if (id != next) {
            waiting.put(id, text == null ? "" : text);
            waitingChars += (text == null ? 0 : text.length()) + ENTRY_OVERHEAD_CHARS;
            if (waitingChars > memoryChars) {
                spill();
            }
            return;
        }
        write(text);
        next++;
        release();
    }

    private void write(String text) {
        if (text != null && !text.isEmpty()) {
            out.accept(text);
        }
    }

    /** Writes what is due: the next ids, from memory or from the runs. */
    private void release() {
        while (true) {
            String text = waiting.isEmpty() ? null : waiting.remove(next);
            if (text != null) {
                waitingChars -= text.length() + ENTRY_OVERHEAD_CHARS;
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
            return;
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
    private static long writeEntry(DataOutputStream w, long id, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
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
        while (!left.isEmpty() || !runs.isEmpty()) {
            long smallest = Long.MAX_VALUE;
            for (long id : waiting.keySet()) {
                smallest = Math.min(smallest, id);
            }
            if (!runs.isEmpty()) {
                smallest = Math.min(smallest, runs.peek().headId);
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

    /** Characters of text waiting in memory now. */
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
        String headText;

        Run(Path file, long bytes) throws IOException {
            this.file = file;
            this.bytes = bytes;
            this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
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
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                headText = new String(bytes, StandardCharsets.UTF_8);
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
