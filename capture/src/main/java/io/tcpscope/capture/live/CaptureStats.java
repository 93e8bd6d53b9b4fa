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
}
