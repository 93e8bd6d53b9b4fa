package io.tcpscope.capture.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CapabilitiesTest {
    private static final String GRANT = "run as root or grant CAP_NET_RAW and CAP_NET_ADMIN"
        + " (setcap cap_net_raw,cap_net_admin=eip $(readlink -f $(which java)))";

    private static String status(String capEff) {
        return "Name:\tjava\nUid:\t1000\t1001\t1001\t1001\nGid:\t100\t100\t100\t100\nCapInh:\t0000000000000000\n"
            + "CapPrm:\t" + capEff + "\nCapEff:\t" + capEff + "\nCapBnd:\t000001ffffffffff\n";
    }

    @Test
    void namesWhatIsMissing() {
        assertEquals("this process (uid 1001) lacks CAP_NET_RAW and CAP_NET_ADMIN: " + GRANT,
            Capabilities.permissionHint(status("0000000000000000")));
        assertEquals("this process (uid 1001) lacks CAP_NET_RAW (it has CAP_NET_ADMIN): " + GRANT,
            Capabilities.permissionHint(status("0000000000001000")));
        assertEquals("this process (uid 1001) lacks CAP_NET_ADMIN (it has CAP_NET_RAW): " + GRANT,
            Capabilities.permissionHint(status("0000000000002000")));
    }

    @Test
    void withBothTheRefusalIsBlamedOnPolicy() {
        assertEquals("this process (uid 1001) has CAP_NET_RAW and CAP_NET_ADMIN, yet the kernel refused: a security"
            + " module (AppArmor, SELinux) or the container's policy may forbid packet sockets",
            Capabilities.permissionHint(status("000001ffffffffff")));
    }

    @Test
    void withoutProcTheGeneralHint() {
        assertEquals(GRANT, Capabilities.permissionHint(""));
        assertEquals(GRANT, Capabilities.permissionHint("CapEff:\tzz\n"));
    }
}
