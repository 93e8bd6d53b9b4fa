package io.tcpscope.analyzer.decode;

import static io.tcpscope.analyzer.decode.Frames.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tcpscope.capture.LinkType;
import org.junit.jupiter.api.Test;

/**
 * Frames copied byte for byte from real captures in the shared corpus
 * ({@code /work/shared/corpus/<source>/<file>}, third-party pcaps, see its MANIFEST.tsv),
 * decoded and compared with what TShark 4.0 reports for the same frame
 * ({@code tshark -r FILE -Y frame.number==N -o tcp.relative_sequence_numbers:FALSE -T fields
 * -e tcp.srcport -e tcp.seq_raw -e tcp.len -e tcp.flags -e tcp.hdr_len ...}).
 */
class RealFramesTest {
    private final PacketDecoder decoder = new PacketDecoder();
    private final TcpSegment seg = new TcpSegment();

    /** tcpdump/tcp-handshake-nano.pcap frame 1 (LINKTYPE 113, 76 of 76 bytes). Expected values: tshark 4.0 {@code -T fields} on that frame. */
    @Test
    void tcpHandshakeNanoFrame1() {
        byte[] frame = hex(""
                + "000402000000000000000000000008004500003c29a940004006db5f839bd7458974515eb64000502f842acb00000000"
                + "a0026a4050c40000020405500402080a436a03620000000001030307"
        );
        assertEquals(DecodeResult.TCP, decoder.decode(frame, 0, frame.length, LinkType.LINUX_SLL, seg));
        assertEquals(4, seg.ipVersion);
        assertEquals("131.155.215.69", Addresses.format(seg.ipVersion, seg.srcHi, seg.srcLo));
        assertEquals("137.116.81.94", Addresses.format(seg.ipVersion, seg.dstHi, seg.dstLo));
        assertEquals(46656, seg.srcPort);
        assertEquals(80, seg.dstPort);
        assertEquals(797190859L, seg.seq & 0xFFFFFFFFL);
        assertEquals(0L, seg.ack & 0xFFFFFFFFL);
        assertEquals(0x0002, seg.flags);
        assertEquals(40, seg.tcpHeaderLength);
        assertEquals(27200, seg.window);
        assertEquals(0, seg.payloadLength);
        assertEquals(0, seg.capturedPayloadLength);
        assertEquals(1360, seg.mss);
        assertEquals(7, seg.windowScale);
        assertEquals(true, seg.sackPermitted);
        assertEquals(true, seg.hasTimestamps);
        assertEquals(1131021154L, seg.tsVal);
        assertEquals(0L, seg.tsEcr);
        assertEquals(0, seg.sackBlockCount);
        assertFalse(seg.optionsTruncated);
    }

    /** zeek/http-qinq-0.pcap frame 1 (LINKTYPE 1, 86 of 86 bytes). Expected values: tshark 4.0 {@code -T fields} on that frame. */
    @Test
    void httpQinq0Frame1() {
        byte[] frame = hex(""
                + "0010db88d2efc8bcc896d2a08100b0008100b000080045000040df8e400040066dd38d8ee405c096bb2be9d00050fe21"
                + "323a00000000b002ffff3bc00000020405b4010303040101080a164add200000000004020000"
        );
        assertEquals(DecodeResult.TCP, decoder.decode(frame, 0, frame.length, LinkType.ETHERNET, seg));
        assertEquals(4, seg.ipVersion);
        assertEquals("141.142.228.5", Addresses.format(seg.ipVersion, seg.srcHi, seg.srcLo));
        assertEquals("192.150.187.43", Addresses.format(seg.ipVersion, seg.dstHi, seg.dstLo));
        assertEquals(59856, seg.srcPort);
        assertEquals(80, seg.dstPort);
        assertEquals(4263588410L, seg.seq & 0xFFFFFFFFL);
        assertEquals(0L, seg.ack & 0xFFFFFFFFL);
        assertEquals(0x0002, seg.flags);
        assertEquals(44, seg.tcpHeaderLength);
        assertEquals(65535, seg.window);
        assertEquals(0, seg.payloadLength);
        assertEquals(0, seg.capturedPayloadLength);
        assertEquals(1460, seg.mss);
        assertEquals(4, seg.windowScale);
        assertEquals(true, seg.sackPermitted);
        assertEquals(true, seg.hasTimestamps);
        assertEquals(374005024L, seg.tsVal);
        assertEquals(0L, seg.tsEcr);
        assertEquals(0, seg.sackBlockCount);
        assertFalse(seg.optionsTruncated);
    }

