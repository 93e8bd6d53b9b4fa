package io.tcpscope.capture;

/**
 * LINKTYPE_* values (tcpdump.org/linktypes.html) that tcpscope knows by name. The values
 * are what pcap and pcapng files store; libpcap's DLT_* values differ for a few of them
 * (DLT_RAW is 12 or 14 on some systems) and {@code pcap_datalink} results are mapped to
 * LINKTYPE_* at the capture edge.
 */
public final class LinkType {
    private LinkType() {
    }

    /** BSD loopback: 4-byte address family in host byte order of the capturing machine. */
    public static final int NULL = 0;
    /** Ethernet II / 802.3. */
    public static final int ETHERNET = 1;
    /** Raw IPv4 or IPv6, version from the first nibble. */
    public static final int RAW = 101;
    /** OpenBSD loopback: 4-byte address family in network byte order. */
    public static final int LOOP = 108;
    /** Linux cooked capture v1 (16-byte header). */
    public static final int LINUX_SLL = 113;
    /** Raw IPv4 only. */
    public static final int IPV4 = 228;
    /** Raw IPv6 only. */
    public static final int IPV6 = 229;
    /** Linux cooked capture v2 (20-byte header). */
    public static final int LINUX_SLL2 = 276;
    /** IEEE 802.11 frames without a radio header. */
    public static final int IEEE802_11 = 105;
    /** IEEE 802.11 frames after a radiotap header. */
    public static final int IEEE802_11_RADIOTAP = 127;
    /** IP over InfiniBand (RFC 4391): a 44-byte pseudo-header with an EtherType at 40. */
    public static final int IPOIB = 242;

    /** A readable name for messages, e.g. {@code "EN10MB (Ethernet)"}; {@code "LINKTYPE 147"} for unknown ones. */
    public static String name(int linkType) {
        switch (linkType) {
            case NULL: return "NULL (BSD loopback)";
            case ETHERNET: return "EN10MB (Ethernet)";
            case RAW: return "RAW (raw IP)";
            case LOOP: return "LOOP (OpenBSD loopback)";
            case LINUX_SLL: return "LINUX_SLL (Linux cooked v1)";
            case IPV4: return "IPV4 (raw IPv4)";
            case IPV6: return "IPV6 (raw IPv6)";
            case LINUX_SLL2: return "LINUX_SLL2 (Linux cooked v2)";
            case IEEE802_11: return "IEEE802_11 (802.11)";
            case IEEE802_11_RADIOTAP: return "IEEE802_11_RADIOTAP (802.11 + radiotap)";
            case IPOIB: return "IPOIB (IP over InfiniBand)";
            default: return "LINKTYPE " + linkType;
        }
    }

    /** Whether the analyzer's decoders understand this link type. */
    public static boolean isSupported(int linkType) {
        switch (linkType) {
            case NULL: case ETHERNET: case RAW: case LOOP: case LINUX_SLL:
            case IPV4: case IPV6: case LINUX_SLL2:
            case IEEE802_11: case IEEE802_11_RADIOTAP: case IPOIB:
                return true;
            default:
                return false;
        }
    }
}
