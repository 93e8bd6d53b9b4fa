package io.tcpscope.analyzer.tcp;

import static io.tcpscope.analyzer.tcp.TcpEvent.CAPTURE_END;
import static io.tcpscope.analyzer.tcp.TcpEvent.LISTENING;
import static io.tcpscope.analyzer.tcp.TcpEvent.MIDSTREAM;
import static io.tcpscope.analyzer.tcp.TcpEvent.NEW_ATTEMPT;
import static io.tcpscope.analyzer.tcp.TcpEvent.NEW_INCARNATION;
import static io.tcpscope.analyzer.tcp.TcpEvent.RECV_ACK_OF_FIN;
import static io.tcpscope.analyzer.tcp.TcpEvent.RECV_ACK_OF_SYN;
import static io.tcpscope.analyzer.tcp.TcpEvent.RECV_FIN;
import static io.tcpscope.analyzer.tcp.TcpEvent.RECV_RST;
import static io.tcpscope.analyzer.tcp.TcpEvent.RECV_SYN_ACK;
import static io.tcpscope.analyzer.tcp.TcpEvent.RESENDS_STOPPED;
import static io.tcpscope.analyzer.tcp.TcpEvent.SEND_FIN;
import static io.tcpscope.analyzer.tcp.TcpEvent.SEND_RST;
import static io.tcpscope.analyzer.tcp.TcpEvent.SEND_SYN;
import static io.tcpscope.analyzer.tcp.TcpEvent.SEND_SYN_ACK;
import static io.tcpscope.analyzer.tcp.TcpEvent.SYN_COOKIE;
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
import static io.tcpscope.analyzer.tcp.TcpState.NONE;
import static io.tcpscope.analyzer.tcp.TcpState.SYN_RECEIVED;
import static io.tcpscope.analyzer.tcp.TcpState.SYN_SENT;
import static io.tcpscope.analyzer.tcp.TcpState.TIME_WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import io.tcpscope.analyzer.tcp.TcpTransitions.Kind;
import org.junit.jupiter.api.Test;

/**
 * Pins every cell of the state table literally ({@link #MATRIX}, written out by hand: changing
 * one cell of {@link TcpTransitions} fails {@link #everyCellIsPinned}) and checks the textbook
 * paths of RFC 9293 §3.3.2.
 */
class TcpTransitionsTest {

    /**
     * The whole table, one row per event, one column per state (netfilter style). A cell is
     * the next state of a {@link TcpTransitions.Kind#CHANGE}, {@code .} for IGNORED (state
     * unchanged) or {@code !} for IMPOSSIBLE. Columns: LI LISTEN, SS SYN_SENT, SR SYN_RECEIVED,
     * ES ESTABLISHED, F1 FIN_WAIT_1, F2 FIN_WAIT_2, CW CLOSE_WAIT, CG CLOSING, LA LAST_ACK,
     * TW TIME_WAIT, CL CLOSED, NO NONE (no state yet).
     */
    static final String MATRIX = """
                             LI  SS  SR  ES  F1  F2  CW  CG  LA  TW  CL  NO
            SEND_SYN         .   .   .   .   .   .   .   .   .   .   SS  SS
            SEND_SYN_ACK     SR  SR  .   .   .   .   .   .   .   .   .   !
            RECV_SYN_ACK     !   ES  .   .   .   .   .   .   .   .   !   !
            RECV_ACK_OF_SYN  !   ES  ES  .   .   .   .   .   .   .   .   !
            SEND_FIN         .   .   F1  F1  .   .   LA  .   .   .   .   .
            RECV_ACK_OF_FIN  .   .   .   .   F2  .   .   TW  CL  .   .   .
            RECV_FIN         .   .   CW  CW  CG  TW  .   .   .   .   .   .
            SEND_RST         CL  CL  CL  CL  CL  CL  CL  CL  CL  CL  .   CL
            RECV_RST         .   CL  CL  CL  CL  CL  CL  CL  CL  CL  .   .
            TIMER_2MSL       !   !   !   !   !   !   !   !   !   CL  !   !
            TIMER_RETRIES    !   CL  CL  !   !   !   !   !   !   !   !   !
            NEW_INCARNATION  .   .   .   .   .   .   .   .   .   CL  .   .
            NEW_ATTEMPT      .   CL  CL  CL  CL  CL  CL  CL  CL  .   .   .
            LISTENING        !   !   !   !   !   !   !   !   !   !   !   LI
            MIDSTREAM        !   !   !   !   !   !   !   !   !   !   !   ES
            RESENDS_STOPPED  !   CL  CL  CL  CL  !   CL  CL  CL  !   !   !
            SYN_COOKIE       !   !   !   !   !   !   !   !   !   !   !   CL
            CAPTURE_END      .   .   .   .   .   .   .   .   .   .   .   CL
            """;

