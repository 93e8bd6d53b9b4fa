package io.tcpscope.analyzer.decode;

import io.tcpscope.capture.LinkType;

/**
 * Decodes link layer, IP and TCP headers of one frame in place and copies the TCP fields
 * into a reused {@link TcpSegment}. Never throws on bad input; never allocates.
 *
 * <p>Link types: Ethernet (with up to {@link #MAX_VLAN_TAGS} stacked 802.1Q / 802.1ad /
 * 0x9100 tags, IEEE 802.3 + LLC/SNAP, PPPoE sessions, MPLS), Linux cooked v1 and v2 (tags allowed after them too), BSD loopback NULL
 * (either byte order) and LOOP, and raw IP (RAW, IPV4, IPV6).
 *
 * <p>Results, in the order they are checked at each layer: a header cut by the end of the
 * captured bytes is {@link DecodeResult#TRUNCATED}; impossible lengths or versions are
 * {@link DecodeResult#MALFORMED}; a non-TCP protocol is {@link DecodeResult#NOT_TCP} (also
 * for non-first fragments of other protocols); a non-first fragment of a TCP packet is
 * {@link DecodeResult#IP_FRAGMENT}. A TCP header whose options are cut by snaplen is still
 * {@link DecodeResult#TCP}, with {@link TcpSegment#optionsTruncated} set.
 *
 * <p>{@link TcpSegment#payloadLength} comes from the IP header (IPv4 total length, IPv6
 * payload length or the hop-by-hop jumbo option), not from the captured length. When the IP
 * header declares no length at all (IPv4 total length 0, as TSO super-frames captured on the
 * sender show; IPv6 payload length 0 without a jumbo option, as newer Linux BIG TCP sends),
 * the captured bytes are the best measure and are used instead.
 *
 * <p>{@link TcpSegment#tcpHeaderOffset} is an index into {@code buffer} (it includes
 * {@code offset}), so the payload starts at {@code buffer[tcpHeaderOffset + tcpHeaderLength]}.
 *
 * <p>Not thread-safe: one decoder per thread (the views are reused).
 */
public final class PacketDecoder {
    /** Most VLAN tags followed in one frame; more is {@link DecodeResult#MALFORMED}. */
    public static final int MAX_VLAN_TAGS = 8;

    private final EthernetView ethernet = new EthernetView();
    private final VlanTagView vlan = new VlanTagView();
    private final LlcSnapView llc = new LlcSnapView();
    private final PppoeView pppoeView = new PppoeView();
    private final Ieee80211View wifi = new Ieee80211View();
    private final L2tpView l2tp = new L2tpView();
    /** Inside an L2TP tunnel: a second L2TP header there is not followed. */
    private boolean inTunnel;
    private final SllView sll = new SllView();
    private final Sll2View sll2 = new Sll2View();
    private final LoopbackView loopback = new LoopbackView();
    private final Ipv4View ipv4 = new Ipv4View();
    private final Ipv6View ipv6 = new Ipv6View();
    private final TcpView tcp = new TcpView();

    /** Set by the link stage: where the IP header starts, and which version the link announced (0 = either). */
    private int ipOffset;
    private int ipVersionHint;
    /** The link stage's VLAN ids ({@link TcpSegment#vlan}) and how many tags it has passed. */
    private int vlanKey;
    private int vlanTags;

    /**
     * @param buffer   the frame bytes (not modified)
     * @param offset   first byte of the frame
     * @param capturedLength bytes present (limited to what {@code buffer} holds); a null
     *                 buffer, an offset outside it or a negative length give {@link DecodeResult#TRUNCATED}
     * @param linkType LINKTYPE_* of the frame
     * @param out      filled when the result is {@link DecodeResult#TCP}; other results leave it
     *                 cleared or partly filled
     */
    public DecodeResult decode(byte[] buffer, int offset, int capturedLength, int linkType, TcpSegment out) {
        out.clear();
        inTunnel = false;
        vlanKey = 0;
        vlanTags = 0;
        if (buffer == null || offset < 0 || offset > buffer.length || capturedLength < 0) {
            return DecodeResult.TRUNCATED;
        }
        int end = offset + Math.min(capturedLength, buffer.length - offset);
        DecodeResult linkResult = decodeLink(buffer, offset, end, linkType);
        if (linkResult != null) {
            return linkResult;
        }
        out.vlan = vlanKey;
        return decodeIp(buffer, ipOffset, end, ipVersionHint, out);
    }

