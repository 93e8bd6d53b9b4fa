package io.tcpscope.analyzer.tcp;

import io.tcpscope.analyzer.tcp.Transition.Basis;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One endpoint's state and its timeline: the only code that changes a state (STYLE rules
 * 1-2). {@link #apply} looks the event up in {@link TcpTransitions} and, for a
 * {@link TcpTransitions.Kind#CHANGE change}, records the timeline entry; it never decides
 * where a state goes itself. A transition taken on assumed delivery stays
 * <em>tentative</em> until the next one and can be {@link #retractTentative() retracted}
 * when later evidence shows the segment never arrived; {@link #retractAll()} takes back a
 * whole timeline that was never real (docs/state-machine.md, "Retraction").
 *
 * <p>Memory: the timeline is one {@code long[]} of {@value #SLOTS} longs per entry
 * (timestamp, frame, the detail's first argument, and state/basis/event/from/detail packed
 * with its second argument), made at the first entry and grown 1, 2, 3, 5, 8... entries (a
 * client's handshake takes 2, a server's 3); {@link Transition} objects are made only when
 * {@link #timeline()} is read (by reports, at the end).
 */
final class EndpointMachine {
    static final int SLOTS = 4;
    /** Stored instead of a second argument equal to the entry's own frame (FIN_BEFORE's), which may not fit 31 bits. */
    private static final long B_IS_FRAME = 0xFFFFFFFFL;
    private static final int INITIAL_ENTRIES = 1;
    private static final TcpState[] STATES = TcpState.values();
    private static final TcpEvent[] EVENTS = TcpEvent.values();
    private static final Basis[] BASES = Basis.values();
    private static final Cause.Detail[] DETAILS = Cause.Detail.values();

    static {
        if (STATES.length > 16 || EVENTS.length > 64 || DETAILS.length > 64 || BASES.length > 4) {
            throw new IllegalStateException("timeline entry packing: widen the fields");
        }
    }

    private TcpState state = TcpState.NONE;
    /** Entries: [ts, frame, a, meta | b << 32] each; {@code null} until the first. */
    private long[] entries;
    private int size;
    /** Index of the entry taken on assumed delivery, or -1. */
    private int tentative = -1;

    TcpState state() {
        return state;
    }

    /**
     * Applies {@code event} in the current state as the table says.
     *
     * @return the kind of the cell: {@link TcpTransitions.Kind#IMPOSSIBLE} asks the caller to
     *         flag the connection
     */
    TcpTransitions.Kind apply(TcpEvent event, Cause.Detail detail, long a, long b, long frame, long nanos,
                              Basis basis) {
        TcpTransitions.Cell cell = TcpTransitions.lookup(event, state);
        if (cell.kind() != TcpTransitions.Kind.CHANGE) {
            return cell.kind();
        }
        append(nanos, frame, cell.next(), basis, event, state, detail, a, b);
        state = cell.next();
        tentative = basis == Basis.ASSUMED ? size - 1 : -1;
        return TcpTransitions.Kind.CHANGE;
    }

    private void append(long nanos, long frame, TcpState next, Basis basis, TcpEvent event, TcpState from,
                        Cause.Detail detail, long a, long b) {
        if (entries == null) {
            entries = new long[INITIAL_ENTRIES * SLOTS];
        } else if ((size + 1) * SLOTS > entries.length) {
            int capacity = entries.length / SLOTS;
            entries = java.util.Arrays.copyOf(entries, (capacity < 3 ? capacity + 1 : capacity + capacity / 2 + 1) * SLOTS);
        }
        long storedB;
        if (b == frame && b != 0) {
            storedB = B_IS_FRAME;
        } else if (b >= 0 && b < B_IS_FRAME) {
            storedB = b;
        } else {
            throw new IllegalArgumentException("second cause argument out of range: " + b);
        }
        int i = size * SLOTS;
        entries[i] = nanos;
        entries[i + 1] = frame;
        entries[i + 2] = a;
        entries[i + 3] = next.ordinal() | (long) basis.ordinal() << 6 | (long) event.ordinal() << 8
                | (long) from.ordinal() << 14 | (long) detail.ordinal() << 18 | storedB << 32;
        size++;
    }

    /** The assumption behind the last transition is final: nothing can take it back (a mid-stream pickup). */
    void settle() {
        tentative = -1;
    }

    /**
     * Takes back the last transition when it was made on assumed delivery and later evidence
     * shows the segment never arrived (state-machine.md §4). The endpoint is back in the
     * state it held before: the entry never happened, so this is a correction, not a
     * transition.
     *
     * @return whether something was taken back
     */
    boolean retractTentative() {
        if (tentative < 0 || tentative != size - 1) {
            return false;
        }
        size--;
        state = size == 0 ? TcpState.NONE : stateAt(size - 1);
        tentative = -1;
        return true;
    }

    /** Whether its last transition is a RST it was seen to send (SEND_RST, basis seen). */
    boolean lastIsOwnReset() {
        if (size == 0) {
            return false;
        }
        long meta = entries[(size - 1) * SLOTS + 3];
        return EVENTS[(int) (meta >>> 8 & 0x3F)] == TcpEvent.SEND_RST && BASES[(int) (meta >>> 6 & 0x3)] == Basis.SEEN;
    }

    /**
     * Takes back its last transition, a RST it was seen to send, when its own later segments
     * show that RST was not its own (docs/passive-inference.md §8: forged by another host with
     * its address). Like a retraction, a correction: the endpoint never closed.
     *
     * @return whether something was taken back
     */
    boolean retractForgedReset() {
        if (!lastIsOwnReset()) {
            return false;
        }
        size--;
        state = size == 0 ? TcpState.NONE : stateAt(size - 1);
        tentative = -1;
        return true;
    }

    /** Takes back the whole timeline (it was never real: a SYN cookie kept no state); the endpoint is in NONE. */
    void retractAll() {
        size = 0;
        state = TcpState.NONE;
        tentative = -1;
    }

    int size() {
        return size;
    }

    private TcpState stateAt(int index) {
        return STATES[(int) (entries[index * SLOTS + 3] & 0x3F)];
    }

    /** When it entered its current state, or -1 before any transition. */
    long stateSinceNanos() {
        return size == 0 ? -1 : entries[(size - 1) * SLOTS];
    }

    /** Frame of the transition taken on assumed delivery, or -1. */
    long tentativeFrame() {
        return tentative < 0 ? -1 : entries[tentative * SLOTS + 1];
    }

    /** The timeline as values, made on each call (for reports; not on the per-packet path). */
    List<Transition> timeline() {
        if (size == 0) {
            return Collections.emptyList();
        }
        List<Transition> out = new ArrayList<>(size);
        for (int k = 0; k < size; k++) {
            int i = k * SLOTS;
            long meta = entries[i + 3];
            long b = meta >>> 32;
            Cause cause = new Cause(EVENTS[(int) (meta >>> 8 & 0x3F)], STATES[(int) (meta >>> 14 & 0xF)],
                    DETAILS[(int) (meta >>> 18 & 0x3F)], entries[i + 2], b == B_IS_FRAME ? entries[i + 1] : b);
            out.add(new Transition(entries[i], STATES[(int) (meta & 0x3F)], entries[i + 1], cause,
                    BASES[(int) (meta >>> 6 & 0x3)]));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Applies {@code event} to endpoint {@code e} of connection {@code c}: the one call the
     * tracker's rules make to change a state. An {@link TcpTransitions.Kind#IMPOSSIBLE} cell
     * flags the connection {@link ConnectionFlag#INCONSISTENT}.
     *
     * @return whether the state changed
     */
    static boolean apply(Connection c, Endpoint e, TcpEvent event, Cause.Detail detail, long a, long b, long frame,
                         long nanos, Basis basis) {
        TcpTransitions.Kind kind = e.machine.apply(event, detail, a, b, frame, nanos, basis);
        switch (kind) {
            case CHANGE:
                return true;
            case IGNORED:
                return false;
            case IMPOSSIBLE:
                c.flag(ConnectionFlag.INCONSISTENT);
                e.noteContradiction(event, Cause.Detail.IMPOSSIBLE_EVENT, frame, nanos);
                return false;
        }
        throw new AssertionError(kind);
    }
}