    /** zeek/vlan-qinqinq.pcap frame 2 (LINKTYPE 1, 86 of 86 bytes). Expected values: tshark 4.0 {@code -T fields} on that frame. */
    @Test
    void vlanQinqinqFrame2() {
        byte[] frame = hex(""
                + "c8bcc896d2a00010db88d2ef8100001e810000148100000a08004500003c000040002f065e66c096bb2b8d8ee4050050"
                + "e9d0a5afce3efe21323ba01238902e500000020405b40402080a2f894259164add2001030307"
        );
        assertEquals(DecodeResult.TCP, decoder.decode(frame, 0, frame.length, LinkType.ETHERNET, seg));
        assertEquals(4, seg.ipVersion);
        assertEquals("192.150.187.43", Addresses.format(seg.ipVersion, seg.srcHi, seg.srcLo));
        assertEquals("141.142.228.5", Addresses.format(seg.ipVersion, seg.dstHi, seg.dstLo));
        assertEquals(80, seg.srcPort);
        assertEquals(59856, seg.dstPort);
        assertEquals(2779762238L, seg.seq & 0xFFFFFFFFL);
        assertEquals(4263588411L, seg.ack & 0xFFFFFFFFL);
        assertEquals(0x0012, seg.flags);
        assertEquals(40, seg.tcpHeaderLength);
        assertEquals(14480, seg.window);
        assertEquals(0, seg.payloadLength);
        assertEquals(0, seg.capturedPayloadLength);
        assertEquals(1460, seg.mss);
        assertEquals(7, seg.windowScale);
        assertEquals(true, seg.sackPermitted);
        assertEquals(true, seg.hasTimestamps);
        assertEquals(797524569L, seg.tsVal);
        assertEquals(374005024L, seg.tsEcr);
        assertEquals(0, seg.sackBlockCount);
        assertFalse(seg.optionsTruncated);
    }

    /** arkime/twovlan.pcap frame 2 (LINKTYPE 1, 82 of 82 bytes). Expected values: tshark 4.0 {@code -T fields} on that frame. */
    @Test
    void twovlanFrame2() {
        byte[] frame = hex(""
                + "000c29c12d2400090fdbf43e810000c9810090c808004500003c0000400036060d310a0000020a0000010050d4964ed7"
                + "7908c127fde8a0127120151d0000020405b40402080a872d7a1a3f02ee0301030309"
        );
        assertEquals(DecodeResult.TCP, decoder.decode(frame, 0, frame.length, LinkType.ETHERNET, seg));
        assertEquals(4, seg.ipVersion);
        assertEquals("10.0.0.2", Addresses.format(seg.ipVersion, seg.srcHi, seg.srcLo));
        assertEquals("10.0.0.1", Addresses.format(seg.ipVersion, seg.dstHi, seg.dstLo));
        assertEquals(80, seg.srcPort);
        assertEquals(54422, seg.dstPort);
        assertEquals(1322744072L, seg.seq & 0xFFFFFFFFL);
        assertEquals(3240623592L, seg.ack & 0xFFFFFFFFL);
        assertEquals(0x0012, seg.flags);
        assertEquals(40, seg.tcpHeaderLength);
        assertEquals(28960, seg.window);
        assertEquals(0, seg.payloadLength);
        assertEquals(0, seg.capturedPayloadLength);
        assertEquals(1460, seg.mss);
        assertEquals(9, seg.windowScale);
        assertEquals(true, seg.sackPermitted);
        assertEquals(true, seg.hasTimestamps);
        assertEquals(2267904538L, seg.tsVal);
        assertEquals(1057156611L, seg.tsEcr);
        assertEquals(0, seg.sackBlockCount);
        assertFalse(seg.optionsTruncated);
    }

