package io.tcpscope.capture.live;

import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.ffi.LibpcapSource;

/** Run unprivileged by {@link LivePermissionTest}: prints "KIND|message" of opening lo. */
public final class PermissionProbe {
    private PermissionProbe() {
    }

    public static void main(String[] args) {
        try (LibpcapSource source = LibpcapSource.openLive(LiveOptions.defaults(args[0]))) {
            System.out.println("OPENED|" + source.description());
        } catch (CaptureException e) {
            System.out.println(e.kind() + "|" + e.getMessage());
        }
    }
}
