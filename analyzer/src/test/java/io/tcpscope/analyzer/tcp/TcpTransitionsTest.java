package io.tcpscope.analyzer.tcp;

import static io.tcpscope.analyzer.tcp.TcpEvent.NEW_INCARNATION;
import static io.tcpscope.analyzer.tcp.TcpEvent.RECV_ACK_OF_FIN;
import static io.tcpscope.analyzer.tcp.TcpEvent.RECV_ACK_OF_SYN;
import static io.tcpscope.analyzer.tcp.TcpEvent.RECV_FIN;
import static io.tcpscope.analyzer.tcp.TcpEvent.RECV_RST;
import static io.tcpscope.analyzer.tcp.TcpEvent.RECV_SYN_ACK;
import static io.tcpscope.analyzer.tcp.TcpEvent.SEND_FIN;
import static io.tcpscope.analyzer.tcp.TcpEvent.SEND_RST;
import static io.tcpscope.analyzer.tcp.TcpEvent.SEND_SYN;
import static io.tcpscope.analyzer.tcp.TcpEvent.SEND_SYN_ACK;
import static io.tcpscope.analyzer.tcp.TcpEvent.TIMER_2MSL;
import static io.tcpscope.analyzer.tcp.TcpEvent.TIMER_RETRIES;
import static io.tcpscope.analyzer.tcp.TcpState.CLOSED;
import static io.tcpscope.analyzer.tcp.TcpState.CLOSE_WAIT;
import static io.tcpscope.analyzer.tcp.TcpState.CLOSING;
import static io.tcpscope.analyzer.tcp.TcpState.ESTABLISHED;
import static io.tcpscope.analyzer.tcp.TcpState.FIN_WAIT_1;
import static io.tcpscope.analyzer.tcp.TcpState.FIN_WAIT_2;
import static io.tcpscope.analyzer.tcp.TcpState.LAST_ACK;
import static io.tcpscope.analyzer.tcp.TcpState.LISTEN;
import static io.tcpscope.analyzer.tcp.TcpState.SYN_RECEIVED;
import static io.tcpscope.analyzer.tcp.TcpState.SYN_SENT;
import static io.tcpscope.analyzer.tcp.TcpState.TIME_WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Walks every cell of the state table and checks the textbook paths of RFC 9293 §3.3.2. */
class TcpTransitionsTest {

    /** Applies the events in order from {@code start}; every event must have a cell. Returns the states entered. */
    private static List<TcpState> walk(TcpState start, TcpEvent... events) {
        List<TcpState> states = new ArrayList<>();
        states.add(start);
        TcpState s = start;
        for (TcpEvent e : events) {
            TcpTransitions.Cell cell = TcpTransitions.lookup(e, s);
            if (cell == null) {
                fail("no cell for " + e + " in " + s + " after " + states);
            }
            s = cell.next();
            states.add(s);
        }
        return states;
    }

    @Test
    void everyCellHasAReasonAndADifferentNextState() {
        int cells = 0;
        for (Map.Entry<TcpEvent, Map<TcpState, TcpTransitions.Cell>> row : TcpTransitions.cells().entrySet()) {
            for (Map.Entry<TcpState, TcpTransitions.Cell> cell : row.getValue().entrySet()) {
                cells++;
                String where = row.getKey() + " in " + cell.getKey();
                assertNotNull(cell.getValue().next(), where);
                assertNotNull(cell.getValue().reason(), where);
                assertFalse(cell.getValue().reason().isBlank(), where);
                // A cell is a change of state; "no change" is a missing cell.
                assertTrue(cell.getValue().next() != cell.getKey(), where + " loops to itself");
                // lookup() agrees with cells()
                assertEquals(cell.getValue(), TcpTransitions.lookup(row.getKey(), cell.getKey()), where);
            }
        }
        assertEquals(39, cells, "cell count changed: review this test against the table");
    }

    @Test
    void noCellLeavesClosedExceptSendSyn() {
        for (Map.Entry<TcpEvent, Map<TcpState, TcpTransitions.Cell>> row : TcpTransitions.cells().entrySet()) {
            if (row.getValue().containsKey(CLOSED)) {
                assertEquals(SEND_SYN, row.getKey(), "leaves CLOSED on " + row.getKey());
            }
        }
        assertEquals(SYN_SENT, TcpTransitions.lookup(SEND_SYN, CLOSED).next());
        for (TcpEvent e : TcpEvent.values()) {
            if (e != SEND_SYN) {
                assertNull(TcpTransitions.lookup(e, CLOSED), e.name());
            }
        }
    }

    @Test
    void timeWaitIsOnlyReachedFromFinWait2OrClosing() {
        Set<TcpState> from = EnumSet.noneOf(TcpState.class);
        for (Map<TcpState, TcpTransitions.Cell> row : TcpTransitions.cells().values()) {
            row.forEach((state, cell) -> {
                if (cell.next() == TIME_WAIT) {
                    from.add(state);
                }
            });
        }
        assertEquals(EnumSet.of(FIN_WAIT_2, CLOSING), from);
        assertEquals(TIME_WAIT, TcpTransitions.lookup(RECV_FIN, FIN_WAIT_2).next());
        assertEquals(TIME_WAIT, TcpTransitions.lookup(RECV_ACK_OF_FIN, CLOSING).next());
    }

