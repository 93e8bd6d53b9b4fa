package io.tcpscope.analyzer.diagnosis;

import io.tcpscope.analyzer.report.Format;
import io.tcpscope.analyzer.tcp.Connection;
import io.tcpscope.analyzer.tcp.ConnectionFlag;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.TcpEvent;
import io.tcpscope.analyzer.tcp.TcpState;
import io.tcpscope.analyzer.tcp.Transition;
import java.util.List;
import java.util.Locale;

/**
 * RESET: a RST (other than the answer to a SYN, REFUSED): who sent it, in which state, and
 * the likely reason ({@link Reason}), decided in this order from what the wire shows. An
 * event: its duration is 0 (live raises only lasting conditions; the record carries it).
 */
final class ResetRule implements Rule {

    /** Why the RST was likely sent; {@link #key()} is the diagnosis' {@code reason}. */
    enum Reason {
        /** Outside the receiver's window: ignored (RFC 5961 §3); a challenge ACK may follow. */
        OUT_OF_WINDOW("out of the receiver's window, ignored (RFC 5961)"),
        /** The sender had no connection for the segment it answered (state lost, killed, never had one). */
        NO_CONNECTION("reply to a segment for a connection the sender no longer has"),
        /** The sender had closed (sent FIN), then the peer's data arrived: Linux answers it with RST. */
        DATA_AFTER_CLOSE("data arriving after the receiver closed"),
        /** It sent keepalive probes the peer never answered: the keepalive timer gave up (ETIMEDOUT). */
        KEEPALIVE_TIMEOUT("keepalive probes unanswered: the peer is gone"),
        /** A server that never answered the peer's last data (or a side that sent none): closed with unread data. */
        UNREAD_DATA("close with unread data"),
        /** Nothing pending: the application aborted (SO_LINGER 0 then close(), or a crash). */
        ABORTIVE_CLOSE("abortive close (SO_LINGER 0)");

        final String text;

        Reason(String text) {
            this.text = text;
        }

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public boolean mayApply(Connection c) {
        return c.flags().contains(ConnectionFlag.RESET) && !c.flags().contains(ConnectionFlag.REFUSED);
    }

    /** The state {@code e} sent its RST from, or null. */
    static TcpState stateAtRst(Endpoint e) {
        for (Transition t : e.timeline()) {
            if (t.cause().event() == TcpEvent.SEND_RST) {
                return t.cause().from();
            }
        }
        return null;
    }

    static Reason reason(Connection c, Endpoint sender, TcpState from, Evidence.Facts f) {
        Endpoint receiver = c.peerOf(sender);
        if (c.flags().contains(ConnectionFlag.RST_IGNORED) && !f.rstDelivered()) {
            return Reason.OUT_OF_WINDOW;
        }
        if (from == null || from == TcpState.NONE || from == TcpState.CLOSED || from == TcpState.LISTEN
                || from == TcpState.SYN_SENT || from == TcpState.TIME_WAIT) {
            return Reason.NO_CONNECTION;
        }
        boolean closed = from == TcpState.FIN_WAIT_1 || from == TcpState.FIN_WAIT_2 || from == TcpState.CLOSING
                || from == TcpState.LAST_ACK;
        if (closed && f.peerDataAfterFin(sender.role())) {
            return Reason.DATA_AFTER_CLOSE;
        }
        // Linux answers a segment for which it has no socket with RST (no ACK flag when the
        // segment had one); a socket's own reset (tcp_send_active_reset) carries an ACK.
        if (!f.rstHadAck() && receiver.packets() > 0) {
            return Reason.NO_CONNECTION;
        }
        if (sender.keepalives() >= 2 && f.rstPeerLastNanos() < f.rstNanos() - 1_000_000_000L) {
            return Reason.KEEPALIVE_TIMEOUT;
        }
        // A client that got its reply and resets is the usual SO_LINGER 0 pattern; a server
        // that resets instead of answering the request it got (or a side that never sent any
        // data) most likely closed without reading it all (Linux: tcp_close with unread data).
        if (f.rstAfterUnansweredData() && (sender.role() == Endpoint.Role.SERVER || sender.payloadBytes() == 0)) {
            return Reason.UNREAD_DATA;
        }
        return Reason.ABORTIVE_CLOSE;
    }

    @Override
    public void apply(Connection c, Evidence.Facts f, long now, List<Diagnosis> out) {
        if (!mayApply(c) || f == null || f.rstSender() == null) {
            return;
        }
        Endpoint sender = c.endpoint(f.rstSender());
        Endpoint receiver = c.peerOf(sender);
        TcpState from = stateAtRst(sender);
        Reason why = reason(c, sender, from, f);
        String state = from == null || from == TcpState.NONE ? "no state" : from.name();
        String tail = "";
        if (why == Reason.OUT_OF_WINDOW) {
            tail = receiver.lastSendNanos() > f.rstNanos() ? "; the receiver answered (challenge ACK seen)" : "";
        } else if (f.rsts() > 1) {
            tail = "; " + f.rsts() + " RSTs in all";
        }
        String message = sender.role().key() + " " + Format.endpoint(sender) + " sent RST in " + state + " (frame "
                + f.rstFrame() + ") to " + receiver.role().key() + " " + Format.endpoint(receiver) + ": likely "
                + why.text + tail;
        out.add(new Diagnosis(DiagnosisCode.RESET, sender.role(), f.rstNanos(), 0, message, why.key()));
    }
}
