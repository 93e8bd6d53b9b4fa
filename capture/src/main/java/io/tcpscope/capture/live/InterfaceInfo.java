package io.tcpscope.capture.live;

import io.tcpscope.capture.LinkType;
import java.net.InetAddress;
import java.util.List;

/**
 * A device libpcap can capture on, as {@code tcpscope interfaces} shows it.
 *
 * @param name        what to pass to {@link LiveOptions#interfaceName()}, e.g. {@code "eth0"}
 * @param description libpcap's description, often empty on Linux
 * @param addresses   IPv4 and IPv6 addresses with their netmasks
 * @param up          IFF_UP
 * @param running     IFF_RUNNING (carrier present)
 * @param loopback    IFF_LOOPBACK
 * @param linkType    LINKTYPE_* a capture on it will have, or {@link #UNKNOWN_LINK_TYPE}
 */
public record InterfaceInfo(String name, String description, List<Address> addresses,
                            boolean up, boolean running, boolean loopback, int linkType) {

    /** {@link #linkType()} when it cannot be told without opening the device. */
    public static final int UNKNOWN_LINK_TYPE = -1;

    public InterfaceInfo {
        addresses = List.copyOf(addresses);
    }

    /** An interface address; {@code netmask} is {@code null} when libpcap reports none. */
    public record Address(InetAddress address, InetAddress netmask) {
    }

    /** {@link LinkType#name(int)} of the link type, or "unknown". */
    public String linkTypeName() {
        return linkType == UNKNOWN_LINK_TYPE ? "unknown" : LinkType.name(linkType);
    }
}
