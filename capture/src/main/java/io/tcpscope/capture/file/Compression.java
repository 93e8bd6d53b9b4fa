package io.tcpscope.capture.file;

import io.airlift.compress.zstd.ZstdInputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * The compressions a capture may come in, recognised by their magic bytes (never by the file
 * name), as Wireshark reads them. Each decompresses as a stream: memory stays bounded (the
 * decompressor's window: 32 KiB for gzip, at most 8 MiB for zstd as the {@code zstd} CLI
 * writes by default, 4 MiB blocks for lz4), whatever the capture's size.
 *
 * <pre>
 *   first bytes      format
 *   1f 8b            gzip (RFC 1952), members concatenated or not: the JDK's GZIPInputStream
 *   28 b5 2f fd      zstd frames (RFC 8878): aircompressor's pure-Java ZstdInputStream
 *   04 22 4d 18      LZ4 frame format (lz4 CLI, not the legacy -l format): commons-compress's
 *                    FramedLZ4CompressorInputStream, concatenated frames, checksums checked
 * </pre>
 */
enum Compression {
    GZIP("gzip"),
    ZSTD("zstd"),
    LZ4("lz4");

    static final int ZSTD_MAGIC = 0x28b52ffd;
    static final int LZ4_FRAME_MAGIC = 0x04224d18;
    static final int GZIP_MAGIC_HIGH_16 = 0x1f8b;
    /** Bytes handed to the decompressor per read of the compressed file. */
    static final int INPUT_BUFFER_LENGTH = 1 << 16;

    private final String label;

    Compression(String label) {
        this.label = label;
    }

    /** The name users know it by ({@code gzip}, {@code zstd}, {@code lz4}). */
    String label() {
        return label;
    }

    /**
     * The compression whose magic starts a file, or {@code null}.
     *
     * @param magic the first four bytes as a big-endian int
     */
    static Compression detect(int magic) {
        if ((magic >>> 16) == GZIP_MAGIC_HIGH_16) {
            return GZIP;
        }
        if (magic == ZSTD_MAGIC) {
            return ZSTD;
        }
        if (magic == LZ4_FRAME_MAGIC) {
            return LZ4;
        }
        return null;
    }

    /**
     * The decompressed stream. Reads the compressed header at once: a corrupt one is an
     * {@link IOException} here; damage later is one from {@code read}.
     */
    InputStream decompress(InputStream compressed) throws IOException {
        switch (this) {
            case GZIP:
                return new GZIPInputStream(compressed, INPUT_BUFFER_LENGTH);
            case ZSTD:
                return new ZstdInputStream(new BufferedInputStream(compressed, INPUT_BUFFER_LENGTH));
            case LZ4:
                return new FramedLZ4CompressorInputStream(new BufferedInputStream(compressed, INPUT_BUFFER_LENGTH), true);
        }
        throw new AssertionError(this);
    }
}
