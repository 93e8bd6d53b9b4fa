package io.tcpscope.capture.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tcpscope.capture.LinkType;
import org.junit.jupiter.api.Test;

class DataLinkTypesTest {

    @Test
    void mapsDltToLinktype() {
        assertEquals(LinkType.NULL, DataLinkTypes.toLinkType(0));
        assertEquals(LinkType.ETHERNET, DataLinkTypes.toLinkType(1));
        assertEquals(LinkType.RAW, DataLinkTypes.toLinkType(12));
        assertEquals(LinkType.RAW, DataLinkTypes.toLinkType(14));
        assertEquals(100, DataLinkTypes.toLinkType(11));
        assertEquals(246, DataLinkTypes.toLinkType(18));
        assertEquals(LinkType.LOOP, DataLinkTypes.toLinkType(108));
        assertEquals(LinkType.LINUX_SLL, DataLinkTypes.toLinkType(113));
        assertEquals(LinkType.IPV4, DataLinkTypes.toLinkType(228));
        assertEquals(LinkType.LINUX_SLL2, DataLinkTypes.toLinkType(276));
    }

    @Test
    void mapsArphrdLikeLinuxLibpcap() {
        assertEquals(LinkType.ETHERNET, DataLinkTypes.linkTypeOfArphrd(1));
        assertEquals(LinkType.ETHERNET, DataLinkTypes.linkTypeOfArphrd(772));
        assertEquals(LinkType.RAW, DataLinkTypes.linkTypeOfArphrd(65534));
        assertEquals(LinkType.LINUX_SLL, DataLinkTypes.linkTypeOfArphrd(512));
        assertEquals(-1, DataLinkTypes.linkTypeOfArphrd(4242));
    }
}
