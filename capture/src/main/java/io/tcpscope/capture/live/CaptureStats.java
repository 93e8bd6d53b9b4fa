package io.tcpscope.capture.live;

/**
 * Counters of a live capture, from {@code pcap_stats(3PCAP)} ({@code struct pcap_stat}).
 * On Linux, {@code received} counts packets that passed the filter, whether or not they have
 * been read yet; the counters are 32-bit in libpcap and wrap.
 *
 * @param received           {@code ps_recv}
 * @param droppedByKernel    {@code ps_drop}: no room in the capture buffer
 * @param droppedByInterface {@code ps_ifdrop}: dropped by the interface or its driver
 */
public record CaptureStats(long received, long droppedByKernel, long droppedByInterface) {

    /** Packets lost, kernel and interface together. */
    public long dropped() {
        return droppedByKernel + droppedByInterface;
    }

    /**
     * The counts since {@code earlier} (a previous reading of the same capture), modulo 2^32
     * as libpcap's counters wrap; {@code earlier == null} gives this reading itself.
     */
    public CaptureStats since(CaptureStats earlier) {
        if (earlier == null) {
            return this;
        }
        return new CaptureStats(wrapDelta(received, earlier.received), wrapDelta(droppedByKernel, earlier.droppedByKernel),
                wrapDelta(droppedByInterface, earlier.droppedByInterface));
    }

    private static long wrapDelta(long now, long before) {
        return (now - before) & 0xFFFFFFFFL;
    }
}
