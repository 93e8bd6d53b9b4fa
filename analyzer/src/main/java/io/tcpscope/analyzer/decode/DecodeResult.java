package io.tcpscope.analyzer.decode;

/** What {@link PacketDecoder} made of a frame. Everything but {@link #TCP} is counted and skipped. */
public enum DecodeResult {
    /** A TCP segment; the {@link TcpSegment} is filled. */
    TCP("tcp"),
    /** The link layer carries something other than IPv4/IPv6 (ARP, LLDP, ...). */
    NOT_IP("not_ip"),
    /** IP, but not TCP (UDP, ICMP, ...). */
    NOT_TCP("not_tcp"),
    /** A non-first IPv4 or IPv6 fragment: no TCP header in it. */
    IP_FRAGMENT("ip_fragment"),
    /** The frame was cut (snaplen) before the end of the IP or TCP fixed header. */
    TRUNCATED("truncated"),
    /** A header with impossible lengths or version. */
    MALFORMED("malformed"),
    /** A link type the decoders do not understand. */
    UNSUPPORTED_LINK_TYPE("unsupported_link_type"),
    /**
     * An encapsulation that may carry TCP but that the decoders do not open: MACsec,
     * 802.1ah MAC-in-MAC, PPP with Van Jacobson or CCP compression.
     */
    UNSUPPORTED_ENCAPSULATION("unsupported_encapsulation");

    private final String key;

    DecodeResult(String key) {
        this.key = key;
    }

    /** Stable snake_case name used in the JSON summary's {@code skipped} object. */
    public String key() {
        return key;
    }
}
