package io.tcpscope.analyzer.report;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reorder buffer's spill directory ($TMPDIR) on a full file system: one SpillException
 * with the reason (the CLI makes it exit 11 with that line). Needs root to mount a 64 KiB
 * tmpfs; skipped otherwise.
 */
class SpillFaultTest {
    private static Path dir;
    private static boolean mounted;

    @BeforeAll
    static void mountFullTmpfs() throws Exception {
        dir = Files.createTempDirectory("flt-spill");
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        mounted = p.waitFor() == 0;
        if (mounted) {
            try (OutputStream fill = Files.newOutputStream(dir.resolve("fill"))) {
                byte[] block = new byte[4096];
                for (int i = 0; i < 1000; i++) {
                    fill.write(block);
                }
            } catch (IOException full) {
                // the file system is full now
            }
        }
    }

    @AfterAll
    static void unmount() throws Exception {
        if (mounted) {
            new ProcessBuilder("umount", dir.toString()).start().waitFor();
        }
        Files.deleteIfExists(dir);
    }

    @Test
    void spillOnAFullDiskIsOneOutputError() {
        assumeTrue(mounted, "cannot mount a tmpfs here (needs root)");
        List<String> out = new ArrayList<>();
        Spool.SpillException e = assertThrows(Spool.SpillException.class, () -> {
            try (ReorderBuffer b = new ReorderBuffer(out::add, true, 100, dir)) {
                for (long id = 2000; id > 0; id--) { // id 0 comes last: everything waits, and spills
                    b.put(id, "line " + id + " of some length to fill the buffer\n");
                }
            }
        });
        assertTrue(e.getMessage().startsWith("cannot write a temporary file for the output: "), e.getMessage());
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
    }
}
