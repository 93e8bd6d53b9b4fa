package io.tcpscope.analyzer.tcp;

/**
 * Timers that change state without a packet, taken from the Linux defaults
 * (state-machine.md §6). All values are nanoseconds of capture time.
 */
public record OsProfile(long timeWaitNanos, long synSentGiveUpNanos, long synReceivedGiveUpNanos,
                        long synAckFirstRetransmitNanos, boolean linuxResets) {
    private static final long SECOND = 1_000_000_000L;

    /**
     * Linux: TIME_WAIT lasts TCP_TIMEWAIT_LEN = 60 s; tcp_syn_retries = 6 gives up
     * 1+2+4+8+16+32+64 = 127 s after the first SYN; tcp_synack_retries = 5 gives up
     * 1+2+4+8+16+32 = 63 s after the first SYN-ACK, whose first retransmission comes after
     * TCP_TIMEOUT_INIT = 1 s. {@code linuxResets}: the endpoints' own RSTs carry the sequence
     * numbers Linux gives them (tcp_send_active_reset → tcp_acceptable_seq: SND.NXT or the
     * window's end; a no-socket reply: the ACK of the segment answered), so a RST with another
     * number below its claimed sender's SND.NXT is not that sender's (RstRules.notItsOwnSeq).
     */
    public static final OsProfile LINUX = new OsProfile(60 * SECOND, 127 * SECOND, 63 * SECOND, SECOND, true);
}