    /** suricata-verify/decode-sll2-01.pcap frame 1 (LINKTYPE 276, 80 of 80 bytes). Expected values: tshark 4.0 {@code -T fields} on that frame. */
    @Test
    void decodeSll201Frame1() {
        byte[] frame = hex(""
                + "080000000000000200010406aa763071b0e700004500003c45a94000400670b0c0a801fdc0a80115dc9e00508b0b4393"
                + "00000000a002faf0d70c0000020405b40402080ac5be80530000000001030307"
        );
        assertEquals(DecodeResult.TCP, decoder.decode(frame, 0, frame.length, LinkType.LINUX_SLL2, seg));
        assertEquals(4, seg.ipVersion);
        assertEquals("192.168.1.253", Addresses.format(seg.ipVersion, seg.srcHi, seg.srcLo));
        assertEquals("192.168.1.21", Addresses.format(seg.ipVersion, seg.dstHi, seg.dstLo));
        assertEquals(56478, seg.srcPort);
        assertEquals(80, seg.dstPort);
        assertEquals(2332771219L, seg.seq & 0xFFFFFFFFL);
        assertEquals(0L, seg.ack & 0xFFFFFFFFL);
        assertEquals(0x0002, seg.flags);
        assertEquals(40, seg.tcpHeaderLength);
        assertEquals(64240, seg.window);
        assertEquals(0, seg.payloadLength);
        assertEquals(0, seg.capturedPayloadLength);
        assertEquals(1460, seg.mss);
        assertEquals(7, seg.windowScale);
        assertEquals(true, seg.sackPermitted);
        assertEquals(true, seg.hasTimestamps);
        assertEquals(3317596243L, seg.tsVal);
        assertEquals(0L, seg.tsEcr);
        assertEquals(0, seg.sackBlockCount);
        assertFalse(seg.optionsTruncated);
    }

    /** tcpdump/bigtcp-ipv6-hbh.pcap frame 1 (LINKTYPE 1, 160 of 80094 bytes, cut to the headers as if by snaplen). Expected values: tshark 4.0 {@code -T fields} on that frame. */
    @Test
    void bigtcpIpv6HbhFrame1() {
        byte[] frame = hex(""
                + "0600deadbeefb8cef6048b1486dd600a31ee00000040260413804091ce00000000000000000d260413804091ce000000"
                + "00000000000b0600c204000138a8a37bab892355b91295c7c02980180850c8eb00000101080a46bdbe60fc8cfa386e65"
                + "7470657266006e657470657266006e657470657266006e657470657266006e657470657266006e657470657266006e65"
                + "7470657266006e657470657266006e65"
        );
        assertEquals(DecodeResult.TCP, decoder.decode(frame, 0, frame.length, LinkType.ETHERNET, seg));
        assertEquals(6, seg.ipVersion);
        assertEquals("2604:1380:4091:ce00::d", Addresses.format(seg.ipVersion, seg.srcHi, seg.srcLo));
        assertEquals("2604:1380:4091:ce00::b", Addresses.format(seg.ipVersion, seg.dstHi, seg.dstLo));
        assertEquals(41851, seg.srcPort);
        assertEquals(43913, seg.dstPort);
        assertEquals(592820498L, seg.seq & 0xFFFFFFFFL);
        assertEquals(2512896041L, seg.ack & 0xFFFFFFFFL);
        assertEquals(0x0018, seg.flags);
        assertEquals(32, seg.tcpHeaderLength);
        assertEquals(2128, seg.window);
        assertEquals(80000, seg.payloadLength);
        assertEquals(frame.length - seg.tcpHeaderOffset - seg.tcpHeaderLength, seg.capturedPayloadLength);
        assertEquals(-1, seg.mss);
        assertEquals(-1, seg.windowScale);
        assertEquals(false, seg.sackPermitted);
        assertEquals(true, seg.hasTimestamps);
        assertEquals(1186840160L, seg.tsVal);
        assertEquals(4237097528L, seg.tsEcr);
        assertEquals(0, seg.sackBlockCount);
        assertFalse(seg.optionsTruncated);
    }

