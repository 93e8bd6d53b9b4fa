package io.tcpscope.capture.live;

import java.util.Objects;

/**
 * How to open a live capture ({@code pcap_create} + setters + {@code pcap_activate}).
 *
 * @param interfaceName     device to capture on, e.g. {@code "eth0"} (see {@link Interfaces#list()})
 * @param snaplen           bytes kept per packet; {@code pcap_set_snaplen(3PCAP)}
 * @param promiscuous       {@code pcap_set_promisc(3PCAP)}
 * @param immediate         deliver each packet as it arrives instead of filling a buffer first;
 *                          {@code pcap_set_immediate_mode(3PCAP)}. Off by default: on Linux
 *                          immediate mode means TPACKET_V2, a wakeup per packet, and drops
 *                          where tcpdump (TPACKET_V3 blocks) drops nothing (native-notes.md)
 * @param bufferSizeBytes   kernel ring size, or {@link #LIBPCAP_DEFAULT_BUFFER_SIZE} to leave
 *                          libpcap's default (2 MiB on Linux); {@code pcap_set_buffer_size(3PCAP)}
 * @param readTimeoutMillis packet buffer timeout: with TPACKET_V3 the kernel hands over a
 *                          partly filled block after this long, so it bounds how late a
 *                          packet is seen; {@code pcap_set_timeout(3PCAP)}
 * @param bpfFilter         capture filter in pcap-filter(7) syntax, or {@code null} for all packets
 */
public record LiveOptions(String interfaceName, int snaplen, boolean promiscuous, boolean immediate,
                          int bufferSizeBytes, int readTimeoutMillis, String bpfFilter) {

    /**
     * Headers, not payload: Ethernet (14) or SLL2 (20), 8 VLAN tags (32), PPPoE (8), IPv6 (40)
     * with 300 bytes of extension headers, TCP with options (60) fit in 512. Past that only
     * payload is cut, which tcpscope does not read (sequence space comes from the IP length).
     */
    public static final int DEFAULT_SNAPLEN = 512;
    /** tcpdump's default snapshot length, the largest {@code --snaplen}: whole packets. */
    public static final int MAX_SNAPLEN = 262144;
    /** Do not call pcap_set_buffer_size: keep libpcap's default. */
    public static final int LIBPCAP_DEFAULT_BUFFER_SIZE = 0;
    /**
     * 32 MiB of kernel ring: with 512-byte snaplen about 50,000 packets, one second at 50k
     * packets/s, where libpcap's 2 MiB default holds 0.06 s of full-size frames.
     */
    public static final int DEFAULT_BUFFER_SIZE = 32 << 20;
    public static final int DEFAULT_READ_TIMEOUT_MILLIS = 100;

    public LiveOptions {
        Objects.requireNonNull(interfaceName, "interfaceName");
        if (snaplen <= 0) {
            throw new IllegalArgumentException("snaplen must be positive: " + snaplen);
        }
        if (bufferSizeBytes < 0) {
            throw new IllegalArgumentException("bufferSizeBytes must be >= 0: " + bufferSizeBytes);
        }
        if (readTimeoutMillis <= 0) {
            throw new IllegalArgumentException("readTimeoutMillis must be positive: " + readTimeoutMillis);
        }
    }

    /**
     * Snaplen 512 (headers), promiscuous, no immediate mode (TPACKET_V3 blocks), 32 MiB
     * buffer, 100 ms block timeout, no filter.
     */
    public static LiveOptions defaults(String interfaceName) {
        return new LiveOptions(interfaceName, DEFAULT_SNAPLEN, true, false,
                DEFAULT_BUFFER_SIZE, DEFAULT_READ_TIMEOUT_MILLIS, null);
    }

    public LiveOptions withSnaplen(int value) {
        return new LiveOptions(interfaceName, value, promiscuous, immediate, bufferSizeBytes, readTimeoutMillis, bpfFilter);
    }

    public LiveOptions withPromiscuous(boolean value) {
        return new LiveOptions(interfaceName, snaplen, value, immediate, bufferSizeBytes, readTimeoutMillis, bpfFilter);
    }

    public LiveOptions withImmediate(boolean value) {
        return new LiveOptions(interfaceName, snaplen, promiscuous, value, bufferSizeBytes, readTimeoutMillis, bpfFilter);
    }

    public LiveOptions withBufferSizeBytes(int value) {
        return new LiveOptions(interfaceName, snaplen, promiscuous, immediate, value, readTimeoutMillis, bpfFilter);
    }

    public LiveOptions withReadTimeoutMillis(int value) {
        return new LiveOptions(interfaceName, snaplen, promiscuous, immediate, bufferSizeBytes, value, bpfFilter);
    }

    public LiveOptions withBpfFilter(String value) {
        return new LiveOptions(interfaceName, snaplen, promiscuous, immediate, bufferSizeBytes, readTimeoutMillis, value);
    }
}
