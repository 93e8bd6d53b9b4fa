package io.tcpscope.analyzer.report;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Text kept for later (text's "Diagnoses:" section, written after every row): held in
 * memory up to {@code memoryChars}, then everything goes on to a temporary file, read back
 * once by {@link #replay} and deleted. Each piece is one or more whole lines.
 */
public final class Spool implements AutoCloseable {
    private final long memoryChars;
    private final List<String> pieces = new ArrayList<>();
    private long chars;
    private Path file;
    private BufferedWriter writer;
    private boolean empty = true;

    public Spool(long memoryChars) {
        this.memoryChars = memoryChars;
    }

    /** Appends one piece: whole lines, each ending in a newline. */
    public void add(String piece) {
        empty = false;
        try {
            if (writer != null) {
                writer.write(piece);
                return;
            }
            pieces.add(piece);
            chars += piece.length();
            if (chars > memoryChars) {
                file = Files.createTempFile("tcpscope-spool", ".txt");
                file.toFile().deleteOnExit();
                writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                for (String p : pieces) {
                    writer.write(p);
                }
                pieces.clear();
                chars = 0;
            }
        } catch (IOException e) {
            throw new SpillException("cannot write a temporary file for the output: " + e.getMessage(), e);
        }
    }

    public boolean isEmpty() {
        return empty;
    }

    /** Whether it went to disk. */
    public boolean spilled() {
        return file != null;
    }

    /** Hands every line kept, in order, to {@code out}. */
    public void replay(Consumer<String> out) {
        if (writer == null) {
            for (String p : pieces) {
                p.lines().forEach(out);
            }
            return;
        }
        try {
            writer.flush();
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.accept(line);
                }
            }
        } catch (IOException e) {
            throw new SpillException("cannot read back a temporary file of the output: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            if (writer != null) {
                writer.close();
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new SpillException("cannot delete a temporary file of the output: " + e.getMessage(), e);
        }
    }

    /** The temporary file could not be written or read: an output error, not a bug. */
    public static final class SpillException extends UncheckedIOException {
        private static final long serialVersionUID = 1L;

        public SpillException(String message, IOException cause) {
            super(message, cause);
        }
    }
}