    private static final Map<String, TcpState> ABBREVIATIONS = Map.ofEntries(
            Map.entry("LI", LISTEN), Map.entry("SS", SYN_SENT), Map.entry("SR", SYN_RECEIVED),
            Map.entry("ES", ESTABLISHED), Map.entry("F1", FIN_WAIT_1), Map.entry("F2", FIN_WAIT_2),
            Map.entry("CW", CLOSE_WAIT), Map.entry("CG", CLOSING), Map.entry("LA", LAST_ACK),
            Map.entry("TW", TIME_WAIT), Map.entry("CL", CLOSED), Map.entry("NO", NONE));

    /** Applies the events in order from {@code start}; every event must change the state. Returns the states entered. */
    private static List<TcpState> walk(TcpState start, TcpEvent... events) {
        List<TcpState> states = new ArrayList<>();
        states.add(start);
        TcpState s = start;
        for (TcpEvent e : events) {
            TcpTransitions.Cell cell = TcpTransitions.lookup(e, s);
            if (cell.kind() != Kind.CHANGE) {
                fail(e + " in " + s + " is " + cell.kind() + " after " + states);
            }
            s = cell.next();
            states.add(s);
        }
        return states;
    }

    private static Kind kind(TcpEvent e, TcpState s) {
        return TcpTransitions.lookup(e, s).kind();
    }

    @Test
    void everyCellIsPinned() {
        String[] lines = MATRIX.strip().split("\n");
        String[] columns = lines[0].trim().split("\\s+");
        assertEquals(TcpState.values().length, columns.length, "a column per state");
        assertEquals(TcpEvent.values().length, lines.length - 1, "a row per event");
        Set<TcpState> seenColumns = EnumSet.noneOf(TcpState.class);
        Set<TcpEvent> seenRows = EnumSet.noneOf(TcpEvent.class);
        int cells = 0;
        int changes = 0;
        for (String column : columns) {
            seenColumns.add(ABBREVIATIONS.get(column));
        }
        assertEquals(EnumSet.allOf(TcpState.class), seenColumns);
        for (int r = 1; r < lines.length; r++) {
            String[] f = lines[r].trim().split("\\s+");
            TcpEvent event = TcpEvent.valueOf(f[0]);
            assertTrue(seenRows.add(event), "row twice: " + event);
            assertEquals(columns.length + 1, f.length, "cells of " + event);
            for (int k = 0; k < columns.length; k++) {
                TcpState from = ABBREVIATIONS.get(columns[k]);
                TcpTransitions.Cell cell = TcpTransitions.lookup(event, from);
                String where = event + " in " + from;
                cells++;
                switch (f[k + 1]) {
                    case ".":
                        assertEquals(Kind.IGNORED, cell.kind(), where);
                        assertEquals(from, cell.next(), where + ": ignored keeps the state");
                        break;
                    case "!":
                        assertEquals(Kind.IMPOSSIBLE, cell.kind(), where);
                        assertEquals(from, cell.next(), where + ": impossible keeps the state");
                        break;
                    default:
                        changes++;
                        assertEquals(Kind.CHANGE, cell.kind(), where);
                        assertEquals(ABBREVIATIONS.get(f[k + 1]), cell.next(), where);
                        assertNotEquals(from, cell.next(), where + " loops to itself");
                        assertNotNull(cell.label(), where);
                        assertFalse(cell.label().isBlank(), where);
                }
            }
        }
        assertEquals(18 * 12, cells);
        assertEquals(60, changes);
    }

