/**
 * Packet header decoders: zero-allocation flyweight views of link-layer (Ethernet, VLAN
 * tags, Linux cooked v1/v2, BSD loopback), IPv4, IPv6 (with extension headers) and TCP
 * headers, and {@link io.tcpscope.analyzer.decode.PacketDecoder}, which chains them and
 * copies the TCP fields into a reused {@link io.tcpscope.analyzer.decode.TcpSegment}.
 */
package io.tcpscope.analyzer.decode;
