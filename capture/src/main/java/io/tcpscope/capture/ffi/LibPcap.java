package io.tcpscope.capture.ffi;

import jnr.ffi.Pointer;
import jnr.ffi.types.u_int32_t;

/**
 * The part of libpcap's C API that tcpscope calls, bound through jnr-ffi. Obtain an instance
 * with {@link LibPcapLoader#load()}.
 *
 * <p>Every {@code Pointer} named {@code pcap} is a {@code pcap_t *} returned by
 * {@link #pcap_open_offline_with_tstamp_precision} or {@link #pcap_create} and freed exactly
 * once by {@link #pcap_close}. {@code errbuf} arguments point to at least
 * {@link #PCAP_ERRBUF_SIZE} bytes of caller-owned native memory. The C prototypes are
 * beside each method (from {@code <pcap/pcap.h>}, libpcap 1.10); native-notes.md lists
 * them all together with the ownership of every pointer.
 */
public interface LibPcap {

    /** {@code PCAP_ERRBUF_SIZE}: the size of every error buffer libpcap writes to. */
    int PCAP_ERRBUF_SIZE = 256;

    /** {@code PCAP_TSTAMP_PRECISION_MICRO}: {@code ts.tv_usec} holds microseconds. */
    int PCAP_TSTAMP_PRECISION_MICRO = 0;
    /** {@code PCAP_TSTAMP_PRECISION_NANO}: {@code ts.tv_usec} holds nanoseconds. */
    int PCAP_TSTAMP_PRECISION_NANO = 1;

    /** {@code PCAP_NETMASK_UNKNOWN} for {@link #pcap_compile}: only "ip broadcast" needs a real mask. */
    int PCAP_NETMASK_UNKNOWN = 0xffffffff;

    /** Generic error; the text is in {@link #pcap_geterr}. */
    int PCAP_ERROR = -1;
    /** {@code pcap_next_ex}: end of a savefile (or the loop was broken). */
    int PCAP_ERROR_BREAK = -2;
    int PCAP_ERROR_NOT_ACTIVATED = -3;
    int PCAP_ERROR_ACTIVATED = -4;
    int PCAP_ERROR_NO_SUCH_DEVICE = -5;
    int PCAP_ERROR_RFMON_NOTSUP = -6;
    int PCAP_ERROR_NOT_RFMON = -7;
    int PCAP_ERROR_PERM_DENIED = -8;
    int PCAP_ERROR_IFACE_NOT_UP = -9;
    int PCAP_ERROR_CANTSET_TSTAMP_TYPE = -10;
    int PCAP_ERROR_PROMISC_PERM_DENIED = -11;
    int PCAP_ERROR_TSTAMP_PRECISION_NOTSUP = -12;

    /** {@code pcap_activate} succeeded with a generic warning (text in {@link #pcap_geterr}). */
    int PCAP_WARNING = 1;
    int PCAP_WARNING_PROMISC_NOTSUP = 2;
    int PCAP_WARNING_TSTAMP_TYPE_NOTSUP = 3;

    /** {@code pcap_t *pcap_open_offline_with_tstamp_precision(const char *fname, u_int precision, char *errbuf);} NULL on error. */
    Pointer pcap_open_offline_with_tstamp_precision(String fname, @u_int32_t int precision, Pointer errbuf);

    /** {@code pcap_t *pcap_create(const char *source, char *errbuf);} NULL on error. */
    Pointer pcap_create(String source, Pointer errbuf);

    /** {@code int pcap_set_snaplen(pcap_t *p, int snaplen);} */
    int pcap_set_snaplen(Pointer pcap, int snaplen);

    /** {@code int pcap_set_promisc(pcap_t *p, int promisc);} */
    int pcap_set_promisc(Pointer pcap, int promisc);

    /** {@code int pcap_set_immediate_mode(pcap_t *p, int immediate_mode);} */
    int pcap_set_immediate_mode(Pointer pcap, int immediateMode);

    /** {@code int pcap_set_buffer_size(pcap_t *p, int buffer_size);} */
    int pcap_set_buffer_size(Pointer pcap, int bufferSize);

    /** {@code int pcap_set_timeout(pcap_t *p, int to_ms);} */
    int pcap_set_timeout(Pointer pcap, int timeoutMillis);

