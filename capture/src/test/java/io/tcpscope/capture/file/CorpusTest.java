package io.tcpscope.capture.file;

import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.LinkType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real captures from other projects (see src/test/resources/corpus/ATTRIBUTION.md). The
 * expected numbers come from TShark 4.0.17 / capinfos on the same files:
 * <pre>
 *   capinfos -c -a -e -T -r FILE       (packet count, first and last time)
 *   tshark -r FILE -T fields -e frame.number -e frame.time_epoch -e frame.interface_id \
 *          -e frame.cap_len -e frame.len -e frame.encap_type
 * </pre>
 * Wireshark's encapsulation numbers differ from LINKTYPE_*: WTAP 1 is Ethernet (LINKTYPE 1),
 * WTAP 15 is null/loopback (LINKTYPE 0), WTAP 25 is Linux SLL (LINKTYPE 113).
 */
class CorpusTest {
    private static final long S = 1_000_000_000L;

    static Path corpus(String name) throws Exception {
        return Path.of(CorpusTest.class.getResource("/corpus/" + name).toURI());
    }

    private static ReadResult read(String name) throws Exception {
        return ReadResult.read(corpus(name));
    }

    private static void assertFrame(ReadResult result, int number, long nanos, int interfaceId, int linkType,
                                    int capturedLength, int originalLength) {
        ReadResult.Copy frame = result.frame(number);
        String what = "frame " + number;
        assertEquals(nanos, frame.timestampNanos(), what);
        assertEquals(interfaceId, frame.interfaceId(), what);
        assertEquals(linkType, frame.linkType(), what);
        assertEquals(capturedLength, frame.capturedLength(), what);
        assertEquals(originalLength, frame.originalLength(), what);
    }

    @Test
    void gopacketTest001() throws Exception {
        // tshark: 4 frames, time 0.000000000, if 0, Ethernet, 314/342/314/342 bytes
        ReadResult r = read("gopacket-le-test001.pcapng");
        assertNull(r.damage);
        assertEquals(4, r.count());
        assertFrame(r, 1, 0, 0, LinkType.ETHERNET, 314, 314);
        assertFrame(r, 4, 0, 0, LinkType.ETHERNET, 342, 342);
    }

    @Test
    void gopacketTest004TwoInterfaces() throws Exception {
        // capinfos: 4 packets, 1340954905.298858 .. 1340954905.301858; tshark: interfaces 0,1,0,1
        ReadResult r = read("gopacket-le-test004.pcapng");
        assertNull(r.damage);
        assertEquals(4, r.count());
        assertFrame(r, 1, 1340954905_298858000L, 0, LinkType.ETHERNET, 96, 314);
        assertFrame(r, 2, 1340954905_299858000L, 1, LinkType.ETHERNET, 128, 342);
        assertFrame(r, 4, 1340954905_301858000L, 1, LinkType.ETHERNET, 128, 342);
    }

    @Test
    void gopacketTest006TwoLinkTypes() throws Exception {
        // capinfos: 5 packets, 1340954905.298858 .. 1340954905.302858; tshark: frame 2 on if 1, encap 15 (null)
        ReadResult r = read("gopacket-le-test006.pcapng");
        assertNull(r.damage);
        assertEquals(5, r.count());
        assertFrame(r, 1, 1340954905_298858000L, 0, LinkType.ETHERNET, 96, 314);
        assertFrame(r, 2, 1340954905_299858000L, 1, LinkType.NULL, 168, 168);
        assertFrame(r, 5, 1340954905_302858000L, 0, LinkType.ETHERNET, 96, 342);
    }