    /** tcpdump/ipv4_tcp_http_xml_tso.pcap frame 1 (LINKTYPE 1, 2030 of 2030 bytes). Expected values: tshark 4.0 {@code -T fields} on that frame. */
    @Test
    void ipv4TcpHttpXmlTsoFrame1() {
        byte[] frame = hex(""
                + "00000c07ac0178e7d164f80008004500000042c94000800600001e07b579c72b44a39a841f9070bb89c82b5b50d75018"
                + "0100df550000504f535420687474703a2f2f67776d2d6d6c2d61322e77736f6471612e636f6d2f2f7265736561726368"
                + "2f6d6f64756c652d6c6f616465722f6d6f64756c652d6c6f616465722e6173703f757365725f69643d74657374204854"
                + "54502f312e310d0a436f6e74656e742d547970653a20746578742f786d6c3b20636861727365743d7574662d380d0a53"
                + "4f4150416374696f6e3a2022220d0a557365722d4167656e743a20417869732f312e342d4c4953410d0a6c6973614672"
                + "616d65526f6f743a20747275650d0a6c6973614672616d6552656d6f746549503a203136392e3235342e3136392e3330"
                + "0d0a6c6973614672616d6549443a2033616531663062302d303239332d313165322d616131362d373865376431363466"
                + "3830340d0a486f73743a2067776d2d6d6c2d61322e77736f6471612e636f6d0d0a50726f78792d436f6e6e656374696f"
                + "6e3a204b6565702d416c6976650d0a436f6e74656e742d4c656e6774683a20313630370d0a0d0a3c3f786d6c20766572"
                + "73696f6e3d22312e302220656e636f64696e673d227574662d38223f3e3c736f61703a456e76656c6f706520786d6c6e"
                + "733a736f61703d22687474703a2f2f736368656d61732e786d6c736f61702e6f72672f736f61702f656e76656c6f7065"
                + "2f2220786d6c6e733a7873693d22687474703a2f2f7777772e77332e6f72672f323030312f584d4c536368656d612d69"
                + "6e7374616e63652220786d6c6e733a7873643d22687474703a2f2f7777772e77332e6f72672f323030312f584d4c5363"
                + "68656d61223e3c736f61703a426f64793e3c476574526573706f6e736520786d6c6e733d22687474703a2f2f74656d70"
                + "7572692e6f72672f223e3c7265713e3c776774207749443d22313433223e3c696e70743e3c6d78526c746d3e66616c73"
                + "653c2f6d78526c746d3e3c686c64733e3c486f6c64696e6773436f756e743e303c2f486f6c64696e6773436f756e743e"
                + "3c2f686c64733e3c77746c737473202f3e3c426f6e6454797065202f3e3c4973436f6c6c61707365643e66616c73653c"
                + "2f4973436f6c6c61707365643e3c2f696e70743e3c2f7767743e3c776774207749443d22313531223e3c696e70743e3c"
                + "6d78526c746d3e66616c73653c2f6d78526c746d3e3c6c6e6b55726c733e3c75726c3e3c6b65793e52554e5f52495265"
                + "766965774d61726b65747355495f5265764d6b744e6577733c2f6b65793e3c76616c3e2f52495265766965774d61726b"
                + "65747355492f5265764d6b744e6577732e617370783c2f76616c3e3c2f75726c3e3c75726c3e3c6b65793e52554e5f52"
                + "495265766965774d61726b65747355495f5265764d6b744e65777346756c6c53746f72793c2f6b65793e3c76616c3e2f"
                + "52495265766965774d61726b65747355492f5265764d6b744e65777346756c6c53746f72792e617370783c2f76616c3e"
                + "3c2f75726c3e3c2f6c6e6b55726c733e3c426f6e6454797065202f3e3c4973436f6c6c61707365643e66616c73653c2f"
                + "4973436f6c6c61707365643e3c2f696e70743e3c2f7767743e3c776774207749443d22313434223e3c696e70743e3c6d"
                + "78526c746d3e66616c73653c2f6d78526c746d3e3c426f6e6454797065202f3e3c4973436f6c6c61707365643e66616c"
                + "73653c2f4973436f6c6c61707365643e3c2f696e70743e3c2f7767743e3c776774207749443d22313436223e3c696e70"
                + "743e3c6d78526c746d3e66616c73653c2f6d78526c746d3e3c6c6e6b55726c733e3c75726c3e3c6b65793e52554e5f52"
                + "4953746f636b7355495f524953746f636b734f766572766965773c2f6b65793e3c76616c3e2f524953746f636b735549"
                + "2f524953746f636b734f766572766965772e617370783c2f76616c3e3c2f75726c3e3c75726c3e3c6b65793e52554e5f"
                + "52494d757475616c46756e647355495f52494d464f766572766965773c2f6b65793e3c76616c3e2f52494d757475616c"
                + "46756e647355492f52494d464f766572766965772e617370783c2f76616c3e3c2f75726c3e3c75726c3e3c6b65793e52"
                + "554e5f52494574667355495f5249457466734f766572766965773c2f6b65793e3c76616c3e2f52494574667355492f52"
                + "49457466734f766572766965772e617370783c2f76616c3e3c2f75726c3e3c75726c3e3c6b65793e52554e5f52494f70"
                + "74696f6e7355495f52494f7074696f6e734f766572766965773c2f6b65793e3c76616c3e2f52494f7074696f6e735549"
                + "2f52494f7074696f6e734f766572766965772e617370783c2f76616c3e3c2f75726c3e3c2f6c6e6b55726c733e3c426f"
                + "6e6454797065202f3e3c4973436f6c6c61707365643e66616c73653c2f4973436f6c6c61707365643e3c2f696e70743e"
                + "3c2f7767743e3c776774207749443d22313435223e3c696e70743e3c6d78526c746d3e66616c73653c2f6d78526c746d"
                + "3e3c426f6e6454797065202f3e3c4973436f6c6c61707365643e66616c73653c2f4973436f6c6c61707365643e3c2f69"
                + "6e70743e3c2f7767743e3c776774207749443d22313437223e3c696e70743e3c6d78526c746d3e66616c73653c2f6d78"
                + "526c746d3e3c426f6e6454797065202f3e3c4973436f6c6c61707365643e66616c73653c2f4973436f6c6c6170736564"
                + "3e3c2f696e70743e3c2f7767743e3c2f7265713e3c2f476574526573706f6e73653e3c2f736f61703a426f64793e3c2f"
                + "736f61703a456e76656c6f70653e"
        );
        assertEquals(DecodeResult.TCP, decoder.decode(frame, 0, frame.length, LinkType.ETHERNET, seg));
        assertEquals(4, seg.ipVersion);
        assertEquals("30.7.181.121", Addresses.format(seg.ipVersion, seg.srcHi, seg.srcLo));
        assertEquals("199.43.68.163", Addresses.format(seg.ipVersion, seg.dstHi, seg.dstLo));
        assertEquals(39556, seg.srcPort);
        assertEquals(8080, seg.dstPort);
        assertEquals(1891338696L, seg.seq & 0xFFFFFFFFL);
        assertEquals(727404759L, seg.ack & 0xFFFFFFFFL);
        assertEquals(0x0018, seg.flags);
        assertEquals(20, seg.tcpHeaderLength);
        assertEquals(256, seg.window);
        assertEquals(1976, seg.payloadLength);
        assertEquals(1976, seg.capturedPayloadLength);
        assertEquals(-1, seg.mss);
        assertEquals(-1, seg.windowScale);
        assertEquals(false, seg.sackPermitted);
        assertEquals(false, seg.hasTimestamps);
        assertEquals(0, seg.sackBlockCount);
        assertFalse(seg.optionsTruncated);
    }

