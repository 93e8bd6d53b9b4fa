package io.tcpscope.analyzer.tcp;

/**
 * The connection states of RFC 9293 §3.3.2, named as in the JSON contract, plus {@link #NONE}:
 * no state known yet (smoltcp's explicit start, netfilter's sNO). NONE is where every
 * endpoint's machine starts; it is never printed: a report shows an endpoint still in NONE
 * as CLOSED ({@link Endpoint#stateOrClosed()}) and its timeline has no entry for it.
 */
public enum TcpState {
    LISTEN,
    SYN_SENT,
    SYN_RECEIVED,
    ESTABLISHED,
    FIN_WAIT_1,
    FIN_WAIT_2,
    CLOSE_WAIT,
    CLOSING,
    LAST_ACK,
    TIME_WAIT,
    CLOSED,
    /** Nothing the capture showed has started this endpoint's machine yet. Never in a timeline. */
    NONE;

    /** States in which RFC 9293 says the connection is synchronized (§3.10.7.4). */
    public boolean synchronizedState() {
        switch (this) {
            case ESTABLISHED: case FIN_WAIT_1: case FIN_WAIT_2: case CLOSE_WAIT:
            case CLOSING: case LAST_ACK: case TIME_WAIT:
                return true;
            case LISTEN: case SYN_SENT: case SYN_RECEIVED: case CLOSED: case NONE:
                return false;
        }
        throw new AssertionError(this);
    }

    /** Whether this endpoint has finished with the connection (no more packets expected but TIME_WAIT's). */
    public boolean ended() {
        return this == CLOSED || this == TIME_WAIT;
    }
}
