package io.tcpscope.analyzer.host;

import io.tcpscope.analyzer.tcp.TcpState;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One TCP socket of a host snapshot: one line of {@code ss} output and its continuation
 * lines. Immutable.
 *
 * <p>Fields ss prints only with some options are empty when absent: {@code processes} and
 * {@code timer} need {@code -p} and {@code -o}; {@code uid}, {@code inode}, {@code cookie}
 * {@code -e}; {@code info} and the {@code last*} times {@code -i}.
 *
 * @param line          the line of the file where the socket starts (1-based)
 * @param ssState       the state as ss printed it ({@code ESTAB}, {@code CLOSE-WAIT}, ...), or
 *                      {@code null} when the output has no State column ({@code ss -tan state X})
 * @param state         {@code ssState} in tcpscope's names ({@code UNCONN} and {@code CLOSE} are
 *                      CLOSED, {@code SYN-RECV} (also a listener's request socket) SYN_RECEIVED);
 *                      {@code null} when unknown ({@code UNKNOWN}, or no State column)
 * @param recvQ         Recv-Q: bytes received and not read by the application; for a
 *                      listener, connections waiting in the accept queue
 * @param sendQ         Send-Q: bytes sent (or queued) and not acknowledged; for a listener,
 *                      the accept backlog
 * @param local         the socket's own address and port
 * @param peer          the other end ({@code *:*} or {@code 0.0.0.0:*} for a listener)
 * @param processes     processes holding the socket ({@code ss -p}); empty for orphans,
 *                      timewait and request sockets, or without {@code -p}
 * @param timer         the timer ({@code ss -o}), or {@code null}
 * @param uid           owner's uid ({@code ss -e}, which omits uid 0), or empty
 * @param inode         socket inode ({@code ss -e}; 0 for sockets no file holds: orphans,
 *                      timewait, request sockets), or empty
 * @param cookie        ss's {@code sk:} value (the socket cookie, hex) or {@code null}
 * @param shutdown      ss -e's shutdown marker ({@code <->} open, {@code -->} receive side shut
 *                      (a FIN was received), {@code <--} send side shut, {@code ---} both), or
 *                      {@code null}
 * @param lastSendMillis    {@code lastsnd} ({@code ss -i}): ms since the socket last sent data
 *                          (ss omits a zero value: a socket that never sent data has none)
 * @param lastReceiveMillis {@code lastrcv}: ms since it last received data
 * @param lastAckMillis     {@code lastack}: ms since it last received an ACK
 * @param details       other {@code key:value} items of the main line ({@code cgroup},
 *                      {@code v6only}, {@code skmem}, ...), in order
 * @param info          the {@code ss -i} items of the continuation lines: {@code key:value}
 *                      items and {@code send 12bps}-style pairs by key, bare words
 *                      ({@code cubic}, {@code ts}, {@code sack}, {@code app_limited}) with an
 *                      empty value, in order
 */
public record HostSocket(
        int line,
        String ssState,
        TcpState state,
        long recvQ,
        long sendQ,
        HostAddress local,
        HostAddress peer,
        List<HostProcess> processes,
        HostTimer timer,
        OptionalLong uid,
        OptionalLong inode,
        String cookie,
        String shutdown,
        OptionalLong lastSendMillis,
        OptionalLong lastReceiveMillis,
        OptionalLong lastAckMillis,
        Map<String, String> details,
        Map<String, String> info) {

    public HostSocket {
        processes = List.copyOf(processes);
        details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
        info = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(info));
    }

    /** Whether this is a listening socket. */
    public boolean listening() {
        return state == TcpState.LISTEN;
    }

    /**
     * How long the socket has been silent at the snapshot, in ms: the smaller of
     * {@code lastsnd} and {@code lastrcv} (data either way; pure ACKs and keepalives do not
     * count, as the kernel keeps these times), or empty without {@code ss -i}.
     */
    public OptionalLong silentMillis() {
        if (lastSendMillis.isPresent() && lastReceiveMillis.isPresent()) {
            return OptionalLong.of(Math.min(lastSendMillis.getAsLong(), lastReceiveMillis.getAsLong()));
        }
        return lastSendMillis.isPresent() ? lastSendMillis : lastReceiveMillis;
    }

    /** The first process, as the reports print it ({@code java (pid 4242)}), or {@code null}. */
    public String process() {
        return processes.isEmpty() ? null : processes.get(0).toString();
    }

    /** One line for messages: {@code CLOSE-WAIT 10.0.0.9:8080 10.0.0.1:40000 java (pid 4242)}. */
    @Override
    public String toString() {
        return (ssState != null ? ssState : "?") + " " + local + " " + peer
            + (processes.isEmpty() ? "" : " " + process())
            + (timer != null ? " timer:" + timer.kind().ssName() + "," + timer.remainingMillis() + "ms" : "");
    }
}