    /** zeek/ftp-ipv6.pcap frame 1 (LINKTYPE 1, 98 of 98 bytes). Expected values: tshark 4.0 {@code -T fields} on that frame. */
    @Test
    void ftpIpv6Frame1() {
        byte[] frame = hex(""
                + "d8306248c5b5c42c033b6caa86dd60000000002c0640200104701f11081fc9990d94aa7c2e3e20010470486700990000"
                + "000000000021c0210015268a7e5f00000000b002ffff44890000020405a0010303010101080a3a01ea4e000000000402"
                + "0000"
        );
        assertEquals(DecodeResult.TCP, decoder.decode(frame, 0, frame.length, LinkType.ETHERNET, seg));
        assertEquals(6, seg.ipVersion);
        assertEquals("2001:470:1f11:81f:c999:d94:aa7c:2e3e", Addresses.format(seg.ipVersion, seg.srcHi, seg.srcLo));
        assertEquals("2001:470:4867:99::21", Addresses.format(seg.ipVersion, seg.dstHi, seg.dstLo));
        assertEquals(49185, seg.srcPort);
        assertEquals(21, seg.dstPort);
        assertEquals(646610527L, seg.seq & 0xFFFFFFFFL);
        assertEquals(0L, seg.ack & 0xFFFFFFFFL);
        assertEquals(0x0002, seg.flags);
        assertEquals(44, seg.tcpHeaderLength);
        assertEquals(65535, seg.window);
        assertEquals(0, seg.payloadLength);
        assertEquals(0, seg.capturedPayloadLength);
        assertEquals(1440, seg.mss);
        assertEquals(1, seg.windowScale);
        assertEquals(true, seg.sackPermitted);
        assertEquals(true, seg.hasTimestamps);
        assertEquals(973204046L, seg.tsVal);
        assertEquals(0L, seg.tsEcr);
        assertEquals(0, seg.sackBlockCount);
        assertFalse(seg.optionsTruncated);
    }

