package io.tcpscope.capture.file;

import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.LinkType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several files as one capture: every fixture cut into ten files by {@code editcap -c},
 * given in shuffled order (and as a directory), reads back as the whole capture.
 */
class CaptureSetTest {
    @TempDir
    Path dir;

    static Stream<String> fixtures() throws IOException {
        try (Stream<Path> cases = Files.list(Path.of("..", "fixtures"))) {
            return cases.filter(c -> Files.isRegularFile(c.resolve("capture.pcap")))
                .map(c -> c.getFileName().toString()).sorted().toList().stream();
        }
    }

    /** Cuts {@code capture} into ten files (editcap -c) in {@code out}; returns them in editcap's order. */
    static List<Path> cutIntoTen(Path capture, int frames, Path out) throws Exception {
        Tools.require("editcap");
        Files.createDirectories(out);
        int perFile = Math.max(1, (frames + 9) / 10);
        Tools.run("editcap", "-c", Integer.toString(perFile), capture.toString(), out.resolve("part.pcap").toString());
        try (Stream<Path> parts = Files.list(out)) {
            return parts.sorted().toList();
        }
    }

    private static boolean timeOrdered(List<Tools.Delivered> frames) {
        for (int i = 1; i < frames.size(); i++) {
            if (frames.get(i).timestampNanos() < frames.get(i - 1).timestampNanos()) {
                return false;
            }
        }
        return true;
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void tenShuffledFilesReadAsTheWholeCapture(String fixture) throws Exception {
        Path whole = Tools.fixture(fixture);
        Tools.Read expected = Tools.readAll(CaptureFiles.open(whole));
        List<Path> parts = cutIntoTen(whole, expected.frames().size(), dir.resolve("parts"));
        List<Path> shuffled = new ArrayList<>(parts);
        Collections.shuffle(shuffled, new Random(fixture.hashCode()));
        CaptureSet set = CaptureFiles.open(shuffled);
        Tools.Read merged = Tools.readAll(set);
        assertNull(merged.damage());
        // files sorted by first timestamp then name: editcap's order
        assertEquals(parts, set.files().stream().map(CaptureSet.Member::path).toList());
        if (timeOrdered(expected.frames())) {
            Tools.assertSameFrames(expected.contents(), merged.contents(), fixture);
        } else {
            // a capture whose timestamps step back (tcpdump on several CPUs) is merged as mergecap merges it
            Tools.require("mergecap");
            Path remerged = dir.resolve("mergecap.pcap");
            List<String> command = new ArrayList<>(List.of("mergecap", "-F", "pcapng", "-w", remerged.toString()));
            parts.forEach(p -> command.add(p.toString()));
            Tools.run(command.toArray(String[]::new));
            Tools.assertSameFrames(Tools.readAll(CaptureFiles.open(remerged)).contents(), merged.contents(),
                fixture + " (as mergecap merges it)");
        }
        // every frame says which file it is in and where
        long[] perFile = new long[parts.size()];
        for (Tools.Delivered f : merged.frames()) {
            assertEquals(++perFile[f.fileIndex()], f.fileFrameNumber());
        }
        for (int i = 0; i < parts.size(); i++) {
            assertEquals(Tools.readAll(CaptureFiles.open(parts.get(i))).frames().size(), perFile[i]);
            assertEquals(perFile[i], set.files().get(i).frames());
        }
    }

    @Test
    void directoryReadsItsCaptureFilesAndNothingElse() throws Exception {
        Path whole = Tools.fixture("close-by-client");
        Tools.Read expected = Tools.readAll(CaptureFiles.open(whole));
        Path parts = dir.resolve("rotated");
        cutIntoTen(whole, expected.frames().size(), parts);
        Files.writeString(parts.resolve("README.txt"), "not a capture\n");
        Files.writeString(parts.resolve(".hidden.pcap"), "hidden\n");
        Tools.Read read = Tools.readAll(CaptureFiles.open(List.of(parts)));
        assertNull(read.damage());
        assertEquals(expected.contents(), read.contents());
    }

    @Test
    void emptyDirectoryIsNotFound() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        CaptureException e = assertThrows(CaptureException.class, () -> CaptureFiles.open(List.of(empty)));
        assertEquals(CaptureException.Kind.NOT_FOUND, e.kind());
        assertEquals(empty + ": no capture files in this directory", e.getMessage());
    }

    @Test
    void missingFileInASetIsNotFound() throws Exception {
        Path whole = Tools.fixture("close-by-client");
        Path missing = dir.resolve("nope.pcap");
        CaptureException e = assertThrows(CaptureException.class, () -> CaptureFiles.open(List.of(whole, missing)));
        assertEquals(CaptureException.Kind.NOT_FOUND, e.kind());
    }

