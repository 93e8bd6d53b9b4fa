package io.tcpscope.capture.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The capture capabilities this process holds (Linux), to say exactly what is missing when
 * libpcap is refused: the effective set from the {@code CapEff:} line of
 * {@code /proc/self/status}.
 */
public final class Capabilities {
    /** Bit numbers from linux/capability.h. */
    static final int CAP_NET_ADMIN = 12;
    static final int CAP_NET_RAW = 13;

    /** The one setcap line that lets a non-root user capture with this JVM. */
    public static final String SETCAP_LINE = "setcap cap_net_raw,cap_net_admin=eip $(readlink -f $(which java))";

    private Capabilities() {
    }

    /**
     * Why a capture was refused and what to do, as one clause for the PERMISSION message, e.g.
     * {@code "this process (uid 1000) lacks CAP_NET_RAW and CAP_NET_ADMIN: run as root or grant
     * them (setcap ...)"}.
     */
    public static String permissionHint() {
        try {
            return permissionHint(Files.readString(Path.of("/proc/self/status")));
        } catch (IOException | RuntimeException e) {
            return permissionHint("");
        }
    }

    /** {@link #permissionHint()} for the given text of {@code /proc/self/status} (empty when unknown). */
    static String permissionHint(String status) {
        long effective = -1;
        String uid = null;
        for (String line : status.split("\n")) {
            if (line.startsWith("CapEff:")) {
                try {
                    effective = Long.parseUnsignedLong(line.substring("CapEff:".length()).strip(), 16);
                } catch (NumberFormatException e) {
                    effective = -1;
                }
            } else if (line.startsWith("Uid:")) {
                String[] ids = line.substring("Uid:".length()).strip().split("\\s+");
                uid = ids.length > 1 ? ids[1] : null; // the effective uid
            }
        }
        String grant = "run as root or grant CAP_NET_RAW and CAP_NET_ADMIN (" + SETCAP_LINE + ")";
        if (effective < 0) {
            return grant;
        }
        boolean raw = (effective & (1L << CAP_NET_RAW)) != 0;
        boolean admin = (effective & (1L << CAP_NET_ADMIN)) != 0;
        String who = "this process" + (uid != null ? " (uid " + uid + ")" : "");
        if (raw && admin) {
            return who + " has CAP_NET_RAW and CAP_NET_ADMIN, yet the kernel refused: a security module"
                + " (AppArmor, SELinux) or the container's policy may forbid packet sockets";
        }
        String missing = !raw && !admin ? "CAP_NET_RAW and CAP_NET_ADMIN"
            : !raw ? "CAP_NET_RAW (it has CAP_NET_ADMIN)" : "CAP_NET_ADMIN (it has CAP_NET_RAW)";
        return who + " lacks " + missing + ": " + grant;
    }
}
