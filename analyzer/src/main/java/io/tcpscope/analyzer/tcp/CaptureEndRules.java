package io.tcpscope.analyzer.tcp;

import static io.tcpscope.analyzer.tcp.EndpointMachine.apply;

import io.tcpscope.analyzer.tcp.Cause.Detail;
import io.tcpscope.analyzer.tcp.Transition.Basis;

/**
 * What the capture's end (or a new incarnation) implies on capture time: SYN cookies,
 * resends that stopped, timers that ran out (state-machine.md §3, §6).
 */
final class CaptureEndRules {
    /**
     * Silence, in units of the last resend interval, after which resending is taken as given
     * up: Linux's backoff at most doubles and has no jitter, so the next resend is due 2
     * intervals later (plus milliseconds of timer slack); 10% more is clear evidence.
     */
    static final double GIVE_UP_INTERVALS = 2.2;

    private CaptureEndRules() {
    }

    /**
     * A listener that keeps a request socket retransmits its SYN-ACK when no ACK comes (Linux:
     * first after TCP_TIMEOUT_INIT, 1 s). One that answered with a SYN cookie
     * (net.ipv4.tcp_syncookies, under SYN flood) kept no state and never retransmits. So a
     * SYN-ACK sent once, unanswered, with the capture running well past that timeout, shows
     * that no connection existed on the server.
     */
    static boolean looksLikeSynCookie(Endpoint server, long captureEndNanos, OsProfile profile) {
        return server.state() == TcpState.SYN_RECEIVED && server.synAckSent() && server.synCount() == 1
                && !server.ourSynAcked() && server.packets() == 1
                && captureEndNanos - server.firstSynNanos >= profile.synAckFirstRetransmitNanos() * 3 / 2;
    }

    /** The server is CLOSED, and was never SYN_RECEIVED: its timeline is retracted, then SYN_COOKIE applies. */
    static void recognizeSynCookie(Connection c, long captureEndNanos, OsProfile profile) {
        Endpoint server = c.server();
        if (!looksLikeSynCookie(server, captureEndNanos, profile)) {
            return;
        }
        c.flag(ConnectionFlag.SYN_COOKIE);
        server.retractAll();
        apply(c, server, TcpEvent.SYN_COOKIE, Detail.NONE, 0, 0, server.firstSynFrame, server.firstSynNanos,
                Basis.EVIDENCE);
    }

    /** Only one direction carried segments, with enough of them (and an ACK) to tell. */
    static boolean oneSided(Connection c) {
        Endpoint client = c.client();
        Endpoint server = c.server();
        return (client.packets() == 0) != (server.packets() == 0) && client.packets() + server.packets() > 2
                && (client.ackSent() || server.ackSent());
    }

    static void fireTimers(Connection c, Endpoint e, long captureEndNanos, long lastFrame, OsProfile profile) {
        gaveUpResending(c, e, captureEndNanos, lastFrame);
        gaveUpResendingData(c, e, c.peerOf(e), captureEndNanos, lastFrame);
        TcpState s = e.state();
        if (s == TcpState.TIME_WAIT) {
            long deadline = e.stateSinceNanos() + profile.timeWaitNanos();
            if (captureEndNanos >= deadline) {
                apply(c, e, TcpEvent.TIMER_2MSL, Detail.LINUX_TIME_WAIT, 0, 0, lastFrame, deadline, Basis.TIMER);
            }
        } else if (s == TcpState.SYN_SENT) {
            long deadline = e.firstSynNanos + profile.synSentGiveUpNanos();
            if (captureEndNanos >= deadline) {
                apply(c, e, TcpEvent.TIMER_RETRIES, Detail.LINUX_SYN_RETRIES, 0, 0, lastFrame, deadline, Basis.TIMER);
            }
        } else if (s == TcpState.SYN_RECEIVED && e.synAckSent()) {
            long deadline = e.firstSynNanos + profile.synReceivedGiveUpNanos();
            if (captureEndNanos >= deadline) {
                apply(c, e, TcpEvent.TIMER_RETRIES, Detail.LINUX_SYNACK_RETRIES, 0, 0, lastFrame, deadline,
                        Basis.TIMER);
            }
        }
    }

    /**
     * The capture time at which {@code e} gave up resending its SYN (SYN-ACK), or
     * {@link Long#MIN_VALUE}: seen
     * resending, then silent for more than {@link #GIVE_UP_INTERVALS} of its last interval
     * while the capture goes on. It closed when the next resend (backoff at most doubles) was due.
     */
    static long gaveUpAt(Endpoint e, long captureEndNanos) {
        TcpState s = e.state();
        if ((s != TcpState.SYN_SENT && s != TcpState.SYN_RECEIVED) || e.synCount() < 2 || e.previousSynNanos() <= 0) {
            return Long.MIN_VALUE;
        }
        long interval = e.lastSynNanos() - e.previousSynNanos();
        if (interval <= 0 || captureEndNanos - e.lastSynNanos() <= (long) (interval * GIVE_UP_INTERVALS)) {
            return Long.MIN_VALUE;
        }
        return e.lastSynNanos() + 2 * interval;
    }

