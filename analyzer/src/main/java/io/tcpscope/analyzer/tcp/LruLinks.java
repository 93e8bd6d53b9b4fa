package io.tcpscope.analyzer.tcp;

import java.util.function.Consumer;

/**
 * An intrusive doubly-linked list through {@link Connection}s, ordered by last activity, for
 * the flow table's eviction. A sentinel connection is the list head; nothing is allocated per
 * move.
 */
public final class LruLinks {
    private LruLinks() {
    }

    /** A new empty list's head. */
    public static Connection sentinel() {
        Connection s = new Connection(-1, false, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        s.lruPrev = s;
        s.lruNext = s;
        return s;
    }

    public static void append(Connection head, Connection c) {
        Connection last = head.lruPrev;
        c.lruPrev = last;
        c.lruNext = head;
        last.lruNext = c;
        head.lruPrev = c;
    }

    public static void unlink(Connection c) {
        if (c.lruPrev == null) {
            return;
        }
        c.lruPrev.lruNext = c.lruNext;
        c.lruNext.lruPrev = c.lruPrev;
        c.lruPrev = null;
        c.lruNext = null;
    }

    /** The least recently active connection, or {@code null}. */
    public static Connection first(Connection head) {
        return head.lruNext == head ? null : head.lruNext;
    }

    public static void forEach(Connection head, Consumer<Connection> visitor) {
        Connection c = head.lruNext;
        while (c != head) {
            Connection next = c.lruNext;
            visitor.accept(c);
            c = next;
        }
    }
}
