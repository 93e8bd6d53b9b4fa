package io.tcpscope.capture.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.ffi.LibpcapSource;
import org.junit.jupiter.api.Test;

class LiveErrorsTest {

    @Test
    void unknownInterfaceIsNoSuchDeviceListingTheRealOnes() {
        // Without root libpcap reports PERM_DENIED before it looks at the name.
        assumeTrue(LiveTestSupport.isRoot(), "needs root");
        CaptureException e = assertThrows(CaptureException.class,
                () -> LibpcapSource.openLive(LiveOptions.defaults("tsnosuch9")));
        assertEquals(CaptureException.Kind.NO_SUCH_DEVICE, e.kind());
        assertEquals(8, e.kind().exitCode());
        assertTrue(e.getMessage().startsWith("no such interface 'tsnosuch9'; interfaces: "), e.getMessage());
        assertTrue(e.getMessage().contains("lo"), e.getMessage());
        System.out.println("live: " + e.getMessage());
    }

    @Test
    void badFilterOnLiveCaptureIsBadFilter() {
        assumeTrue(LiveTestSupport.isRoot(), "needs root");
        CaptureException e = assertThrows(CaptureException.class,
                () -> LibpcapSource.openLive(LiveOptions.defaults("lo").withBpfFilter("tcp port http-nonsense")));
        assertEquals(CaptureException.Kind.BAD_FILTER, e.kind());
        assertTrue(e.getMessage().startsWith("bad filter 'tcp port http-nonsense': "), e.getMessage());
        System.out.println("live: " + e.getMessage());
    }

    @Test
    void optionsRejectNonsense() {
        assertThrows(IllegalArgumentException.class, () -> LiveOptions.defaults("lo").withSnaplen(0));
        assertThrows(IllegalArgumentException.class, () -> LiveOptions.defaults("lo").withReadTimeoutMillis(0));
        assertThrows(IllegalArgumentException.class, () -> LiveOptions.defaults("lo").withBufferSizeBytes(-1));
    }
}
