package io.tcpscope.analyzer.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressesTest {
    /** Input (any RFC 4291 form) and its RFC 5952 canonical text; most from RFC 5952 sections 2 and 4. */
    @ParameterizedTest
    @CsvSource({
        "2001:db8::1, 2001:db8::1",
        "2001:db8:0:0:0:0:2:1, 2001:db8::2:1",
        "2001:0db8:0:0:0:0:2:1, 2001:db8::2:1",
        "2001:db8:0000:0:0:0:2:1, 2001:db8::2:1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "2001:db8::0:1, 2001:db8::1",
        "2001:db8::1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
        "2001:db8:0:0:1::1, 2001:db8::1:0:0:1",
        "2001:db8:aaaa:bbbb:cccc:dddd:eeee:0001, 2001:db8:aaaa:bbbb:cccc:dddd:eeee:1",
        "2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaaa, 2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaaa",
        "2001:DB8:AAAA:BBBB:CCCC:DDDD:EEEE:AAAA, 2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaaa",
        "2001:db8::aaaa:0:0:1, 2001:db8::aaaa:0:0:1",
        "2001:db8:0:0:aaaa::1, 2001:db8::aaaa:0:0:1",
        "0:0:0:0:0:0:0:0, ::",
        "::, ::",
        "0:0:0:0:0:0:0:1, ::1",
        "1:0:0:0:0:0:0:0, 1::",
        "0:1:0:0:0:0:0:0, 0:1::",
        "1:0:1:0:1:0:1:0, 1:0:1:0:1:0:1:0",
        "fe80:0:0:0:0204:61ff:fe9d:f156, fe80::204:61ff:fe9d:f156",
        "0:0:0:0:0:ffff:c000:0201, ::ffff:192.0.2.1",
        "::ffff:192.0.2.1, ::ffff:192.0.2.1",
        "::c000:201, ::c000:201",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "2604:1380:4091:ce00:0:0:0:d, 2604:1380:4091:ce00::d",
    })
    void rfc5952(String input, String canonical) {
        Addresses.Address a = Addresses.parse(input);
        assertEquals(6, a.ipVersion);
        assertEquals(canonical, Addresses.format(6, a.hi, a.lo));
        assertEquals(a, Addresses.parse(canonical));
    }

    @Test
    void valuesAsLongs() {
        assertEquals("2001:db8::1", Addresses.format(6, 0x20010db800000000L, 1L));
        assertEquals("::1", Addresses.format(6, 0, 1));
        assertEquals("::", Addresses.format(6, 0, 0));
        Addresses.Address a = Addresses.parse("2001:db8:1:2:3:4:5:6");
        assertEquals(0x20010db800010002L, a.hi);
        assertEquals(0x0003000400050006L, a.lo);
    }

    @Test
    void ipv4() {
        assertEquals("192.0.2.1", Addresses.format(4, 0, 0xC0000201L));
        assertEquals("255.255.255.255", Addresses.format(4, 0, 0xFFFFFFFFL));
        assertEquals("0.0.0.0", Addresses.format(4, 0, 0));
        Addresses.Address a = Addresses.parse("10.38.251.146");
        assertEquals(4, a.ipVersion);
        assertEquals(0, a.hi);
        assertEquals(0x0A26FB92L, a.lo);
    }

    @Test
    void appendsToStringBuilder() {
        StringBuilder sb = new StringBuilder("src=");
        Addresses.append(sb, 6, 0x20010db800000000L, 0x0001000000000001L).append(" dst=");
        Addresses.append(sb, 4, 0, 0x7F000001L);
        assertEquals("src=2001:db8::1:0:0:1 dst=127.0.0.1", sb.toString());
    }

    @Test
    void rejectsBadText() {
        for (String bad : new String[] {"", "1.2.3", "1.2.3.256", "1.2.3.4.5", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9",
            "1::2::3", "12345::", "g::", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:", "1:2:3:4:5:6:7:8::", "::1.2.3"}) {
            assertThrows(IllegalArgumentException.class, () -> Addresses.parse(bad), bad);
        }
    }

    @Test
    void randomRoundTrip() {
        Random r = new Random(5952);
        for (int i = 0; i < 20_000; i++) {
            long hi = 0;
            long lo = 0;
            for (int g = 0; g < 4; g++) {
                hi = (hi << 16) | (r.nextInt(3) == 0 ? 0 : r.nextInt(0x10000));
                lo = (lo << 16) | (r.nextInt(3) == 0 ? 0 : r.nextInt(0x10000));
            }
            String text = Addresses.format(6, hi, lo);
            Addresses.Address a = Addresses.parse(text);
            assertEquals(hi, a.hi, text);
            assertEquals(lo, a.lo, text);
            assertEquals(text, text.toLowerCase());
            assertEquals(-1, text.indexOf(":::"), text);
        }
    }
}