    @Test
    void gopacketTest100SimplePacketBlocks() throws Exception {
        // tshark: 5 frames; 1 and 3 are SPBs (no time), 2 at .298858, 4 at .300858, 5 at .301858 on if 1 (null)
        ReadResult r = read("gopacket-le-test100.pcapng");
        assertNull(r.damage);
        assertEquals(5, r.count());
        assertFrame(r, 1, 0, 0, LinkType.ETHERNET, 314, 314);
        assertFrame(r, 2, 1340954905_298858000L, 0, LinkType.ETHERNET, 342, 342);
        assertFrame(r, 3, 0, 0, LinkType.ETHERNET, 314, 314);
        assertFrame(r, 5, 1340954905_301858000L, 1, LinkType.NULL, 168, 168);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gopacket-le-test202.pcapng", "gopacket-be-test202.pcapng"})
    void gopacketTest202ThreeSections(String name) throws Exception {
        // capinfos: 8 packets; tshark shows 11 records, 3 of them custom blocks (no interface), which are
        // not packets. SPBs (no time) cut to the section's snaplen 128 from 314.
        ReadResult r = read(name);
        assertNull(r.damage);
        assertEquals(8, r.count());
        assertFrame(r, 1, 1340954905_298858000L, 0, LinkType.ETHERNET, 96, 314);
        assertFrame(r, 3, 1340954905_301858000L, 1, LinkType.NULL, 168, 168);
        assertFrame(r, 4, 0, 0, LinkType.ETHERNET, 128, 314);
        assertFrame(r, 5, 1340954905_298858000L, 0, LinkType.ETHERNET, 128, 342);
        assertFrame(r, 8, 1340954905_301858000L, 1, LinkType.NULL, 168, 168);
    }

    @Test
    void gopacketTest901UnsupportedSecondSection() throws Exception {
        // tshark: 1 frame, then "pcapng: unknown SHB version 2.0"
        ReadResult r = read("gopacket-le-test901.pcapng");
        assertEquals(1, r.count());
        assertFrame(r, 1, 1340954905_298858000L, 0, LinkType.ETHERNET, 314, 314);
        assertEquals("corrupt block: section header block at byte offset 480: unsupported pcapng version 2.0",
            r.damage);
    }

    @Test
    void gopacketTest902PowerOfTwoResolution() throws Exception {
        // tshark: 1 frame at 1519128000.195312500
        ReadResult r = read("gopacket-le-test902.pcapng");
        assertNull(r.damage);
        assertEquals(1, r.count());
        assertFrame(r, 1, 1519128000_195312500L, 0, LinkType.ETHERNET, 314, 314);
    }

    @Test
    void nanosecondPcapLinuxCooked() throws Exception {
        // capinfos: nsecpcap, linux-sll, 3 packets, 1418145369.924505488 .. 1418145370.052115157
        ReadResult r = read("tcpdump-tcp-handshake-nano.pcap");
        assertNull(r.damage);
        assertEquals(3, r.count());
        assertFrame(r, 1, 1418145369_924505488L, 0, LinkType.LINUX_SLL, 76, 76);
        assertFrame(r, 3, 1418145370_052115157L, 0, LinkType.LINUX_SLL, 68, 68);
    }

    @Test
    void nanosecondPcapWithOutOfRangeFractions() throws Exception {
        // capinfos: 3 packets, first 1418145369.999999999; the others have fractions >= 10^9, which we add
        // as they are (tshark prints them unnormalised, e.g. "1418145370.1000000000")
        ReadResult r = read("tcpdump-timestamp_invalid_nano.pcap");
        assertNull(r.damage);
        assertEquals(3, r.count());
        assertFrame(r, 1, 1418145369_999999999L, 0, LinkType.LINUX_SLL, 76, 76);
        assertFrame(r, 2, 1418145370L * S + 1_000_000_000L, 0, LinkType.LINUX_SLL, 76, 76);
    }

    @Test
    void nanosecondPcapZeek() throws Exception {
        // capinfos: 9 packets, 1770126425.732560000 .. 1770126426.041811000; tshark: 74 and 60 bytes
        ReadResult r = read("zeek-http-get-to-ssh-server.pcap");
        assertNull(r.damage);
        assertEquals(9, r.count());
        assertFrame(r, 1, 1770126425_732560000L, 0, LinkType.ETHERNET, 74, 74);
        assertFrame(r, 9, 1770126426_041811000L, 0, LinkType.ETHERNET, 60, 60);
    }

    @Test
    void microsecondPcap() throws Exception {
        // capinfos: 9 packets, 1331764471.664131 .. 1331764481.717409; tshark: 66 and 54 bytes
        ReadResult r = read("zeek-tcp-miss_end_data.pcap");
        assertNull(r.damage);
        assertEquals(9, r.count());
        assertFrame(r, 1, 1331764471_664131000L, 0, LinkType.ETHERNET, 66, 66);
        assertFrame(r, 9, 1331764481_717409000L, 0, LinkType.ETHERNET, 54, 54);
    }

    @Test
    void bigEndianMicrosecondPcap() throws Exception {
        // magic a1b2c3d4 as stored; capinfos: ip-ib (LINKTYPE_IPOIB 242), 30 packets,
        // 1555605152.697187 .. 1555605229.323197; tshark: 128 and 104 bytes
        ReadResult r = read("tcpdump-ipoib.pcap");
        assertNull(r.damage);
        assertEquals(30, r.count());
        assertFrame(r, 1, 1555605152_697187000L, 0, 242, 128, 128);
        assertFrame(r, 30, 1555605229_323197000L, 0, 242, 104, 104);
    }

    @Test
    void loopbackPcap() throws Exception {
        // capinfos: null, 24 packets, 1357492952.275121 .. 1357492952.508959
        ReadResult r = read("gopacket-test_loopback.pcap");
        assertNull(r.damage);
        assertEquals(24, r.count());
        assertEquals(1357492952_275121000L, r.frame(1).timestampNanos());
        assertEquals(1357492952_508959000L, r.frame(24).timestampNanos());
        assertEquals(LinkType.NULL, r.frame(1).linkType());
    }

    @Test
    void secondsAfter2038() throws Exception {
        // tshark: 1259261324.435140, .447123, 2164247948.451127 (year 2038+: unsigned seconds), 1259261324.451194
        ReadResult r = read("arkime-y2038-bgp.pcap");
        assertNull(r.damage);
        assertEquals(4, r.count());
        assertFrame(r, 1, 1259261324_435140000L, 0, LinkType.ETHERNET, 78, 78);
        assertFrame(r, 3, 2164247948_451127000L, 0, LinkType.ETHERNET, 93, 93);
        assertFrame(r, 4, 1259261324_451194000L, 0, LinkType.ETHERNET, 93, 93);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "libpcap-pcap-invalid-version-1.pcap", "libpcap-pcap-invalid-version-2.pcap",
        "libpcap-linktype-reserved-field-not-zero.pcap",
        "libpcap-pcapng-invalid-vers-1.pcapng", "libpcap-pcapng-invalid-vers-2.pcapng",
    })
    void libpcapRejectFilesWithLibpcapsWording(String name) throws Exception {
        CaptureException e = assertThrows(CaptureException.class, () -> read(name));
        assertEquals(CaptureException.Kind.BAD_FORMAT, e.kind());
        String expected = libpcapExpectedError(name);
        assertEquals(corpus(name) + ": " + expected, e.getMessage());
    }

