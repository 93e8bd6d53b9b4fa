package io.tcpscope.capture.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DropWatchTest {
    @Test
    void saysSoOnlyWhenDropsGrow() {
        DropWatch w = new DropWatch();
        assertNull(w.update(null));
        assertNull(w.update(new CaptureStats(100, 0, 0)));
        assertNull(w.update(new CaptureStats(200, 0, 0)));
        String m = w.update(new CaptureStats(300, 38, 0));
        assertTrue(m.startsWith("the kernel dropped 38 packets since the last check (38 in all, 300 received)"), m);
        assertNull(w.update(new CaptureStats(400, 38, 0)), "no new drops: quiet");
        m = w.update(new CaptureStats(500, 40, 5));
        assertTrue(m.startsWith("the kernel dropped 7 packets (5 by the interface)"), m);
        assertEquals(45, w.totalDropped());
    }

    @Test
    void firstReadingWithDropsCounts() {
        assertTrue(new DropWatch().update(new CaptureStats(10, 3, 0)).contains("dropped 3 packets"));
    }

    @Test
    void countersWrapAt32Bits() {
        CaptureStats before = new CaptureStats(0xFFFFFFF0L, 0xFFFFFFFFL, 0);
        CaptureStats after = new CaptureStats(0x10L, 0x2L, 0);
        CaptureStats d = after.since(before);
        assertEquals(0x20, d.received());
        assertEquals(3, d.droppedByKernel());
    }
}