    /** gopacket/test_loopback.pcap frame 1 (LINKTYPE 0, 560 of 560 bytes). Expected values: tshark 4.0 {@code -T fields} on that frame. */
    @Test
    void testLoopbackFrame1() {
        byte[] frame = hex(""
                + "1e00000060000000020406400000000000000000000000000000000100000000000000000000000000000001e5af1f90"
                + "089716660a6566ef801828e9020c00000101080a05c08cfc05c0388c474554202f706b672f6769746875622e636f6d2f"
                + "67636f6e6e656c6c2f676f7061636b65742f20485454502f312e310d0a486f73743a206c6f63616c686f73743a383038"
                + "300d0a436f6e6e656374696f6e3a206b6565702d616c6976650d0a43616368652d436f6e74726f6c3a206d61782d6167"
                + "653d300d0a557365722d4167656e743a204d6f7a696c6c612f352e3020284d6163696e746f73683b20496e74656c204d"
                + "6163204f5320582031305f385f3229204170706c655765624b69742f3533372e313120284b48544d4c2c206c696b6520"
                + "4765636b6f29204368726f6d652f32332e302e313237312e313031205361666172692f3533372e31310d0a4163636570"
                + "743a20746578742f68746d6c2c6170706c69636174696f6e2f7868746d6c2b786d6c2c6170706c69636174696f6e2f78"
                + "6d6c3b713d302e392c2a2f2a3b713d302e380d0a526566657265723a20687474703a2f2f6c6f63616c686f73743a3830"
                + "38302f706b672f0d0a4163636570742d456e636f64696e673a20677a69702c6465666c6174652c736463680d0a416363"
                + "6570742d4c616e67756167653a20656e2d55532c656e3b713d302e380d0a4163636570742d436861727365743a204953"
                + "4f2d383835392d312c7574662d383b713d302e372c2a3b713d302e330d0a0d0a"
        );
        assertEquals(DecodeResult.TCP, decoder.decode(frame, 0, frame.length, LinkType.NULL, seg));
        assertEquals(6, seg.ipVersion);
        assertEquals("::1", Addresses.format(seg.ipVersion, seg.srcHi, seg.srcLo));
        assertEquals("::1", Addresses.format(seg.ipVersion, seg.dstHi, seg.dstLo));
        assertEquals(58799, seg.srcPort);
        assertEquals(8080, seg.dstPort);
        assertEquals(144119398L, seg.seq & 0xFFFFFFFFL);
        assertEquals(174417647L, seg.ack & 0xFFFFFFFFL);
        assertEquals(0x0018, seg.flags);
        assertEquals(32, seg.tcpHeaderLength);
        assertEquals(10473, seg.window);
        assertEquals(484, seg.payloadLength);
        assertEquals(484, seg.capturedPayloadLength);
        assertEquals(-1, seg.mss);
        assertEquals(-1, seg.windowScale);
        assertEquals(false, seg.sackPermitted);
        assertEquals(true, seg.hasTimestamps);
        assertEquals(96505084L, seg.tsVal);
        assertEquals(96483468L, seg.tsEcr);
        assertEquals(0, seg.sackBlockCount);
        assertFalse(seg.optionsTruncated);
    }

