package io.tcpscope.analyzer.tcp;

/**
 * One entry of an endpoint's timeline: it entered {@code state} at capture time
 * {@code timestampNanos}, on the evidence of frame {@code frame}, because of {@code cause}
 * (a value; {@code report/CauseText} renders it).
 *
 * @param basis how the capture knows: {@link Basis#SEEN} (the endpoint sent it),
 *              {@link Basis#EVIDENCE} (a later segment proves it), {@link Basis#ASSUMED}
 *              (a packet on its way is taken as delivered), {@link Basis#TIMER} (a timer ran out
 *              on capture time), {@link Basis#HOST} (a host snapshot, {@code ss}, says so)
 */
public record Transition(long timestampNanos, TcpState state, long frame, Cause cause, Basis basis) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;


    /** How a transition is known. */
    public enum Basis { SEEN, EVIDENCE, ASSUMED, TIMER, HOST }
}
