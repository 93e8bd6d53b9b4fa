package io.tcpscope.analyzer.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.tcp.Cause.Detail;
import io.tcpscope.analyzer.tcp.TcpTransitions.Kind;
import io.tcpscope.analyzer.tcp.Transition.Basis;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The endpoint machine: the only writer of a state, its timeline and retraction. */
class EndpointMachineTest {
    final EndpointMachine m = new EndpointMachine();

    @Test
    void startsWithNoStateAndAnEmptyTimeline() {
        assertEquals(TcpState.NONE, m.state());
        assertTrue(m.timeline().isEmpty());
        assertEquals(-1, m.stateSinceNanos());
        assertEquals(-1, m.tentativeFrame());
    }

    @Test
    void aChangeRecordsItsCauseAsAValue() {
        assertEquals(Kind.CHANGE, m.apply(TcpEvent.SEND_SYN, Detail.NONE, 0, 0, 1, 100, Basis.SEEN));
        assertEquals(Kind.CHANGE, m.apply(TcpEvent.RECV_SYN_ACK, Detail.ACKED_IN, 3, 0, 3, 250, Basis.EVIDENCE));
        assertEquals(TcpState.ESTABLISHED, m.state());
        assertEquals(250, m.stateSinceNanos());
        List<Transition> t = m.timeline();
        assertEquals(List.of(
                new Transition(100, TcpState.SYN_SENT, 1, new Cause(TcpEvent.SEND_SYN, TcpState.NONE, Detail.NONE, 0, 0),
                        Basis.SEEN),
                new Transition(250, TcpState.ESTABLISHED, 3,
                        new Cause(TcpEvent.RECV_SYN_ACK, TcpState.SYN_SENT, Detail.ACKED_IN, 3, 0), Basis.EVIDENCE)), t);
    }

    @Test
    void ignoredAndImpossibleCellsLeaveEverythingAsItWas() {
        m.apply(TcpEvent.MIDSTREAM, Detail.NONE, 0, 0, 1, 100, Basis.ASSUMED);
        assertEquals(Kind.IGNORED, m.apply(TcpEvent.SEND_SYN, Detail.NONE, 0, 0, 2, 200, Basis.SEEN));
        assertEquals(Kind.IMPOSSIBLE, m.apply(TcpEvent.TIMER_2MSL, Detail.LINUX_TIME_WAIT, 0, 0, 3, 300, Basis.TIMER));
        assertEquals(TcpState.ESTABLISHED, m.state());
        assertEquals(1, m.timeline().size());
        assertEquals(1, m.tentativeFrame(), "an ignored cell keeps the tentative entry");
    }

    @Test
    void anImpossibleCellFlagsTheConnection() {
        Connection c = new Connection(0, false, 4, 0, 1, 1000, 0, 2, 80, 1, 100);
        assertFalse(EndpointMachine.apply(c, c.client(), TcpEvent.RECV_SYN_ACK, Detail.NONE, 0, 0, 1, 100,
                Basis.EVIDENCE));
        assertTrue(c.flags().contains(ConnectionFlag.INCONSISTENT));
        Connection d = new Connection(0, false, 4, 0, 1, 1000, 0, 2, 80, 1, 100);
        assertFalse(EndpointMachine.apply(d, d.client(), TcpEvent.RECV_FIN, Detail.NONE, 0, 0, 1, 100, Basis.ASSUMED));
        assertFalse(d.flags().contains(ConnectionFlag.INCONSISTENT), "ignored is not inconsistent");
    }

    @Test
    void onlyTheLastAssumedTransitionCanBeRetracted() {
        m.apply(TcpEvent.SEND_SYN, Detail.NONE, 0, 0, 1, 100, Basis.SEEN);
        assertFalse(m.retractTentative(), "seen is not tentative");
        m.apply(TcpEvent.RECV_RST, Detail.FRAME, 2, 0, 2, 200, Basis.ASSUMED);
        assertEquals(2, m.tentativeFrame());
        assertTrue(m.retractTentative());
        assertEquals(TcpState.SYN_SENT, m.state(), "back in the state it held");
        assertEquals(1, m.timeline().size(), "the entry never happened");
        assertFalse(m.retractTentative(), "once");
    }

    @Test
    void aLaterTransitionSettlesTheAssumption() {
        m.apply(TcpEvent.MIDSTREAM, Detail.NONE, 0, 0, 1, 100, Basis.ASSUMED);
        m.settle();
        assertFalse(m.retractTentative(), "a settled pickup stays");
        m.apply(TcpEvent.SEND_FIN, Detail.NONE, 0, 0, 2, 200, Basis.SEEN);
        m.apply(TcpEvent.RECV_ACK_OF_FIN, Detail.FRAME, 3, 0, 3, 300, Basis.ASSUMED);
        m.apply(TcpEvent.RECV_FIN, Detail.ACKED_IN, 5, 0, 4, 400, Basis.EVIDENCE);
        assertFalse(m.retractTentative(), "FIN_WAIT_2 is no longer the last entry");
        assertEquals(TcpState.TIME_WAIT, m.state());
    }

    @Test
    void retractingEverythingReturnsToNoState() {
        m.apply(TcpEvent.LISTENING, Detail.ANSWERED_SYN, 0, 0, 1, 100, Basis.EVIDENCE);
        m.apply(TcpEvent.SEND_SYN_ACK, Detail.NONE, 0, 0, 2, 200, Basis.SEEN);
        m.retractAll();
        assertEquals(TcpState.NONE, m.state());
        assertTrue(m.timeline().isEmpty());
        assertEquals(Kind.CHANGE, m.apply(TcpEvent.SYN_COOKIE, Detail.NONE, 0, 0, 2, 200, Basis.EVIDENCE));
        assertEquals(List.of(TcpState.CLOSED), m.timeline().stream().map(Transition::state).toList());
    }

    @Test
    void theTimelineGrowsPastItsFirstEntries() {
        TcpEvent[] close = {TcpEvent.SEND_SYN, TcpEvent.RECV_SYN_ACK, TcpEvent.SEND_FIN, TcpEvent.RECV_ACK_OF_FIN,
            TcpEvent.RECV_FIN, TcpEvent.TIMER_2MSL};
        for (int i = 0; i < close.length; i++) {
            assertEquals(Kind.CHANGE, m.apply(close[i], Detail.FRAME, 10 + i, 20 + i, i + 1, 100L * (i + 1),
                    Basis.SEEN), close[i].name());
        }
        List<Transition> t = m.timeline();
        assertEquals(close.length, t.size());
        for (int i = 0; i < close.length; i++) {
            assertEquals(i + 1, t.get(i).frame());
            assertEquals(100L * (i + 1), t.get(i).timestampNanos());
            assertEquals(close[i], t.get(i).cause().event());
            assertEquals(10 + i, t.get(i).cause().a());
            assertEquals(20 + i, t.get(i).cause().b());
        }
        assertEquals(TcpState.CLOSED, m.state());
    }

    @Test
    void aSecondArgumentEqualToTheFrameSurvivesAnyFrameNumber() {
        long frame = 5_000_000_000L; // past 32 bits
        m.apply(TcpEvent.MIDSTREAM, Detail.NONE, 0, 0, frame - 10, 100, Basis.ASSUMED);
        m.apply(TcpEvent.RECV_FIN, Detail.FIN_BEFORE, frame - 1, frame, frame, 200, Basis.ASSUMED);
        Cause c = m.timeline().get(1).cause();
        assertEquals(frame - 1, c.a());
        assertEquals(frame, c.b());
        assertEquals(frame, m.tentativeFrame());
    }
}
