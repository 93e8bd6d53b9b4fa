package io.tcpscope.analyzer.tcp;

import io.tcpscope.analyzer.tcp.Transition.Basis;
import java.util.ArrayList;
import java.util.Arrays;
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
 * <p>Memory: the timeline is one {@code long[]} of {@value #SLOTS} longs per entry (its
 * timestamp, then its frame and the packed cell: state, basis, event, from, detail), made at
 * the first entry and grown 1, 2, 3, 5, 8... entries (a client's handshake takes 2, a server's
 * 3). The detail's arguments are most often (0, 0) or (the entry's own frame, 0) and cost one
 * bit; any others (and a frame number past 2^{@value #FRAME_BITS}) go to a second array,
 * {@value #WIDE_SLOTS} longs per entry, made only when an entry needs it. {@link Transition}
 * objects are made only when {@link #timeline()} is read (by reports, at the end).
 */
class EndpointMachine {
    static final int SLOTS = 2;
    static final int WIDE_SLOTS = 3;
    /** Bits of the frame number kept in the packed long (the rest of it holds the cell). */
    static final int FRAME_BITS = 64 - 25;
    private static final long FRAME_LIMIT = 1L << FRAME_BITS;
    /** Meta bit: frame and arguments are in {@link #wide}. */
    private static final long WIDE = 1L << 23;
    /** Meta bit: the first argument is the entry's frame (else 0); the second is 0. */
    private static final long A_IS_FRAME = 1L << 24;
    private static final long META_MASK = (1L << 25) - 1;
    private static final int INITIAL_ENTRIES = 1;
    /** Entries a timeline holds at most; past it the last is replaced by each new one. */
    static final int MAX_ENTRIES = Short.MAX_VALUE;
    private static final TcpState[] STATES = TcpState.values();
    private static final TcpEvent[] EVENTS = TcpEvent.values();
    private static final Basis[] BASES = Basis.values();
    private static final Cause.Detail[] DETAILS = Cause.Detail.values();

    static {
        if (STATES.length > 16 || EVENTS.length > 64 || DETAILS.length > 64 || BASES.length > 8) {
            throw new IllegalStateException("timeline entry packing: widen the fields");
        }
    }

    /** Its state's ordinal. */
    private byte state = (byte) TcpState.NONE.ordinal();
    /** Entries: [ts, frame << 25 | meta] each; {@code null} until the first. */
    private long[] entries;
    /** [frame, a, b] of the entries with {@link #WIDE} set; {@code null} until one needs it. */
    private long[] wide;
    private short size;
    /** Index of the entry taken on assumed delivery, or -1. */
    private short tentative = -1;

    TcpState state() {
        return STATES[state];
    }

    /**
     * Applies {@code event} in the current state as the table says.
     *
     * @return the kind of the cell: {@link TcpTransitions.Kind#IMPOSSIBLE} asks the caller to
     *         flag the connection
     */
    TcpTransitions.Kind apply(TcpEvent event, Cause.Detail detail, long a, long b, long frame, long nanos,
                              Basis basis) {
        TcpState from = STATES[state];
        TcpTransitions.Cell cell = TcpTransitions.lookup(event, from);
        if (cell.kind() != TcpTransitions.Kind.CHANGE) {
            return cell.kind();
        }
        append(nanos, frame, cell.next(), basis, event, from, detail, a, b);
        state = (byte) cell.next().ordinal();
        tentative = basis == Basis.ASSUMED ? (short) (size - 1) : -1;
        return TcpTransitions.Kind.CHANGE;
    }

    private void append(long nanos, long frame, TcpState next, Basis basis, TcpEvent event, TcpState from,
                        Cause.Detail detail, long a, long b) {
        if (size == MAX_ENTRIES) {
            // Limit: a timeline keeps its first MAX_ENTRIES - 1 entries and the latest (hostile
            // input cannot grow it without bound; a real incarnation has a handful).
            size--;
        }
        int capacity = entries == null ? 0 : entries.length / SLOTS;
        if (entries == null) {
            entries = new long[INITIAL_ENTRIES * SLOTS];
        } else if (size + 1 > capacity) {
            int grown = capacity < 3 ? capacity + 1 : capacity + capacity / 2 + 1;
            entries = Arrays.copyOf(entries, grown * SLOTS);
            if (wide != null) {
                wide = Arrays.copyOf(wide, grown * WIDE_SLOTS);
            }
        }
        long meta = next.ordinal() | (long) basis.ordinal() << 4 | (long) event.ordinal() << 7
                | (long) from.ordinal() << 13 | (long) detail.ordinal() << 17;
        long packedFrame;
        if (frame >= 0 && frame < FRAME_LIMIT && b == 0 && (a == 0 || (a == frame && frame != 0))) {
            packedFrame = frame;
            if (a != 0) {
                meta |= A_IS_FRAME;
            }
        } else {
            packedFrame = 0;
            meta |= WIDE;
            if (wide == null) {
                wide = new long[entries.length / SLOTS * WIDE_SLOTS];
            }
            int w = size * WIDE_SLOTS;
            wide[w] = frame;
            wide[w + 1] = a;
            wide[w + 2] = b;
        }
        int i = size * SLOTS;
        entries[i] = nanos;
        entries[i + 1] = packedFrame << 25 | meta;
        size++;
    }

    private long meta(int index) {
        return entries[index * SLOTS + 1] & META_MASK;
    }

    private long frameAt(int index) {
        long packed = entries[index * SLOTS + 1];
        return (packed & WIDE) != 0 ? wide[index * WIDE_SLOTS] : packed >>> 25;
    }

    private static TcpEvent eventOf(long meta) {
        return EVENTS[(int) (meta >>> 7 & 0x3F)];
    }

    private static Basis basisOf(long meta) {
        return BASES[(int) (meta >>> 4 & 0x7)];
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
        state = (byte) (size == 0 ? TcpState.NONE : stateAt(size - 1)).ordinal();
        tentative = -1;
        return true;
    }

    /** Whether its last transition is a RST it was seen to send (SEND_RST, basis seen). */
    boolean lastIsOwnReset() {
        if (size == 0) {
            return false;
        }
        long meta = meta(size - 1);
        return eventOf(meta) == TcpEvent.SEND_RST && basisOf(meta) == Basis.SEEN;
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
        state = (byte) (size == 0 ? TcpState.NONE : stateAt(size - 1)).ordinal();
        tentative = -1;
        return true;
    }

    /**
     * Whether the timeline is exactly the mid-stream pickup's assumed ESTABLISHED (nothing
     * the capture showed moved it since): the start a host snapshot may correct.
     */
    boolean onlyPickup() {
        return size == 1 && eventOf(meta(0)) == TcpEvent.MIDSTREAM;
    }

    /** Frame and time of the first entry (call only when {@link #size()} > 0). */
    long firstFrame() {
        return frameAt(0);
    }

    long firstNanos() {
        return entries[0];
    }

    /** Takes back the whole timeline (it was never real: a SYN cookie kept no state); the endpoint is in NONE. */
    void retractAll() {
        size = 0;
        state = (byte) TcpState.NONE.ordinal();
        tentative = -1;
    }

    int size() {
        return size;
    }

    private TcpState stateAt(int index) {
        return STATES[(int) (meta(index) & 0xF)];
    }

    /** Whether its last transition was taken on assumed delivery (false before any); reads no {@link Transition}. */
    boolean lastAssumed() {
        return size > 0 && basisOf(meta(size - 1)) == Basis.ASSUMED;
    }

    /** When it entered its current state, or -1 before any transition. */
    long stateSinceNanos() {
        return size == 0 ? -1 : entries[(size - 1) * SLOTS];
    }

    /** Frame of the transition taken on assumed delivery, or -1. */
    long tentativeFrame() {
        return tentative < 0 ? -1 : frameAt(tentative);
    }

    /** The timeline as values, made on each call (for reports; not on the per-packet path). */
    List<Transition> timeline() {
        if (size == 0) {
            return Collections.emptyList();
        }
        List<Transition> out = new ArrayList<>(size);
        for (int k = 0; k < size; k++) {
            long meta = meta(k);
            long frame = frameAt(k);
            long a;
            long b;
            if ((meta & WIDE) != 0) {
                a = wide[k * WIDE_SLOTS + 1];
                b = wide[k * WIDE_SLOTS + 2];
            } else {
                a = (meta & A_IS_FRAME) != 0 ? frame : 0;
                b = 0;
            }
            Cause cause = new Cause(eventOf(meta), STATES[(int) (meta >>> 13 & 0xF)],
                    DETAILS[(int) (meta >>> 17 & 0x3F)], a, b);
            out.add(new Transition(entries[k * SLOTS], STATES[(int) (meta & 0xF)], frame, cause, basisOf(meta)));
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
        TcpTransitions.Kind kind = e.apply(event, detail, a, b, frame, nanos, basis);
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