    @Test
    void damageInOneFileIsReportedForItAndTheOthersAreRead() throws Exception {
        Path whole = Tools.fixture("zero-window");
        Tools.Read expected = Tools.readAll(CaptureFiles.open(whole));
        List<Path> parts = cutIntoTen(whole, expected.frames().size(), dir.resolve("parts"));
        Path third = parts.get(2);
        byte[] bytes = Files.readAllBytes(third);
        Files.write(third, Arrays.copyOf(bytes, bytes.length - 7));
        Path notCapture = dir.resolve("notes.pcap");
        Files.writeString(notCapture, "this is not a capture\n");
        List<Path> given = new ArrayList<>(parts);
        given.add(notCapture);
        Collections.reverse(given);
        CaptureSet set = CaptureFiles.open(given);
        Tools.Read read = Tools.readAll(set);
        assertNotNull(read.damage());
        assertTrue(read.damage().startsWith(third + ": truncated block: enhanced packet block (frame "), read.damage());
        assertTrue(read.damage().contains("; " + notCapture + ": cannot be read: not a pcap or pcapng file"),
            read.damage());
        // everything but the cut frame of the third file is there, in order
        Tools.Read cutThird = Tools.readAll(CaptureFiles.open(third));
        assertEquals(expected.frames().size() - 1, read.frames().size());
        List<Tools.Delivered> expectedContents = new ArrayList<>(expected.contents());
        int lost = 0;
        for (int i = 0; i <= 2; i++) {
            lost += Tools.readAll(CaptureFiles.open(parts.get(i))).frames().size();
        }
        expectedContents.remove(lost);
        List<Tools.Delivered> renumbered = new ArrayList<>();
        for (int i = 0; i < expectedContents.size(); i++) {
            Tools.Delivered d = expectedContents.get(i);
            renumbered.add(new Tools.Delivered(i + 1, 0, 0, d.timestampNanos(), d.originalLength(), d.linkType(),
                d.interfaceId(), d.data()));
        }
        assertEquals(renumbered, read.contents());
        assertEquals(cutThird.damage(), set.files().get(2).damage());
        assertEquals(notCapture, set.files().get(set.files().size() - 1).path());
    }

    @Test
    void filesWithTheirOwnLinkTypes() throws Exception {
        Path ethernet = Tools.fixture("close-by-client");
        Path loopback = CorpusTest.corpus("gopacket-le-test006.pcapng");
        CaptureSet set = CaptureFiles.open(List.of(ethernet, loopback));
        Tools.Read read = Tools.readAll(set);
        assertNull(read.damage());
        // the 2012 capture comes first: its first frame is older
        assertEquals(loopback, set.files().get(0).path());
        assertEquals(Tools.readAll(CaptureFiles.open(loopback)).frames().size() + Tools.readAll(
            CaptureFiles.open(ethernet)).frames().size(), read.frames().size());
        assertTrue(read.frames().stream().anyMatch(f -> f.linkType() == LinkType.NULL));
        assertTrue(read.frames().stream().anyMatch(f -> f.fileIndex() == 1 && f.linkType() == LinkType.ETHERNET));
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "gzip"})
    void standardInputAmongFiles(String form) throws Exception {
        Path whole = Tools.fixture("close-by-client");
        Tools.Read expected = Tools.readAll(CaptureFiles.open(whole));
        List<Path> parts = cutIntoTen(whole, expected.frames().size(), dir.resolve("parts"));
        byte[] first = Files.readAllBytes(parts.get(0));
        if (form.equals("gzip")) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(out)) {
                gzip.write(first);
            }
            first = out.toByteArray();
        }
        List<Path> given = new ArrayList<>(parts.subList(1, parts.size()));
        given.add(3, CaptureFiles.STANDARD_INPUT);
        Tools.Read read = Tools.readAll(CaptureFiles.open(given, new ByteArrayInputStream(first)));
        assertNull(read.damage());
        assertEquals(expected.contents(), read.contents());
    }

    @Test
    void oneFileIsThatFile() throws Exception {
        Path whole = Tools.fixture("close-by-client");
        Tools.Read alone = Tools.readAll(CaptureFiles.open(whole));
        CaptureSet set = CaptureFiles.open(List.of(whole));
        assertEquals(whole.toString(), set.description());
        assertEquals(alone.frames(), Tools.readAll(set).frames());
        Path missing = dir.resolve("x.pcap");
        Files.writeString(missing, "nope");
        CaptureException e = assertThrows(CaptureException.class, () -> CaptureFiles.open(List.of(missing)));
        assertEquals(CaptureException.Kind.UNKNOWN_FORMAT, e.kind());
    }
}
