package io.tcpscope.analyzer.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.host.HostSnapshot;
import io.tcpscope.analyzer.host.HostSnapshotException;
import io.tcpscope.analyzer.host.HostSnapshots;
import io.tcpscope.analyzer.tcp.TcpState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** live's {@code --snapshot-every}: ss run, parsed, stamped with the capture's clock; failures are one message. */
class SsRunnerTest {

    @Test
    void printedSocketsAreParsedAndStampedWithTheCaptureClock() throws Exception {
        // a stand-in for ss that prints what ss -tanpoie prints
        SsRunner fake = new SsRunner(List.of("printf", "State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n"
                + "CLOSE-WAIT 0 0 10.0.0.9:8080 10.0.0.1:40000 users:((\"java\",pid=4242,fd=12))\n"));
        HostSnapshot s = fake.take(1_764_579_600_123_456_789L, 1);
        assertEquals(1_764_579_600_123_456_789L, s.takenAtNanos().getAsLong());
        assertEquals(HostSnapshot.TakenAt.HEADER, s.takenAt());
        assertEquals("ss#1", s.source());
        assertEquals(1, s.sockets().size());
        assertEquals(TcpState.CLOSE_WAIT, s.sockets().get(0).state());
        assertEquals("java (pid 4242)", s.sockets().get(0).process());
        HostJoin join = new HostJoin(new HostSnapshots(List.of()));
        join.add(s);
        assertEquals(1, join.snapshots().snapshots().size());
        assertEquals(1, join.unmatched().size(), "nothing captured joined it yet");
        join.add(fake.take(1_764_579_601_000_000_000L, 2));
        assertEquals(1, join.unmatched().size(), "the same socket in two snapshots is one socket");
        assertEquals("ss#2", join.unmatched().get(0).snapshot().source(), "as the latest shows it");
    }

    @Test
    void theRealSsRunsOrSaysWhyNot() {
        try {
            HostSnapshot s = new SsRunner().take(1_000_000_000L, 2);
            assertTrue(s.sockets().stream().allMatch(x -> x.local() != null), s.toString());
        } catch (HostSnapshotException e) {
            assertTrue(e.getMessage().startsWith("ss#2: "), e.getMessage()); // no ss on this machine: one line
        }
    }

    @Test
    void aFailingCommandIsOneMessage() {
        HostSnapshotException e = assertThrows(HostSnapshotException.class,
                () -> new SsRunner(List.of("false")).take(0, 3).sockets());
        assertTrue(e.getMessage().contains("ss#3: false failed (exit 1)"), e.getMessage());
        HostSnapshotException missing = assertThrows(HostSnapshotException.class,
                () -> new SsRunner(List.of("/nonexistent/ss")).take(0, 4).sockets());
        assertTrue(missing.getMessage().startsWith("ss#4: cannot run /nonexistent/ss"), missing.getMessage());
    }
}