    /** Returns a final result, or null with {@link #ipOffset} and {@link #ipVersionHint} set. */
    private DecodeResult decodeLink(byte[] buffer, int offset, int end, int linkType) {
        int available = end - offset;
        switch (linkType) {
            case LinkType.ETHERNET:
                if (!ethernet.wrap(buffer, offset, available).complete()) {
                    return DecodeResult.TRUNCATED;
                }
                return etherType(buffer, offset + EthernetView.HEADER_LENGTH, end, ethernet.etherType());
            case LinkType.LINUX_SLL:
                if (!sll.wrap(buffer, offset, available).complete()) {
                    return DecodeResult.TRUNCATED;
                }
                if (sll.arphrdType() == SllView.ARPHRD_NETLINK) {
                    return DecodeResult.NOT_IP;
                }
                return etherType(buffer, offset + SllView.HEADER_LENGTH, end, sll.protocol());
            case LinkType.LINUX_SLL2:
                if (!sll2.wrap(buffer, offset, available).complete()) {
                    return DecodeResult.TRUNCATED;
                }
                if (sll2.arphrdType() == SllView.ARPHRD_NETLINK) {
                    return DecodeResult.NOT_IP;
                }
                return etherType(buffer, offset + Sll2View.HEADER_LENGTH, end, sll2.protocol());
            case LinkType.NULL:
            case LinkType.LOOP: {
                if (!loopback.wrap(buffer, offset, available).complete()) {
                    return DecodeResult.TRUNCATED;
                }
                int version = loopback.ipVersion(linkType == LinkType.NULL);
                if (version == 0) {
                    return DecodeResult.NOT_IP;
                }
                return ip(offset + LoopbackView.HEADER_LENGTH, version);
            }
            case LinkType.IEEE802_11_RADIOTAP: {
                int radiotap = wifi.wrap(buffer, offset, available).radiotapLength();
                if (radiotap < 0) {
                    return available < Ieee80211View.RADIOTAP_MIN_LENGTH ? DecodeResult.TRUNCATED : DecodeResult.MALFORMED;
                }
                if (radiotap < Ieee80211View.RADIOTAP_MIN_LENGTH) {
                    return DecodeResult.MALFORMED;
                }
                if (radiotap > available) {
                    return DecodeResult.TRUNCATED;
                }
                return ieee80211(buffer, offset + radiotap, end);
            }
            case LinkType.IEEE802_11:
                return ieee80211(buffer, offset, end);
            case LinkType.IPOIB:
                // RFC 4391 pseudo-header as libpcap writes it: 40 bytes of addresses, EtherType, 2 reserved.
                if (available < IPOIB_HEADER_LENGTH) {
                    return DecodeResult.TRUNCATED;
                }
                return etherType(buffer, offset + IPOIB_HEADER_LENGTH, end, Bytes.uint16(buffer, offset + 40));
            case LinkType.RAW:
                return ip(offset, 0);
            case LinkType.IPV4:
                return ip(offset, 4);
            case LinkType.IPV6:
                return ip(offset, 6);
            default:
                return DecodeResult.UNSUPPORTED_LINK_TYPE;
        }
    }

    static final int IPOIB_HEADER_LENGTH = 44;

    /**
     * An 802.11 frame: data frames carry LLC/SNAP, then an EtherType; management, control and
     * null-data frames are {@link DecodeResult#NOT_IP}; protected (encrypted) data is
     * {@link DecodeResult#UNSUPPORTED_ENCAPSULATION}.
     */
    private DecodeResult ieee80211(byte[] buffer, int pos, int end) {
        if (!wifi.wrap(buffer, pos, end - pos).hasFrameControl()) {
            return DecodeResult.TRUNCATED;
        }
        if (!wifi.carriesData()) {
            return DecodeResult.NOT_IP;
        }
        if (wifi.isProtected()) {
            return DecodeResult.UNSUPPORTED_ENCAPSULATION;
        }
        int header = wifi.dataHeaderLength();
        if (end - pos < header) {
            return DecodeResult.TRUNCATED;
        }
        // What follows is an LLC header: let the 802.3 path read it (length field < 0x0600).
        return etherType(buffer, pos + header, end, 0);
    }

    static final int ETHERTYPE_MPLS_UNICAST = 0x8847;
    static final int ETHERTYPE_MPLS_MULTICAST = 0x8848;
    static final int MPLS_ENTRY_LENGTH = 4;
    /** Label stack depth followed before the frame counts as MALFORMED. */
    public static final int MAX_MPLS_LABELS = 8;