    @Test
    void everyCellHasAReasonCitingTheRfcOrLinux() {
        Pattern citation = Pattern.compile("RFC \\d+|Linux");
        for (TcpEvent e : TcpEvent.values()) {
            for (TcpState s : TcpState.values()) {
                TcpTransitions.Cell cell = TcpTransitions.lookup(e, s);
                String where = e + " in " + s;
                assertNotNull(cell, where);
                assertNotNull(cell.reason(), where);
                assertTrue(citation.matcher(cell.reason()).find(), where + ": " + cell.reason());
                assertEquals(cell.kind() == Kind.CHANGE, cell.label() != null, where + ": a label only for a change");
            }
        }
    }

    @Test
    void noStateYetIsNeverEntered() {
        for (TcpEvent e : TcpEvent.values()) {
            for (TcpState s : TcpState.values()) {
                TcpTransitions.Cell cell = TcpTransitions.lookup(e, s);
                if (cell.kind() == Kind.CHANGE) {
                    assertNotEquals(NONE, cell.next(), e + " in " + s);
                }
            }
        }
    }

    @Test
    void startEventsApplyOnlyWithNoStateYet() {
        for (TcpEvent e : new TcpEvent[] {LISTENING, MIDSTREAM, SYN_COOKIE}) {
            for (TcpState s : TcpState.values()) {
                assertEquals(s == NONE ? Kind.CHANGE : Kind.IMPOSSIBLE, kind(e, s), e + " in " + s);
            }
        }
        assertEquals(LISTEN, TcpTransitions.lookup(LISTENING, NONE).next());
        assertEquals(ESTABLISHED, TcpTransitions.lookup(MIDSTREAM, NONE).next());
        assertEquals(CLOSED, TcpTransitions.lookup(CAPTURE_END, NONE).next());
        assertEquals(Kind.IGNORED, kind(CAPTURE_END, ESTABLISHED));
    }

    @Test
    void noCellLeavesClosedExceptSendSyn() {
        assertEquals(SYN_SENT, TcpTransitions.lookup(SEND_SYN, CLOSED).next());
        for (TcpEvent e : TcpEvent.values()) {
            if (e != SEND_SYN) {
                assertNotEquals(Kind.CHANGE, kind(e, CLOSED), e.name());
            }
        }
    }

    @Test
    void timeWaitIsOnlyReachedFromFinWait2OrClosing() {
        Set<TcpState> from = EnumSet.noneOf(TcpState.class);
        for (TcpEvent e : TcpEvent.values()) {
            for (TcpState s : TcpState.values()) {
                if (kind(e, s) == Kind.CHANGE && TcpTransitions.lookup(e, s).next() == TIME_WAIT) {
                    from.add(s);
                }
            }
        }
        assertEquals(EnumSet.of(FIN_WAIT_2, CLOSING), from);
        assertEquals(TIME_WAIT, TcpTransitions.lookup(RECV_FIN, FIN_WAIT_2).next());
        assertEquals(TIME_WAIT, TcpTransitions.lookup(RECV_ACK_OF_FIN, CLOSING).next());
    }