    /** Reactions are evidence, and so is their absence: resends that stopped mean the retries ran out. */
    static void gaveUpResending(Connection c, Endpoint e, long captureEndNanos, long lastFrame) {
        long at = gaveUpAt(e, captureEndNanos);
        if (at == Long.MIN_VALUE) {
            return;
        }
        long nextDueMs = (at - e.lastSynNanos()) / 1_000_000;
        apply(c, e, TcpEvent.RESENDS_STOPPED, Detail.RESENDS_STOPPED, e.lastSynFrame(), nextDueMs, lastFrame, at,
                Basis.TIMER);
    }

    /**
     * The capture time at which {@code e} gave up resending its data or FIN, or
     * {@link Long#MIN_VALUE}. The same rule as for SYNs (docs/passive-inference.md §3, §6):
     * the retransmission timer resends the first unacknowledged segment with a backoff that
     * doubles (RFC 6298 §5.5; Linux tcp_retransmit_timer), and when tcp_retries2 (or
     * tcp_orphan_retries for an orphan, or TCP_USER_TIMEOUT, which can only make it earlier)
     * runs out, Linux closes the socket without a segment (tcp_write_timeout → tcp_write_err →
     * tcp_done; RFC 9293 §3.8.3 R2). Evidence: its last segments are resends of one sequence
     * number (at least two, so their interval is known), it sent nothing after the last, the
     * peer sent nothing at all since the first of them (a peer that answers anything keeps
     * it alive or resets it) but was seen before (in a one-sided capture the peer's ACK that
     * ended the resends is invisible), and the capture goes on for more than {@link #GIVE_UP_INTERVALS}
     * of the last interval. It closed when the next resend was due.
     */
    static long gaveUpDataAt(Endpoint e, Endpoint peer, long captureEndNanos) {
        if (!resendsData(e.state()) || e.r().resends < 2 || e.r().previousResendNanos <= 0
                || e.lastSendNanos != e.r().lastResendNanos || peer.packets() == 0
                || peer.lastSendNanos >= e.r().firstResendNanos) {
            return Long.MIN_VALUE;
        }
        long interval = e.r().lastResendNanos - e.r().previousResendNanos;
        if (interval <= 0 || captureEndNanos - e.r().lastResendNanos <= (long) (interval * GIVE_UP_INTERVALS)) {
            return Long.MIN_VALUE;
        }
        return e.r().lastResendNanos + 2 * interval;
    }

    /** States in which its retransmission timer can be resending data or a FIN (table row RESENDS_STOPPED). */
    static boolean resendsData(TcpState s) {
        switch (s) {
            case ESTABLISHED: case CLOSE_WAIT: case FIN_WAIT_1: case CLOSING: case LAST_ACK:
                return true;
            case LISTEN: case SYN_SENT: case SYN_RECEIVED: case FIN_WAIT_2: case TIME_WAIT: case CLOSED: case NONE:
                return false;
        }
        throw new AssertionError(s);
    }

    /** Resends of data or a FIN that stopped while the peer was silent: its retries ran out. */
    static void gaveUpResendingData(Connection c, Endpoint e, Endpoint peer, long captureEndNanos, long lastFrame) {
        long at = gaveUpDataAt(e, peer, captureEndNanos);
        if (at == Long.MIN_VALUE) {
            return;
        }
        long nextDueMs = (at - e.r().lastResendNanos) / 1_000_000;
        apply(c, e, TcpEvent.RESENDS_STOPPED, Detail.RESENDS_STOPPED, e.r().lastResendFrame, nextDueMs, lastFrame, at,
                Basis.TIMER);
    }

    /**
     * A new SYN arrived on this 4-tuple at {@code nanos}: an endpoint in TIME_WAIT leaves it by
     * its timer if that ran out, else because of the new SYN.
     */
    static void endIncarnation(Connection c, Endpoint e, long nanos, long frame, OsProfile profile) {
        if (e.state() != TcpState.TIME_WAIT) {
            return;
        }
        long deadline = e.stateSinceNanos() + profile.timeWaitNanos();
        if (nanos >= deadline) {
            apply(c, e, TcpEvent.TIMER_2MSL, Detail.LINUX_TIME_WAIT, 0, 0, frame, deadline, Basis.TIMER);
        } else {
            apply(c, e, TcpEvent.NEW_INCARNATION, Detail.FRAME, frame, 0, frame, nanos, Basis.EVIDENCE);
        }
    }
}
