package io.tcpscope.capture.ffi;

import jnr.ffi.Pointer;

/**
 * The two C library calls that give {@link LibpcapSource} native memory it frees itself:
 * the pointer slots for {@code pcap_next_ex}, the {@code struct pcap_stat}, the
 * {@code struct bpf_program} and the error buffer live in one {@code calloc}ed block per
 * source, released by {@code free} in {@link LibpcapSource#close()}.
 */
public interface LibC {
    /** {@code void *calloc(size_t nmemb, size_t size);} NULL when out of memory. */
    Pointer calloc(long count, long size);

    /** {@code void free(void *ptr);} */
    void free(Pointer pointer);

    /**
     * {@code int poll(struct pollfd *fds, nfds_t nfds, int timeout);} waits for the capture
     * descriptor (live sources in non-blocking mode) at most {@code timeoutMillis}. The one
     * {@code struct pollfd} lives in the source's scratch block.
     */
    int poll(Pointer fds, long count, int timeoutMillis);

    /** {@code POLLIN} from {@code <poll.h>}. */
    short POLLIN = 0x0001;
}