    /** {@code int pcap_set_tstamp_precision(pcap_t *p, int tstamp_precision);} */
    int pcap_set_tstamp_precision(Pointer pcap, int precision);

    /** {@code int pcap_get_tstamp_precision(pcap_t *p);} */
    int pcap_get_tstamp_precision(Pointer pcap);

    /** {@code int pcap_activate(pcap_t *p);} 0 ok, &gt; 0 ok with a warning, &lt; 0 error. */
    int pcap_activate(Pointer pcap);

    /** {@code const char *pcap_statustostr(int error);} static text owned by libpcap. */
    String pcap_statustostr(int status);

    /** {@code int pcap_datalink(pcap_t *p);} a DLT_* value, see {@link DataLinkTypes}. */
    int pcap_datalink(Pointer pcap);

    /** {@code int pcap_snapshot(pcap_t *p);} the snapshot length. */
    int pcap_snapshot(Pointer pcap);

    /**
     * {@code int pcap_compile(pcap_t *p, struct bpf_program *fp, const char *str, int optimize,
     * bpf_u_int32 netmask);} fills the caller's {@code struct bpf_program}, whose instructions
     * libpcap allocates and {@link #pcap_freecode} frees.
     */
    int pcap_compile(Pointer pcap, Pointer program, String expression, int optimize, @u_int32_t int netmask);

    /** {@code int pcap_setfilter(pcap_t *p, struct bpf_program *fp);} copies the program. */
    int pcap_setfilter(Pointer pcap, Pointer program);

    /** {@code void pcap_freecode(struct bpf_program *fp);} frees what pcap_compile allocated. */
    void pcap_freecode(Pointer program);

    /**
     * {@code int pcap_next_ex(pcap_t *p, struct pcap_pkthdr **pkt_header, const u_char **pkt_data);}
     * stores two libpcap-owned pointers into the caller's two slots; both stay valid only until
     * the next call on {@code p}.
     */
    int pcap_next_ex(Pointer pcap, Pointer headerSlot, Pointer dataSlot);

    /** {@code int pcap_stats(pcap_t *p, struct pcap_stat *ps);} fills the caller's struct. */
    int pcap_stats(Pointer pcap, Pointer stats);

    /**
     * {@code int pcap_setnonblock(pcap_t *p, int nonblock, char *errbuf);} -1 on error. In
     * non-blocking mode {@code pcap_next_ex} returns 0 at once when no packet is waiting.
     */
    int pcap_setnonblock(Pointer pcap, int nonblock, Pointer errbuf);

    /** {@code int pcap_get_selectable_fd(pcap_t *p);} -1 where poll() on the capture is not possible. */
    int pcap_get_selectable_fd(Pointer pcap);

    /** {@code void pcap_breakloop(pcap_t *p);} safe from another thread or a signal handler. */
    void pcap_breakloop(Pointer pcap);

    /** {@code char *pcap_geterr(pcap_t *p);} text of the last error on {@code p}. */
    String pcap_geterr(Pointer pcap);

    /** {@code const char *pcap_lib_version(void);} e.g. "libpcap version 1.10.3 (with TPACKET_V3)". */
    String pcap_lib_version();

    /**
     * {@code pcap_t *pcap_open_dead(int linktype, int snaplen);} a handle with no capture behind
     * it, only to compile filters for that DLT_* link type; NULL when out of memory. Freed
     * with {@link #pcap_close} (the programs compiled on it stay valid: they are the caller's).
     */
    Pointer pcap_open_dead(int linktype, int snaplen);

    /**
     * {@code int pcap_offline_filter(const struct bpf_program *fp, const struct pcap_pkthdr *h,
     * const u_char *pkt);} runs a compiled program over one packet held in caller memory: non-zero
     * (the program's return value, the snapshot length) when the packet matches, 0 when not. Reads
     * {@code h->caplen} bytes of {@code pkt} and {@code h->len}; keeps no pointer.
     */
    int pcap_offline_filter(Pointer program, Pointer header, Pointer packet);

    /** {@code void pcap_close(pcap_t *p);} frees the handle and everything libpcap allocated for it. */
    void pcap_close(Pointer pcap);
}