    @Test
    void timeWaitOnlyLeavesToClosed() {
        for (TcpEvent e : TcpEvent.values()) {
            TcpTransitions.Cell c = TcpTransitions.lookup(e, TIME_WAIT);
            if (c.kind() == Kind.CHANGE) {
                assertEquals(CLOSED, c.next(), e.name());
            }
        }
        assertEquals(Kind.CHANGE, kind(TIMER_2MSL, TIME_WAIT));
        assertEquals(Kind.CHANGE, kind(NEW_INCARNATION, TIME_WAIT));
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
                TcpTransitions.lookup(SEND_SYN_ACK, SYN_SENT).label());
    }

    @Test
    void activeClose() {
        assertEquals(List.of(ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT, CLOSED),
                walk(ESTABLISHED, SEND_FIN, RECV_ACK_OF_FIN, RECV_FIN, TIMER_2MSL));
        assertEquals("peer ACKed our FIN", TcpTransitions.lookup(RECV_ACK_OF_FIN, FIN_WAIT_1).label());
    }

    @Test
    void simultaneousClose() {
        assertEquals(List.of(ESTABLISHED, FIN_WAIT_1, CLOSING, TIME_WAIT, CLOSED),
                walk(ESTABLISHED, SEND_FIN, RECV_FIN, RECV_ACK_OF_FIN, TIMER_2MSL));
        assertTrue(TcpTransitions.lookup(RECV_FIN, FIN_WAIT_1).label().contains("simultaneous close"));
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
        assertTrue(TcpTransitions.lookup(RECV_RST, SYN_SENT).label().contains("refused"));
        assertEquals(CLOSED, TcpTransitions.lookup(RECV_RST, SYN_RECEIVED).next());
        // A listener is not reset by a segment for a connection it does not have.
        assertEquals(Kind.IGNORED, kind(RECV_RST, LISTEN));
    }

    @Test
    void timersOnlyFireWhereTheyExist() {
        assertEquals(Set.of(TIME_WAIT), changing(TIMER_2MSL));
        assertEquals(Set.of(SYN_SENT, SYN_RECEIVED), changing(TIMER_RETRIES));
        assertEquals(Set.of(SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, CLOSE_WAIT, CLOSING, LAST_ACK),
                changing(RESENDS_STOPPED));
        assertEquals(Set.of(TIME_WAIT), changing(NEW_INCARNATION));
        assertEquals(Set.of(SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK),
                changing(NEW_ATTEMPT));
        for (TcpState s : TcpState.values()) {
            if (s != TIME_WAIT) {
                assertEquals(Kind.IMPOSSIBLE, kind(TIMER_2MSL, s), "2MSL in " + s);
            }
        }
    }

    @Test
    void eventsThatDoNotApplyLeaveTheStateUnchanged() {
        // A FIN cannot be sent twice; a second FIN in FIN_WAIT_1 is a retransmission.
        assertEquals(Kind.IGNORED, kind(SEND_FIN, FIN_WAIT_1));
        assertEquals(Kind.IGNORED, kind(SEND_FIN, LAST_ACK));
        assertEquals(Kind.IGNORED, kind(RECV_FIN, CLOSE_WAIT));
        assertEquals(Kind.IGNORED, kind(RECV_FIN, TIME_WAIT));
        assertEquals(Kind.IGNORED, kind(RECV_ACK_OF_FIN, FIN_WAIT_2));
        assertEquals(Kind.IGNORED, kind(SEND_SYN, ESTABLISHED));
        // ... and an event that presupposes what the state rules out is impossible.
        assertEquals(Kind.IMPOSSIBLE, kind(RECV_SYN_ACK, CLOSED));
        assertEquals(Kind.IMPOSSIBLE, kind(SEND_SYN_ACK, NONE));
    }

    private static Set<TcpState> changing(TcpEvent e) {
        Set<TcpState> out = EnumSet.noneOf(TcpState.class);
        for (TcpState s : TcpState.values()) {
            if (kind(e, s) == Kind.CHANGE) {
                out.add(s);
            }
        }
        return out;
    }
}
