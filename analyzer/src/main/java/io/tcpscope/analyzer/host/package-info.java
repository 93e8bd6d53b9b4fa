/**
 * Host snapshots: the kernel's own socket table, as {@code ss} prints it, read from a file
 * so that a capture can be joined with what the hosts at either end held.
 *
 * <p>{@link io.tcpscope.analyzer.host.HostSnapshotParser} reads the output of
 * {@code ss -tanpoie}, {@code ss -tanoi}, {@code ss -tan} (any of {@code -p -o -i -e -m},
 * with or without the header line) into an immutable
 * {@link io.tcpscope.analyzer.host.HostSnapshot} of
 * {@link io.tcpscope.analyzer.host.HostSocket}s, looked up by 4-tuple. The file format,
 * including the {@code # taken at} header tcpscope defines, is documented in the README
 * ("Host snapshots").
 */
package io.tcpscope.analyzer.host;
