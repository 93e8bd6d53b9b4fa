package io.tcpscope.capture.live;

import java.util.Objects;

/**
 * How to open a live capture ({@code pcap_create} + setters + {@code pcap_activate}).
 *
 * @param interfaceName     device to capture on, e.g. {@code "eth0"} (see {@link Interfaces#list()})
 * @param snaplen           bytes kept per packet; {@code pcap_set_snaplen(3PCAP)}
 * @param promiscuous       {@code pcap_set_promisc(3PCAP)}
 * @param immediate         deliver each packet as it arrives instead of filling a buffer first;
 *                          {@code pcap_set_immediate_mode(3PCAP)}
 * @param bufferSizeBytes   kernel ring size, or {@link #LIBPCAP_DEFAULT_BUFFER_SIZE} to leave
 *                          libpcap's default (2 MiB on Linux); {@code pcap_set_buffer_size(3PCAP)}
 * @param readTimeoutMillis packet buffer timeout; a blocked {@code next()} wakes at least this
 *                          often to notice a stop request; {@code pcap_set_timeout(3PCAP)}
 * @param bpfFilter         capture filter in pcap-filter(7) syntax, or {@code null} for all packets
 */
public record LiveOptions(String interfaceName, int snaplen, boolean promiscuous, boolean immediate,
                          int bufferSizeBytes, int readTimeoutMillis, String bpfFilter) {

    /** tcpdump's default snapshot length. */
    public static final int DEFAULT_SNAPLEN = 262144;
    /** Do not call pcap_set_buffer_size: keep libpcap's default. */
    public static final int LIBPCAP_DEFAULT_BUFFER_SIZE = 0;
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

    /** Snaplen 262144, promiscuous, immediate mode, libpcap's buffer size, 100 ms timeout, no filter. */
    public static LiveOptions defaults(String interfaceName) {
        return new LiveOptions(interfaceName, DEFAULT_SNAPLEN, true, true,
                LIBPCAP_DEFAULT_BUFFER_SIZE, DEFAULT_READ_TIMEOUT_MILLIS, null);
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