    /** arkime/http-empty-useragent.pcap frame 4 (LINKTYPE 0, 76 of 76 bytes). Expected values: tshark 4.0 {@code -T fields} on that frame. */
    @Test
    void httpEmptyUseragentFrame4() {
        byte[] frame = hex(""
                + "1e00000060001f3800200640000000000000000000000000000000010000000000000000000000000000000123f0e17a"
                + "eade16d59e328837801031c7002800000101080a42f903ad42f903ad"
        );
        assertEquals(DecodeResult.TCP, decoder.decode(frame, 0, frame.length, LinkType.NULL, seg));
        assertEquals(6, seg.ipVersion);
        assertEquals("::1", Addresses.format(seg.ipVersion, seg.srcHi, seg.srcLo));
        assertEquals("::1", Addresses.format(seg.ipVersion, seg.dstHi, seg.dstLo));
        assertEquals(9200, seg.srcPort);
        assertEquals(57722, seg.dstPort);
        assertEquals(3940423381L, seg.seq & 0xFFFFFFFFL);
        assertEquals(2654111799L, seg.ack & 0xFFFFFFFFL);
        assertEquals(0x0010, seg.flags);
        assertEquals(32, seg.tcpHeaderLength);
        assertEquals(12743, seg.window);
        assertEquals(0, seg.payloadLength);
        assertEquals(0, seg.capturedPayloadLength);
        assertEquals(-1, seg.mss);
        assertEquals(-1, seg.windowScale);
        assertEquals(false, seg.sackPermitted);
        assertEquals(true, seg.hasTimestamps);
        assertEquals(1123615661L, seg.tsVal);
        assertEquals(1123615661L, seg.tsEcr);
        assertEquals(0, seg.sackBlockCount);
        assertFalse(seg.optionsTruncated);
    }

    /** zeek/tcp-payload-syn.pcap frame 1 (LINKTYPE 101, 140 of 140 bytes). Expected values: tshark 4.0 {@code -T fields} on that frame. */
    @Test
    void tcpPayloadSynFrame1() {
        byte[] frame = hex(""
                + "4500008c000100004006f917c0a80001c0a80002005000500000000a0000000050022000c4e20000474554202f2f696e"
                + "6465782e7068703f706167653d2e2e2f2e2e2f2e2e2f6574632f70617373776420485454502f312e310d0a557365722d"
                + "4167656e743a20637a787432730d0a4163636570743a202a2f2a0d0a0d0a0000000000000000000000000000"
        );
        assertEquals(DecodeResult.TCP, decoder.decode(frame, 0, frame.length, LinkType.RAW, seg));
        assertEquals(4, seg.ipVersion);
        assertEquals("192.168.0.1", Addresses.format(seg.ipVersion, seg.srcHi, seg.srcLo));
        assertEquals("192.168.0.2", Addresses.format(seg.ipVersion, seg.dstHi, seg.dstLo));
        assertEquals(80, seg.srcPort);
        assertEquals(80, seg.dstPort);
        assertEquals(10L, seg.seq & 0xFFFFFFFFL);
        assertEquals(0L, seg.ack & 0xFFFFFFFFL);
        assertEquals(0x0002, seg.flags);
        assertEquals(20, seg.tcpHeaderLength);
        assertEquals(8192, seg.window);
        assertEquals(100, seg.payloadLength);
        assertEquals(100, seg.capturedPayloadLength);
        assertEquals(-1, seg.mss);
        assertEquals(-1, seg.windowScale);
        assertEquals(false, seg.sackPermitted);
        assertEquals(false, seg.hasTimestamps);
        assertEquals(0, seg.sackBlockCount);
        assertFalse(seg.optionsTruncated);
    }