    /** PPPoE session stage (RFC 2516), EtherType 0x8864; 0x8863 (discovery) carries no IP. */
    static final int ETHERTYPE_PPPOE_SESSION = 0x8864;
    /** IEEE 802.1AE MACsec: the payload is encrypted (or at least integrity-protected and not decoded). */
    static final int ETHERTYPE_MACSEC = 0x88E5;
    /** IEEE 802.1ah provider backbone bridging (MAC-in-MAC). */
    static final int ETHERTYPE_PBB = 0x88E7;

    /**
     * Follows an EtherType: VLAN tags (at most {@link #MAX_VLAN_TAGS}), one 802.2 LLC/SNAP
     * header when the type is an 802.3 length, then IPv4, IPv6, MPLS or a PPPoE session.
     */
    private DecodeResult etherType(byte[] buffer, int pos, int end, int type) {
        int tags = 0;
        boolean llcSeen = false;
        while (true) {
            if (EthernetView.isVlanTag(type)) {
                if (tags == MAX_VLAN_TAGS) {
                    return DecodeResult.MALFORMED;
                }
                if (!vlan.wrap(buffer, pos, end - pos).complete()) {
                    return DecodeResult.TRUNCATED;
                }
                if (vlanTags < 2) {
                    vlanKey |= vlan.vlanId() << (vlanTags == 0 ? 12 : 0);
                }
                vlanTags++;
                type = vlan.etherType();
                pos += VlanTagView.TAG_LENGTH;
                tags++;
            } else if (type < EthernetView.MIN_ETHERTYPE && !llcSeen) {
                // IEEE 802.3: the field is a length and an 802.2 LLC header follows.
                llcSeen = true;
                if (!llc.wrap(buffer, pos, end - pos).llcComplete()) {
                    return DecodeResult.TRUNCATED;
                }
                if (!llc.isSnap()) {
                    return DecodeResult.NOT_IP; // STP, NetBIOS, IPX over LLC, CDP...
                }
                if (!llc.snapComplete()) {
                    return DecodeResult.TRUNCATED;
                }
                if (!llc.carriesEtherType()) {
                    return DecodeResult.NOT_IP; // a vendor protocol id (CDP, VTP, ...)
                }
                type = llc.etherType();
                pos += LlcSnapView.HEADER_LENGTH;
            } else {
                break;
            }
        }
        switch (type) {
            case EthernetView.ETHERTYPE_IPV4:
                return ip(pos, 4);
            case EthernetView.ETHERTYPE_IPV6:
                return ip(pos, 6);
            case ETHERTYPE_MPLS_UNICAST:
            case ETHERTYPE_MPLS_MULTICAST:
                return mpls(buffer, pos, end);
            case ETHERTYPE_PPPOE_SESSION:
                return pppoe(buffer, pos, end);
            case ETHERTYPE_MACSEC:
            case ETHERTYPE_PBB:
                return DecodeResult.UNSUPPORTED_ENCAPSULATION;
            default:
                return DecodeResult.NOT_IP;
        }
    }

    /**
     * A PPPoE session frame: the PPP protocol says IPv4 or IPv6; PPP control protocols (LCP,
     * IPCP, ...) are not IP; Van Jacobson or CCP-compressed datagrams may hold TCP that
     * tcpscope cannot read and are counted as {@link DecodeResult#UNSUPPORTED_ENCAPSULATION}.
     */
    private DecodeResult pppoe(byte[] buffer, int pos, int end) {
        if (!pppoeView.wrap(buffer, pos, end - pos).complete()) {
            return DecodeResult.TRUNCATED;
        }
        if (pppoeView.versionType() != PppoeView.VERSION_TYPE_1_1 || pppoeView.code() != PppoeView.CODE_SESSION_DATA) {
            return DecodeResult.MALFORMED;
        }
        int inner = pos + pppoeView.innerOffset();
        switch (pppoeView.protocol()) {
            case PppoeView.PPP_IPV4:
                return ip(inner, 4);
            case PppoeView.PPP_IPV6:
                return ip(inner, 6);
            case PppoeView.PPP_VJ_COMPRESSED:
            case PppoeView.PPP_VJ_UNCOMPRESSED:
            case PppoeView.PPP_COMPRESSED:
            case PppoeView.PPP_COMPRESSED_LINK:
                return DecodeResult.UNSUPPORTED_ENCAPSULATION;
            default:
                return DecodeResult.NOT_IP;
        }
    }

