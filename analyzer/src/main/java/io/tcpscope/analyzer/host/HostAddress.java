package io.tcpscope.analyzer.host;

import io.tcpscope.analyzer.decode.Addresses;

/**
 * One end of a socket as ss prints it ({@code 10.0.0.9:8080}, {@code [2001:db8::1]:443},
 * {@code [fe80::1]%eth0:22}, {@code *:8080}, {@code 0.0.0.0:*}), parsed.
 *
 * <p>Addresses are held as {@link Addresses} does (IPv4: {@code hi = 0}, {@code lo} = the 32
 * bits), so they compare with the capture's. An IPv4-mapped IPv6 address
 * ({@code [::ffff:10.0.0.1]}, a dual-stack socket talking IPv4) is held as the IPv4 address
 * the packets carry, with {@link #mapped()} set.
 *
 * @param ipVersion 4 or 6; 0 for ss's {@code *} (any address, any family)
 * @param hi        upper 64 bits (IPv6) or 0
 * @param lo        lower 64 bits (IPv6) or the IPv4 address
 * @param port      the port, or -1 for ss's {@code *} (a listener's peer, an unbound port)
 * @param scope     the interface ss printed after {@code %} (scope id or SO_BINDTODEVICE), or {@code null}
 * @param mapped    whether ss printed the address as IPv4-mapped IPv6
 */
public record HostAddress(int ipVersion, long hi, long lo, int port, String scope, boolean mapped) {

    /** Port value for ss's {@code *}. */
    public static final int ANY_PORT = -1;

    /** Whether the address is a wildcard: ss's {@code *}, {@code 0.0.0.0} or {@code [::]}. */
    public boolean anyAddress() {
        return ipVersion == 0 || (hi == 0 && lo == 0);
    }

    /** The address as text ({@code 10.0.0.9}, {@code 2001:db8::1}), {@code *} for the wildcard. */
    public String ip() {
        return ipVersion == 0 ? "*" : Addresses.format(ipVersion, hi, lo);
    }

    /** Whether this is the given address and port (both families as {@link Addresses} holds them). */
    public boolean is(int version, long addressHi, long addressLo, int p) {
        return ipVersion == version && hi == addressHi && lo == addressLo && port == p;
    }

    /**
     * Whether a listener bound here accepts connections to the given address and port: same
     * port, and the same address or a wildcard (an IPv6 wildcard also takes IPv4 unless the
     * socket is v6only, which ss -e shows and this does not check).
     */
    public boolean accepts(int version, long addressHi, long addressLo, int p) {
        if (port != p) {
            return false;
        }
        if (anyAddress()) {
            return ipVersion == 0 || ipVersion == 6 || version == ipVersion;
        }
        return ipVersion == version && hi == addressHi && lo == addressLo;
    }

    /** As ss prints it, normalized: {@code 10.0.0.9:8080}, {@code [2001:db8::1]:443}, {@code *:*}. */
    @Override
    public String toString() {
        String a = ipVersion == 6 ? "[" + ip() + "]" : ip();
        return a + (scope != null ? "%" + scope : "") + ":" + (port == ANY_PORT ? "*" : Integer.toString(port));
    }

    /**
     * Parses one ss address column.
     *
     * @return the address, or {@code null} with {@code why[0]} set when it is not one
     */
    static HostAddress parse(String text, String[] why) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            why[0] = "expected ADDRESS:PORT, found '" + text + "'";
            return null;
        }
        String portText = text.substring(colon + 1);
        int port;
        if (portText.equals("*")) {
            port = ANY_PORT;
        } else {
            port = parsePort(portText);
            if (port < 0) {
                why[0] = "port '" + portText + "' in '" + text + "' is not a number from 0 to 65535"
                    + (Character.isLetter(portText.charAt(0)) ? " (run ss with -n: numeric ports)" : "");
                return null;
            }
        }
        String host = text.substring(0, colon);
        String scope = null;
        if (host.startsWith("[")) {
            // ss prints "[2001:db8::1]:443" and "[fe80::1]%eth0:22"; "[fe80::1%eth0]" is taken too
            int close = host.indexOf(']');
            if (close < 0) {
                why[0] = "unbalanced brackets in '" + text + "'";
                return null;
            }
            String rest = host.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith("%")) {
                why[0] = "unexpected '" + rest + "' after ']' in '" + text + "'";
                return null;
            }
            scope = rest.isEmpty() ? null : rest.substring(1);
            host = host.substring(1, close);
        } else if (host.endsWith("]")) {
            why[0] = "unbalanced brackets in '" + text + "'";
            return null;
        }
        int percent = host.indexOf('%');
        if (percent >= 0) {
            if (scope != null) {
                why[0] = "two interface names in '" + text + "'";
                return null;
            }
            scope = host.substring(percent + 1);
            host = host.substring(0, percent);
        }
        if (scope != null && scope.isEmpty()) {
            why[0] = "empty interface name after '%' in '" + text + "'";
            return null;
        }
        if (host.equals("*")) {
            return new HostAddress(0, 0, 0, port, scope, false);
        }
        Addresses.Address a;
        try {
            a = Addresses.parse(host);
        } catch (IllegalArgumentException e) {
            why[0] = "'" + host + "' in '" + text + "' is not an IP address"
                + (host.chars().anyMatch(Character::isLetter) && host.indexOf(':') < 0
                ? " (run ss with -n: numeric addresses)" : "");
            return null;
        }
        if (a.ipVersion == 6 && a.hi == 0 && (a.lo >>> 32) == 0xFFFFL) {
            return new HostAddress(4, 0, a.lo & 0xFFFF_FFFFL, port, scope, true);
        }
        return new HostAddress(a.ipVersion, a.hi, a.lo, port, scope, false);
    }

    private static int parsePort(String s) {
        if (s.isEmpty() || s.length() > 5) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= 65535 ? v : -1;
    }
}
