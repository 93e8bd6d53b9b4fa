package io.tcpscope.capture.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.capture.LinkType;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterfacesTest {

    @Test
    void listsLoopbackWithItsFlagsAddressAndLinkType() throws Exception {
        List<InterfaceInfo> interfaces = Interfaces.list();
        InterfaceInfo lo = interfaces.stream().filter(i -> i.name().equals("lo")).findFirst()
                .orElseThrow(() -> new AssertionError("no lo in " + interfaces));
        assertTrue(lo.loopback(), "lo is loopback");
        assertTrue(lo.up(), "lo is up");
        assertEquals(LinkType.ETHERNET, lo.linkType(), "Linux captures lo with an Ethernet header");
        assertTrue(lo.addresses().stream().anyMatch(a -> a.address().getHostAddress().equals("127.0.0.1")
                        && a.netmask() != null && a.netmask().getHostAddress().equals("255.0.0.0")),
                "127.0.0.1/8 on lo: " + lo.addresses());
        assertTrue(interfaces.stream().filter(i -> !i.name().equals("lo")).noneMatch(InterfaceInfo::loopback)
                || interfaces.stream().anyMatch(i -> i.name().equals("any")));
    }

    @Test
    void anyIsCookedAndUnknownDevicesAreUnknown() {
        assertEquals(LinkType.LINUX_SLL, Interfaces.linkTypeOf("any"));
        assertEquals(InterfaceInfo.UNKNOWN_LINK_TYPE, Interfaces.linkTypeOf("no-such-device-here"));
        assertEquals(InterfaceInfo.UNKNOWN_LINK_TYPE, Interfaces.linkTypeOf("../../etc"));
    }

    @Test
    void namesIncludeLoopback() {
        assertTrue(Interfaces.names().contains("lo"), Interfaces.names().toString());
    }
}