    @Test
    void libpcapRejectFileWithACorruptFirstBlock() throws Exception {
        // libpcap: "block total length in header 32 and trailer 808464432 don't match" (it blames the IDB
        // after parsing the SHB's options; we check the SHB's own trailer first, which is also corrupt)
        CaptureException e = assertThrows(CaptureException.class, () -> read("libpcap-shb-option-too-long.pcapng"));
        assertEquals(CaptureException.Kind.BAD_FORMAT, e.kind());
        assertTrue(e.getMessage().endsWith("and trailer 808464432 don't match"), e.getMessage());
    }

    /** The line after "Failed opening: " in the corpus's note of libpcap's expected error. */
    private static String libpcapExpectedError(String name) throws Exception {
        for (String line : Files.readAllLines(corpus(name + ".libpcap-expected-error.txt"), StandardCharsets.UTF_8)) {
            if (line.startsWith("Failed opening: ")) {
                return line.substring("Failed opening: ".length());
            }
        }
        throw new AssertionError("no expected error for " + name);
    }

    @Test
    void fileCutMidRecord() throws Exception {
        // 2.7 MB, too large to copy into the repository: read from the shared corpus when present.
        // capinfos: 2696 packets, "cut short in the middle of a packet", 1567255440.735719 .. 1567255455.207352
        Path path = Path.of("/work/shared/corpus/suricata-verify/http-mime-truncated.pcap");
        assumeTrue(Files.isReadable(path), "shared corpus not present");
        ReadResult r = ReadResult.read(path);
        assertEquals(2696, r.count());
        assertEquals(1567255440_735719000L, r.frame(1).timestampNanos());
        assertEquals(1567255455_207352000L, r.frame(2696).timestampNanos());
        assertEquals("truncated record: frame 2697 at byte offset 2715459 needs 16 bytes, only 1 present", r.damage);
    }
}
