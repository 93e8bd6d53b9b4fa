package io.tcpscope.analyzer.tcp;

import io.tcpscope.analyzer.decode.TcpSegment;

/**
 * Segments a blind off-path attacker sends on a live connection's 4-tuple (RFC 5961): a FIN,
 * data or an ACK whose sequence number lies far outside anything its claimed sender could have
 * sent. RFC 9293 §3.10.7.4 drops a segment that fails the sequence check (an ACK at most) and
 * changes no state, so the tracker ignores it whole: its ACK field, its FIN, its data (RST
 * floods have their own rules, {@link RstRules}). Only when both handshakes were seen (the
 * sender's ISN known) and both endpoints are synchronized: a mid-stream pickup's numbers are
 * not known well enough to judge.
 *
 * <p>Real segments of the sender lie in [ISN, SND.NXT + the peer's window]: resends below
 * what was seen, data the capture missed above it, never past the window the receiver opened.
 * SND.NXT is the larger of what the capture saw sent and what the receiver acknowledged (a
 * capture point that dropped megabytes of one direction still sees the ACKs move on).
 * The bound above is generous ({@link #SLACK} beyond twice the receiver's largest window
 * possible at its last advertisement): a blind guess passes it with a probability of about
 * (bytes sent + 2 windows + 1 MiB) / 4 GiB, and then is judged as any other segment.
 */
final class BlindSegments {
    /** Added to twice the receiver's last window (scaled) before a sequence number counts as blind. */
    static final long SLACK = 1L << 20;

    private BlindSegments() {
    }

    /** Whether {@code s}, claimed by {@code sender}, is a blind segment to ignore. */
    static boolean blind(Endpoint sender, Endpoint receiver, TcpSegment s) {
        if (s.has(TcpSegment.SYN) || !sender.synSent() || !receiver.synSent()
                || !sender.sent.started() || receiver.lastWindow() < 0) {
            return false;
        }
        TcpState a = sender.state();
        TcpState b = receiver.state();
        if (a == null || b == null || !a.synchronizedState() || !b.synchronizedState()
                || sender.payloadBytes() >= 1L << 31) {
            return false; // (a stream near the wrap of its sequence space: numbers alone can not tell)
        }
        long isn = Integer.toUnsignedLong(sender.isn());
        long sent = (Integer.toUnsignedLong(sender.sent.highestEnd()) - isn) & 0xFFFFFFFFL;
        if (receiver.lastAckSeen()) {
            // What the receiver acknowledged is what it got, seen by the capture or not: a
            // capture that dropped a burst of this sender's data is no blind attacker.
            long acked = (Integer.toUnsignedLong(receiver.lastAck) - isn) & 0xFFFFFFFFL;
            if (acked < 1L << 31) {
                sent = Math.max(sent, acked);
            }
        }
        long window = (long) receiver.lastWindow() << Math.max(0, Math.min(14, (int) receiver.windowScale));
        long at = (Integer.toUnsignedLong(s.seq) - isn) & 0xFFFFFFFFL;
        return at > sent + 2 * Math.max(window, 65_535) + SLACK;
    }
}