    /** suricata-verify/linktype-228-flow-test-01.pcap frame 1 (LINKTYPE 228, 40 of 40 bytes). Expected values: tshark 4.0 {@code -T fields} on that frame. */
    @Test
    void linktype228FlowTest01Frame1() {
        byte[] frame = hex(""
                + "45000028000100004006f97bc0a80002c0a800013ad101bb0000000a0000000050022000d1f80000"
        );
        assertEquals(DecodeResult.TCP, decoder.decode(frame, 0, frame.length, LinkType.IPV4, seg));
        assertEquals(4, seg.ipVersion);
        assertEquals("192.168.0.2", Addresses.format(seg.ipVersion, seg.srcHi, seg.srcLo));
        assertEquals("192.168.0.1", Addresses.format(seg.ipVersion, seg.dstHi, seg.dstLo));
        assertEquals(15057, seg.srcPort);
        assertEquals(443, seg.dstPort);
        assertEquals(10L, seg.seq & 0xFFFFFFFFL);
        assertEquals(0L, seg.ack & 0xFFFFFFFFL);
        assertEquals(0x0002, seg.flags);
        assertEquals(20, seg.tcpHeaderLength);
        assertEquals(8192, seg.window);
        assertEquals(0, seg.payloadLength);
        assertEquals(0, seg.capturedPayloadLength);
        assertEquals(-1, seg.mss);
        assertEquals(-1, seg.windowScale);
        assertEquals(false, seg.sackPermitted);
        assertEquals(false, seg.hasTimestamps);
        assertEquals(0, seg.sackBlockCount);
        assertFalse(seg.optionsTruncated);
    }

    /** suricata-verify/bug-4376-syn_retransmit_with_ts.pcap frame 66 (LINKTYPE 1, 102 of 102 bytes). Expected values: tshark 4.0 {@code -T fields} on that frame. */
    @Test
    void bug4376SynRetransmitWithTsFrame66() {
        byte[] frame = hex(""
                + "00505601127600505601127081000c40080045000050d7524000400657e30a26fb920a26fb93825c00509c9de9d05a36"
                + "2c72f01003fc2c1d00000101080a05313f6e05307b630101051a5a367ba25a36814a5a3659b25a3675fa5a36321a5a36"
                + "540adbfba13f"
        );
        assertEquals(DecodeResult.TCP, decoder.decode(frame, 0, frame.length, LinkType.ETHERNET, seg));
        assertEquals(4, seg.ipVersion);
        assertEquals("10.38.251.146", Addresses.format(seg.ipVersion, seg.srcHi, seg.srcLo));
        assertEquals("10.38.251.147", Addresses.format(seg.ipVersion, seg.dstHi, seg.dstLo));
        assertEquals(33372, seg.srcPort);
        assertEquals(80, seg.dstPort);
        assertEquals(2627594704L, seg.seq & 0xFFFFFFFFL);
        assertEquals(1513499762L, seg.ack & 0xFFFFFFFFL);
        assertEquals(0x0010, seg.flags);
        assertEquals(60, seg.tcpHeaderLength);
        assertEquals(1020, seg.window);
        assertEquals(0, seg.payloadLength);
        assertEquals(0, seg.capturedPayloadLength);
        assertEquals(-1, seg.mss);
        assertEquals(-1, seg.windowScale);
        assertEquals(false, seg.sackPermitted);
        assertEquals(true, seg.hasTimestamps);
        assertEquals(87113582L, seg.tsVal);
        assertEquals(87063395L, seg.tsEcr);
        assertEquals(3, seg.sackBlockCount);
        assertEquals(1513520034L, seg.sackBlocks[0] & 0xFFFFFFFFL);
        assertEquals(1513521482L, seg.sackBlocks[1] & 0xFFFFFFFFL);
        assertEquals(1513511346L, seg.sackBlocks[2] & 0xFFFFFFFFL);
        assertEquals(1513518586L, seg.sackBlocks[3] & 0xFFFFFFFFL);
        assertEquals(1513501210L, seg.sackBlocks[4] & 0xFFFFFFFFL);
        assertEquals(1513509898L, seg.sackBlocks[5] & 0xFFFFFFFFL);
        assertFalse(seg.optionsTruncated);
    }
}
