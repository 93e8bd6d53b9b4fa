package io.tcpscope.capture.file;

import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.PacketSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Test helpers: command-line tools (zstd, lz4, editcap, ...) and frame lists. */
final class Tools {
    private Tools() {
    }

    /** One delivered frame with its place in the set, copied out of the reused frame. */
    record Delivered(long number, int fileIndex, long fileFrameNumber, long timestampNanos, int originalLength,
                     int linkType, int interfaceId, String data) {
        /** The frame without where it came from: what must be equal whatever the input form. */
        Delivered content() {
            return new Delivered(number, 0, 0, timestampNanos, originalLength, linkType, interfaceId, data);
        }
    }

    /** Frames and damage of one source, read to the end. */
    record Read(List<Delivered> frames, String damage) {
        List<Delivered> contents() {
            return frames.stream().map(Delivered::content).toList();
        }
    }

    static Read readAll(PacketSource source) throws CaptureException {
        try (source) {
            List<Delivered> frames = new ArrayList<>();
            Frame f;
            while ((f = source.next()) != null) {
                byte[] data = Arrays.copyOfRange(f.buffer(), f.offset(), f.offset() + f.capturedLength());
                frames.add(new Delivered(f.number(), f.fileIndex(), f.fileFrameNumber(), f.timestampNanos(),
                    f.originalLength(), f.linkType(), f.interfaceId(), digest(data)));
            }
            return new Read(frames, source.damage());
        }
    }

    /** A short, printable fingerprint of frame bytes (length and SHA-256 prefix). */
    static String digest(byte[] data) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(data);
            return data.length + ":" + java.util.HexFormat.of().formatHex(hash, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Equal frame lists, or a failure that shows the first frame that differs (not the whole lists). */
    static void assertSameFrames(List<Delivered> expected, List<Delivered> actual, String what) {
        int common = Math.min(expected.size(), actual.size());
        for (int i = 0; i < common; i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                throw new AssertionError(what + ": frame " + (i + 1) + " differs: expected " + expected.get(i)
                    + ", got " + actual.get(i));
            }
        }
        if (expected.size() != actual.size()) {
            throw new AssertionError(what + ": " + expected.size() + " frames expected, got " + actual.size());
        }
    }

    /** Whether a program is on the PATH. */
    static boolean has(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Skips the test, with a message, when a program is missing. */
    static void require(String program) {
        assumeTrue(has(program), program + " is not installed: skipped");
    }

    /** Runs a command; fails with its output when it does not exit 0. */
    static void run(String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + new String(output, StandardCharsets.UTF_8));
        }
    }

    /**
     * A pcap of {@code frames} Ethernet frames of 1400 random (incompressible) bytes, 1 ms
     * apart: large enough that every decompressor delivers data before it reaches a cut.
     */
    static Path randomCapture(Path path, int frames, long seed) throws CaptureException {
        java.util.Random random = new java.util.Random(seed);
        byte[] data = new byte[1400];
        try (io.tcpscope.capture.file.PcapWriter writer = new io.tcpscope.capture.file.PcapWriter(path,
                io.tcpscope.capture.LinkType.ETHERNET, 65535)) {
            for (int i = 0; i < frames; i++) {
                random.nextBytes(data);
                writer.write(1_700_000_000_000_000_000L + i * 1_000_000L, data.length, data.length, data, 0);
            }
        }
        return path;
    }

    /** The fixture captures of the project (../fixtures/CASE/capture.pcap). */
    static Path fixture(String name) {
        Path path = Path.of("..", "fixtures", name, "capture.pcap");
        assumeTrue(Files.isRegularFile(path), path + " is missing");
        return path;
    }
}