    /**
     * An MPLS label stack (RFC 3032): 4-byte entries, the last with the bottom-of-stack bit.
     * The payload's type is not signalled; like tcpdump, take IP from its version nibble.
     * <pre>
     *   0                   1                   2                   3
     *  |                Label                  | TC  |S|       TTL     |
     * </pre>
     */
    private DecodeResult mpls(byte[] buffer, int pos, int end) {
        for (int labels = 0; labels < MAX_MPLS_LABELS; labels++) {
            if (end - pos < MPLS_ENTRY_LENGTH) {
                return DecodeResult.TRUNCATED;
            }
            boolean bottom = (Bytes.uint8(buffer, pos + 2) & 0x01) != 0;
            pos += MPLS_ENTRY_LENGTH;
            if (bottom) {
                if (end - pos < 1) {
                    return DecodeResult.TRUNCATED;
                }
                int version = Bytes.uint8(buffer, pos) >>> 4;
                return version == 4 || version == 6 ? ip(pos, version) : DecodeResult.NOT_IP;
            }
        }
        return DecodeResult.MALFORMED;
    }

    private DecodeResult ip(int pos, int versionHint) {
        ipOffset = pos;
        ipVersionHint = versionHint;
        return null;
    }

    private DecodeResult decodeIp(byte[] buffer, int pos, int end, int versionHint, TcpSegment out) {
        int available = end - pos;
        if (available < 1) {
            return DecodeResult.TRUNCATED;
        }
        int version = Bytes.uint8(buffer, pos) >>> 4;
        if (versionHint != 0 && version != versionHint) {
            return DecodeResult.MALFORMED;
        }
        if (version == 4) {
            return decodeIpv4(buffer, pos, end, out);
        }
        if (version == 6) {
            return decodeIpv6(buffer, pos, end, out);
        }
        return DecodeResult.MALFORMED;
    }

    private DecodeResult decodeIpv4(byte[] buffer, int pos, int end, TcpSegment out) {
        int available = end - pos;
        if (!ipv4.wrap(buffer, pos, available).complete()) {
            return DecodeResult.TRUNCATED;
        }
        if (ipv4.ihl() < Ipv4View.MIN_IHL) {
            return DecodeResult.MALFORMED;
        }
        int headerLength = ipv4.headerLength();
        if (available < headerLength) {
            return DecodeResult.TRUNCATED;
        }
        int totalLength = ipv4.totalLength();
        boolean lengthKnown = totalLength != 0;
        if (lengthKnown && totalLength < headerLength) {
            return DecodeResult.MALFORMED;
        }
        int protocol = ipv4.protocol();
        if (protocol == Ipv4View.PROTOCOL_UDP && ipv4.fragmentOffset() == 0 && !inTunnel) {
            return udp(buffer, pos + headerLength, end, out);
        }
        if (protocol != Ipv4View.PROTOCOL_TCP) {
            return DecodeResult.NOT_TCP;
        }
        if (ipv4.fragmentOffset() != 0) {
            return DecodeResult.IP_FRAGMENT;
        }
        out.ipVersion = 4;
        out.ipId = ipv4.identification();
        out.ipHeaderLength = headerLength;
        out.srcHi = 0;
        out.srcLo = ipv4.source();
        out.dstHi = 0;
        out.dstLo = ipv4.destination();
        int tcpPos = pos + headerLength;
        int declared = lengthKnown ? totalLength - headerLength : available - headerLength;
        return decodeTcp(buffer, tcpPos, end, declared, lengthKnown, out);
    }

