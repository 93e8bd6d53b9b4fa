package io.tcpscope.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.capture.Frame;
import io.tcpscope.capture.LinkType;
import io.tcpscope.capture.PacketSource;
import io.tcpscope.capture.file.CaptureFiles;
import io.tcpscope.capture.file.CaptureSet;
import io.tcpscope.capture.file.PcapWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FrameNumbers} against {@code CaptureSet}'s k-way merge, on random sets: files that
 * overlap or not, equal timestamps across files, timestamps that step backwards, empty files.
 */
class FrameNumbersTest {
    @TempDir
    Path tmp;

    @Test
    void numbersEveryFrameAsTheMergeDoes() throws Exception {
        Random random = new Random(14);
        long overlapping = 0;
        for (int trial = 0; trial < 150; trial++) {
            int files = 1 + random.nextInt(6);
            List<Path> paths = new ArrayList<>();
            for (int f = 0; f < files; f++) {
                Path p = tmp.resolve("t" + trial + "-f" + f + ".pcap");
                paths.add(p);
                int frames = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(40);
                long t = 1_000L * random.nextInt(trial % 2 == 0 ? 30 : 3000); // even trials: heavy overlap
                try (PcapWriter w = new PcapWriter(p, LinkType.RAW, 262144)) {
                    for (int i = 0; i < frames; i++) {
                        int step = random.nextInt(10);
                        t += step == 0 ? -1_000L * random.nextInt(5) : step < 4 ? 0 : 1_000L * random.nextInt(4);
                        w.write(Math.max(0, t), 1, 1, new byte[] {0x45}, 0);
                    }
                }
            }
            // the merge
            Map<String, Long> expected = new HashMap<>();
            try (CaptureSet set = CaptureFiles.open(paths)) {
                Frame fr;
                while ((fr = set.next()) != null) {
                    expected.put(fr.fileIndex() + "/" + fr.fileFrameNumber(), fr.number());
                }
            }
            // the job's numbering, file by file
            List<FileStats> stats = new ArrayList<>();
            for (Path p : paths) {
                stats.add(FileReads.stats(p.toString(), () -> CaptureFiles.open(p)));
            }
            stats.sort(FileStats.SET_ORDER);
            FrameNumbers numbers = new FrameNumbers(stats);
            for (int i = 0; i < stats.size(); i++) {
                stats.get(i).index = i;
                if (numbers.needsKeys(i)) {
                    overlapping++;
                    Path p = Path.of(stats.get(i).path);
                    numbers.keys(i, FileReads.mergeKeys(() -> CaptureFiles.open(p), stats.get(i).frames));
                }
            }
            Map<String, Long> actual = new HashMap<>();
            for (FileStats f : stats) {
                try (PacketSource in = CaptureFiles.open(Path.of(f.path))) {
                    Frame fr;
                    long position = 0;
                    long max = Long.MIN_VALUE;
                    while ((fr = in.next()) != null) {
                        position++;
                        max = Math.max(max, fr.timestampNanos());
                        actual.put(f.index + "/" + position, numbers.number(f.index, position, max));
                    }
                }
            }
            assertEquals(expected, actual, "trial " + trial);
            assertEquals(expected.size(), numbers.total(), "trial " + trial);
        }
        assertTrue(overlapping > 100, "overlapping files: " + overlapping);
    }
}
