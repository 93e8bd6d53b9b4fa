package io.tcpscope.analyzer.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files under {@code src/test/resources/golden/}: the output must equal the checked-in
 * file. {@code -Dtcpscope.updateGolden=true} rewrites them from the current output instead (then
 * review the diff and commit it).
 */
public final class Golden {
    private Golden() {
    }

    public static boolean updating() {
        return Boolean.getBoolean("tcpscope.updateGolden");
    }

    public static void check(String actual, String name) throws IOException {
        Path file = Path.of("src", "test", "resources", "golden").resolve(name);
        if (updating()) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        assertTrue(Files.isRegularFile(file), "golden file " + file + " missing: run with -Dtcpscope.updateGolden=true");
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, "differs from golden file " + file
                + " (if the change is intended: -Dtcpscope.updateGolden=true and review the diff)");
    }
}