    @Test
    void timeWaitOnlyLeavesToClosed() {
        for (Map.Entry<TcpEvent, Map<TcpState, TcpTransitions.Cell>> row : TcpTransitions.cells().entrySet()) {
            TcpTransitions.Cell c = row.getValue().get(TIME_WAIT);
            if (c != null) {
                assertEquals(CLOSED, c.next(), row.getKey().name());
            }
        }
        assertNotNull(TcpTransitions.lookup(TIMER_2MSL, TIME_WAIT));
        assertNotNull(TcpTransitions.lookup(NEW_INCARNATION, TIME_WAIT));
    }

    @Test
    void activeOpen() {
        assertEquals(List.of(CLOSED, SYN_SENT, ESTABLISHED), walk(CLOSED, SEND_SYN, RECV_SYN_ACK));
    }

    @Test
    void passiveOpen() {
        assertEquals(List.of(LISTEN, SYN_RECEIVED, ESTABLISHED), walk(LISTEN, SEND_SYN_ACK, RECV_ACK_OF_SYN));
    }

    @Test
    void simultaneousOpen() {
        assertEquals(List.of(CLOSED, SYN_SENT, SYN_RECEIVED, ESTABLISHED),
                walk(CLOSED, SEND_SYN, SEND_SYN_ACK, RECV_ACK_OF_SYN));
        assertEquals("sent SYN-ACK: received peer's SYN (simultaneous open)",
                TcpTransitions.lookup(SEND_SYN_ACK, SYN_SENT).reason());
    }

    @Test
    void activeClose() {
        assertEquals(List.of(ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT, CLOSED),
                walk(ESTABLISHED, SEND_FIN, RECV_ACK_OF_FIN, RECV_FIN, TIMER_2MSL));
        assertEquals("peer ACKed our FIN", TcpTransitions.lookup(RECV_ACK_OF_FIN, FIN_WAIT_1).reason());
    }

    @Test
    void simultaneousClose() {
        assertEquals(List.of(ESTABLISHED, FIN_WAIT_1, CLOSING, TIME_WAIT, CLOSED),
                walk(ESTABLISHED, SEND_FIN, RECV_FIN, RECV_ACK_OF_FIN, TIMER_2MSL));
        assertTrue(TcpTransitions.lookup(RECV_FIN, FIN_WAIT_1).reason().contains("simultaneous close"));
    }

    @Test
    void passiveClose() {
        assertEquals(List.of(ESTABLISHED, CLOSE_WAIT, LAST_ACK, CLOSED),
                walk(ESTABLISHED, RECV_FIN, SEND_FIN, RECV_ACK_OF_FIN));
    }

    @Test
    void closeFromSynReceived() {
        assertEquals(List.of(SYN_RECEIVED, FIN_WAIT_1), walk(SYN_RECEIVED, SEND_FIN));
        assertEquals(List.of(SYN_RECEIVED, CLOSE_WAIT), walk(SYN_RECEIVED, RECV_FIN));
    }

    @Test
    void rstFromEverySynchronizedStateCloses() {
        for (TcpState s : TcpState.values()) {
            if (!s.synchronizedState()) {
                continue;
            }
            assertEquals(CLOSED, TcpTransitions.lookup(SEND_RST, s).next(), "send RST in " + s);
            assertEquals(CLOSED, TcpTransitions.lookup(RECV_RST, s).next(), "receive RST in " + s);
        }
        assertEquals(CLOSED, TcpTransitions.lookup(RECV_RST, SYN_SENT).next());
        assertTrue(TcpTransitions.lookup(RECV_RST, SYN_SENT).reason().contains("refused"));
        assertEquals(CLOSED, TcpTransitions.lookup(RECV_RST, SYN_RECEIVED).next());
        // A listener is not reset by a segment for a connection it does not have.
        assertNull(TcpTransitions.lookup(RECV_RST, LISTEN));
    }

    @Test
    void timersOnlyFireWhereTheyExist() {
        assertEquals(Set.of(TIME_WAIT), TcpTransitions.cells().get(TIMER_2MSL).keySet());
        assertEquals(Set.of(SYN_SENT, SYN_RECEIVED), TcpTransitions.cells().get(TIMER_RETRIES).keySet());
        assertEquals(Set.of(TIME_WAIT), TcpTransitions.cells().get(NEW_INCARNATION).keySet());
    }

    @Test
    void eventsThatDoNotApplyLeaveTheStateUnchanged() {
        // A FIN cannot be sent twice; a second FIN in FIN_WAIT_1 is a retransmission.
        assertNull(TcpTransitions.lookup(SEND_FIN, FIN_WAIT_1));
        assertNull(TcpTransitions.lookup(SEND_FIN, LAST_ACK));
        assertNull(TcpTransitions.lookup(RECV_FIN, CLOSE_WAIT));
        assertNull(TcpTransitions.lookup(RECV_FIN, TIME_WAIT));
        assertNull(TcpTransitions.lookup(RECV_ACK_OF_FIN, FIN_WAIT_2));
        assertNull(TcpTransitions.lookup(SEND_SYN, ESTABLISHED));
    }
}
