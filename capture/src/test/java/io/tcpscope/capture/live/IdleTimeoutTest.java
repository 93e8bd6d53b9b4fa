package io.tcpscope.capture.live;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcpscope.capture.ffi.LibpcapSource;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * With no packet passing the filter, a live source must still come back with timeouts: they
 * are the live analysis's clock through silence (a stuck connection is silent) and how
 * --duration ends an idle capture. On Linux libpcap's own read timeout does not start until a
 * packet arrives, so the source polls itself; this test fails (hangs, cut by the guard) if
 * that is lost.
 */
class IdleTimeoutTest {

    @Test
    void idleCaptureReportsTimeouts() throws Exception {
        assumeTrue(LiveTestSupport.isRoot(), "needs root to capture");
        LiveOptions options = LiveOptions.defaults("lo").withBpfFilter("tcp port 1 and tcp port 2");
        try (LibpcapSource source = LibpcapSource.openLive(options)) {
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                for (int i = 0; i < 3; i++) {
                    assertNull(source.nextOrTimeout(), "no packet can pass this filter");
                    assertTrue(source.timedOut(), "a read that returns no packet must be a timeout");
                    assertTrue(source.tickNanos() > 0);
                }
            }, "no timeout came back from an idle live capture");
        }
    }
}