    private DecodeResult decodeIpv6(byte[] buffer, int pos, int end, TcpSegment out) {
        int available = end - pos;
        if (!ipv6.wrap(buffer, pos, available).complete()) {
            return DecodeResult.TRUNCATED;
        }
        int walk = ipv6.walkExtensionHeaders();
        switch (walk) {
            case Ipv6View.WALK_TRUNCATED:
                return DecodeResult.TRUNCATED;
            case Ipv6View.WALK_MALFORMED:
                return DecodeResult.MALFORMED;
            case Ipv6View.WALK_NO_NEXT_HEADER:
                return DecodeResult.NOT_TCP;
            case Ipv6View.WALK_FRAGMENT:
                return ipv6.upperLayerProtocol() == Ipv6View.NEXT_TCP ? DecodeResult.IP_FRAGMENT : DecodeResult.NOT_TCP;
            default:
                break;
        }
        if (ipv6.upperLayerProtocol() == Ipv6View.NEXT_UDP && !inTunnel) {
            return udp(buffer, pos + ipv6.upperLayerOffset(), end, out);
        }
        if (ipv6.upperLayerProtocol() != Ipv6View.NEXT_TCP) {
            return DecodeResult.NOT_TCP;
        }
        long ipPayload = ipv6.payloadLength();
        boolean lengthKnown = true;
        if (ipPayload == 0) {
            long jumbo = ipv6.jumboPayloadLength();
            if (jumbo >= 0) {
                ipPayload = jumbo;
            } else {
                lengthKnown = false;
                ipPayload = available - Ipv6View.HEADER_LENGTH;
            }
        }
        long declared = ipPayload - ipv6.extensionHeadersLength();
        if (declared > Integer.MAX_VALUE) {
            return DecodeResult.MALFORMED;
        }
        out.ipVersion = 6;
        out.ipHeaderLength = ipv6.upperLayerOffset();
        out.srcHi = ipv6.sourceHi();
        out.srcLo = ipv6.sourceLo();
        out.dstHi = ipv6.destinationHi();
        out.dstLo = ipv6.destinationLo();
        int tcpPos = pos + ipv6.upperLayerOffset();
        return decodeTcp(buffer, tcpPos, end, (int) declared, lengthKnown, out);
    }

    /**
     * A UDP datagram: {@link DecodeResult#NOT_TCP}, unless it is an L2TPv2 data message
     * (RFC 2661, port 1701) whose PPP frame carries IPv4 or IPv6, which is decoded in turn
     * (one tunnel level; the segment then carries the inner addresses).
     */
    private DecodeResult udp(byte[] buffer, int pos, int end, TcpSegment out) {
        switch (l2tp.wrap(buffer, pos, end).status()) {
            case L2tpView.TRUNCATED:
                return DecodeResult.TRUNCATED;
            case L2tpView.PPP:
                break;
            default:
                return DecodeResult.NOT_TCP;
        }
        int inner = l2tp.innerOffset();
        switch (l2tp.pppProtocol()) {
            case PppoeView.PPP_IPV4:
                inTunnel = true;
                return decodeIp(buffer, inner, end, 4, out);
            case PppoeView.PPP_IPV6:
                inTunnel = true;
                return decodeIp(buffer, inner, end, 6, out);
            case PppoeView.PPP_VJ_COMPRESSED:
            case PppoeView.PPP_VJ_UNCOMPRESSED:
            case PppoeView.PPP_COMPRESSED:
            case PppoeView.PPP_COMPRESSED_LINK:
                return DecodeResult.UNSUPPORTED_ENCAPSULATION;
            default:
                return DecodeResult.NOT_TCP; // LCP, IPCP...: PPP control inside the tunnel
        }
    }

    /**
     * @param declared    TCP header + payload bytes the IP layer declares (captured bytes when unknown)
     * @param lengthKnown whether {@code declared} came from the IP header
     */
    private DecodeResult decodeTcp(byte[] buffer, int pos, int end, int declared, boolean lengthKnown, TcpSegment out) {
        int captured = end - pos;
        if (lengthKnown && declared < TcpView.MIN_HEADER_LENGTH) {
            return DecodeResult.MALFORMED;
        }
        if (!tcp.wrap(buffer, pos, captured).complete()) {
            return DecodeResult.TRUNCATED;
        }
        int dataOffset = tcp.dataOffset();
        if (dataOffset < TcpView.MIN_DATA_OFFSET) {
            return DecodeResult.MALFORMED;
        }
        int headerLength = dataOffset << 2;
        int payload = declared - headerLength;
        if (payload < 0) {
            if (lengthKnown) {
                return DecodeResult.MALFORMED;
            }
            payload = 0;
        }
        // Bytes of this packet present in the frame: without link-layer padding past the IP length.
        int present = Math.min(captured, declared);
        tcp.wrap(buffer, pos, Math.max(present, TcpView.MIN_HEADER_LENGTH));
        out.srcPort = tcp.sourcePort();
        out.dstPort = tcp.destinationPort();
        out.seq = tcp.sequenceNumber();
        out.ack = tcp.acknowledgementNumber();
        out.flags = tcp.flags();
        out.window = tcp.window();
        out.tcpHeaderOffset = pos;
        out.tcpHeaderLength = headerLength;
        out.payloadLength = payload;
        out.capturedPayloadLength = Math.max(0, Math.min(present - headerLength, payload));
        tcp.readOptions(out);
        return DecodeResult.TCP;
    }
}
