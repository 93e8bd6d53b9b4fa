package io.tcpscope.capture.ffi;

import io.tcpscope.capture.LinkType;

/**
 * The one place where libpcap's DLT_* values become LINKTYPE_* values.
 *
 * <p>{@code pcap_datalink(3PCAP)} returns a DLT_* value, which is the OS's own number;
 * files and {@link io.tcpscope.capture.Frame#linkType()} use LINKTYPE_* values
 * (https://www.tcpdump.org/linktypes.html). They are equal except for a few low values that
 * differ between operating systems. This follows libpcap's own {@code dlt_to_linktype()}
 * (pcap-common.c) for the values {@code <pcap/dlt.h>} defines on Linux, plus the BSD
 * spellings of DLT_RAW (14) that the LINKTYPE table lists.
 */
public final class DataLinkTypes {
    private DataLinkTypes() {
    }

    /** DLT_ATM_RFC1483 (11) becomes LINKTYPE_ATM_RFC1483. */
    static final int LINKTYPE_ATM_RFC1483 = 100;
    /** DLT_SLIP_BSDOS (15 on Linux) becomes LINKTYPE_SLIP_BSDOS. */
    static final int LINKTYPE_SLIP_BSDOS = 102;
    /** DLT_PPP_BSDOS (16 on Linux) becomes LINKTYPE_PPP_BSDOS. */
    static final int LINKTYPE_PPP_BSDOS = 103;
    /** DLT_ATM_CLIP (19, Linux) becomes LINKTYPE_ATM_CLIP. */
    static final int LINKTYPE_ATM_CLIP = 106;
    /** DLT_PFSYNC (18 on Linux and most systems, 121 on FreeBSD) becomes LINKTYPE_PFSYNC. */
    static final int LINKTYPE_PFSYNC = 246;

    /**
     * Maps a {@code pcap_datalink()} result to the LINKTYPE_* value stored in pcap files.
     * Values 0-10 and everything from 104 up (libpcap's DLT_MATCHING_MIN) are the same in
     * both numberings; unknown values are returned unchanged.
     */
    public static int toLinkType(int dlt) {
        switch (dlt) {
            case 11: return LINKTYPE_ATM_RFC1483;   // DLT_ATM_RFC1483
            case 12:                                // DLT_RAW on Linux and most systems
            case 14: return LinkType.RAW;           // DLT_RAW on OpenBSD/BSD/OS (LINKTYPE table)
            case 15: return LINKTYPE_SLIP_BSDOS;    // DLT_SLIP_BSDOS
            case 16: return LINKTYPE_PPP_BSDOS;     // DLT_PPP_BSDOS
            case 18: return LINKTYPE_PFSYNC;        // DLT_PFSYNC
            case 19: return LINKTYPE_ATM_CLIP;      // DLT_ATM_CLIP
            default: return dlt;                    // 0-10 (NULL, EN10MB, ...), 50, 51, 99, >= 104
        }
    }

    /**
     * The inverse of {@link #toLinkType}: the DLT_* value (as Linux's {@code <pcap/dlt.h>}
     * numbers it) that {@code pcap_open_dead(3PCAP)} wants for a LINKTYPE_* value.
     */
    public static int toDlt(int linkType) {
        switch (linkType) {
            case LinkType.RAW: return 12;           // DLT_RAW
            case LINKTYPE_ATM_RFC1483: return 11;
            case LINKTYPE_SLIP_BSDOS: return 15;
            case LINKTYPE_PPP_BSDOS: return 16;
            case LINKTYPE_PFSYNC: return 18;
            case LINKTYPE_ATM_CLIP: return 19;
            default: return linkType;
        }
    }

    /**
     * The link type Linux libpcap uses for an interface, from its {@code ARPHRD_*} type
     * ({@code /sys/class/net/<dev>/type}), as {@code map_arphrd_to_dlt()} in pcap-linux.c does;
     * {@code -1} when this table does not know it. Ethernet and loopback (which Linux presents
     * with an all-zero Ethernet header) are ETHERNET; tun devices (ARPHRD_NONE), IP tunnels
     * and SLIP are RAW; PPP is captured "cooked" (LINUX_SLL).
     */
    public static int linkTypeOfArphrd(int arphrd) {
        switch (arphrd) {
            case 1:       // ARPHRD_ETHER
            case 772:     // ARPHRD_LOOPBACK
                return LinkType.ETHERNET;
            case 65534:   // ARPHRD_NONE (tun)
            case 768:     // ARPHRD_TUNNEL
            case 776:     // ARPHRD_SIT
            case 256:     // ARPHRD_SLIP
            case 257:     // ARPHRD_CSLIP
            case 258:     // ARPHRD_SLIP6
            case 259:     // ARPHRD_CSLIP6
            case 264:     // ARPHRD_ADAPT
            case 518:     // ARPHRD_RAWHDLC
                return LinkType.RAW;
            case 512:     // ARPHRD_PPP
                return LinkType.LINUX_SLL;
            case 513:     // ARPHRD_CISCO
                return 104; // LINKTYPE_C_HDLC
            case 801:     // ARPHRD_IEEE80211
                return 105; // LINKTYPE_IEEE802_11
            case 803:     // ARPHRD_IEEE80211_RADIOTAP
                return 127; // LINKTYPE_IEEE802_11_RADIOTAP
            default:
                return -1;
        }
    }
}
