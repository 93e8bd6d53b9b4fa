package io.tcpscope.analyzer.tcp;

import io.tcpscope.analyzer.decode.TcpSegment;

/**
 * Three per-sender counts kept by Wireshark's rules (epan/dissectors/packet-tcp.c, {@code
 * tcp_analyze_sequence_number}), so that they can be compared with tshark's {@code
 * tcp.analysis.*} flags: tcpscope's own reasoning has no use for them.
 * <ul>
 *   <li>duplicate ACK: no payload, no SYN/FIN/RST, a non-zero window equal to the sender's
 *       previous one, seq equal to the sender's next sequence number, and the same ACK as its
 *       previous segment; not when the peer's last segment was a keep-alive (seq one below its
 *       next sequence number, at most one byte: this is the ACK of a keep-alive);</li>
 *   <li>zero window: a window of 0 on a segment without SYN, FIN or RST;</li>
 *   <li>lost segment ("previous segment not captured"): seq beyond the sender's next sequence
 *       number (a hole in what the capture saw), not a RST.</li>
 * </ul>
 * A bare SYN other than a resend of the sender's SYN starts its counts afresh.
 * Capture copies are not counted (the tracker skips them before this).
 */
final class WiresharkCounts {
    private WiresharkCounts() {
    }

    static void count(Endpoint e, Endpoint peer, TcpSegment s) {
        int control = s.flags & (TcpSegment.SYN | TcpSegment.FIN | TcpSegment.RST);
        if (s.has(TcpSegment.SYN) && !s.has(TcpSegment.ACK) && e.wsNextSeqKnown() && s.seq + 1 != e.wsNextSeq) {
            // A bare SYN starts its sender's sequence space (Wireshark: a new conversation):
            // what it sent before (a split handshake's ACK) is no hole and no previous ACK.
            e.wsNextSeqKnown(false);
            e.wsLastAckForgotten(true);
        }
        boolean known = e.wsNextSeqKnown();
        if (known && !s.has(TcpSegment.RST) && s.seq - e.wsNextSeq > 0) {
            e.rare().lostSegments++;
        }
        if (control == 0 && s.window == 0) {
            e.rare().zeroWindows++;
        }
        if (known && s.payloadLength == 0 && control == 0 && s.has(TcpSegment.ACK) && s.window != 0
                && s.window == e.wsLastWindow() && s.seq == e.wsNextSeq && e.lastAckSeen() && !e.wsLastAckForgotten() && s.ack == e.lastAck
                && !peer.wsLastKeepAlive()) {
            e.rare().duplicateAcks++;
        }
        e.wsLastKeepAlive(known && s.payloadLength <= 1 && control == 0 && s.seq == e.wsNextSeq - 1);
        int length = s.payloadLength + (s.has(TcpSegment.SYN) ? 1 : 0) + (s.has(TcpSegment.FIN) ? 1 : 0);
        if (!s.has(TcpSegment.RST)) {
            int end = s.seq + length;
            if (!known || end - e.wsNextSeq > 0) {
                e.wsNextSeq = end;
                e.wsNextSeqKnown(true);
            }
        }
        e.wsLastWindow(s.window);
        if (s.has(TcpSegment.ACK)) {
            e.wsLastAckForgotten(false); // this ACK is the previous one for the next segment
        }
        // Its last ACK is Endpoint.lastAck: the tracker sets it right after this call, for every
        // segment this call sees, so here it still holds the previous segment's.
    }
}
