package io.tcpscope.capture.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Opens a live capture in a child JVM running as nobody without capabilities (setpriv), to
 * check the PERMISSION message. Needs root (to drop privileges) and setpriv; skipped otherwise.
 */
class LivePermissionTest {

    private static final String GRANT = "run as root or grant CAP_NET_RAW and CAP_NET_ADMIN"
            + " (setcap cap_net_raw,cap_net_admin=eip $(readlink -f $(which java)))";

    @Test
    void unprivilegedCaptureIsPermissionWithTheSetcapHint() throws Exception {
        assertEquals("PERMISSION|no permission to capture on lo: this process (uid 65534) lacks CAP_NET_RAW and"
                + " CAP_NET_ADMIN: " + GRANT, probeAsNobody("--inh-caps=-all", "--bounding-set=-all"));
    }

    @Test
    void theMessageNamesTheOneCapabilityMissing() throws Exception {
        assertEquals("PERMISSION|no permission to capture on lo: this process (uid 65534) lacks CAP_NET_RAW"
                + " (it has CAP_NET_ADMIN): " + GRANT, probeAsNobody("--inh-caps=-all,+net_admin",
                "--ambient-caps=+net_admin", "--bounding-set=-all,+net_admin"));
    }

    /** Runs {@link PermissionProbe} on lo as nobody with these setpriv capability options; its last line. */
    private static String probeAsNobody(String... capabilityOptions) throws Exception {
        assumeTrue(LiveTestSupport.isRoot(), "needs root to start an unprivileged child");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux)");
        Path dir = Files.createTempDirectory("tcpscope-perm");
        try {
            // The class path may sit under /root, which nobody cannot read: copy it.
            List<String> classPath = new ArrayList<>();
            int i = 0;
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path source = Path.of(entry);
                if (!Files.exists(source)) {
                    continue;
                }
                Path target = dir.resolve((i++) + "-" + source.getFileName());
                copy(source, target);
                classPath.add(target.toString());
            }
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    p.toFile().setReadable(true, false);
                    p.toFile().setExecutable(true, false);
                }
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                    "--clear-groups"));
            command.addAll(List.of(capabilityOptions));
            command.addAll(List.of(java, "-cp", String.join(File.pathSeparator, classPath),
                    PermissionProbe.class.getName(), "lo"));
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            assumeTrue(process.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            System.out.println("live (as nobody " + String.join(" ", capabilityOptions) + "): " + output);
            return output.substring(output.lastIndexOf('\n') + 1);
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void copy(Path source, Path target) throws Exception {
        if (Files.isDirectory(source)) {
            try (Stream<Path> all = Files.walk(source)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    Path to = target.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } else {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
