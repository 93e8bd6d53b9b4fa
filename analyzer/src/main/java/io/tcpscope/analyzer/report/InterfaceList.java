package io.tcpscope.analyzer.report;

import io.tcpscope.capture.live.InterfaceInfo;
import java.io.PrintStream;
import java.util.List;

/** {@code tcpscope interfaces}: the capture devices as a table, or one JSON object per line. */
public final class InterfaceList {
    private static final String ROW = "%-18s %-20s %-28s %-40s %s%n";

    private InterfaceList() {
    }

    public static void text(PrintStream out, List<InterfaceInfo> interfaces) {
        out.printf(ROW, "NAME", "FLAGS", "LINK-TYPE", "ADDRESSES", "DESCRIPTION");
        for (InterfaceInfo i : interfaces) {
            StringBuilder addresses = new StringBuilder();
            for (InterfaceInfo.Address a : i.addresses()) {
                addresses.append(addresses.length() == 0 ? "" : ",").append(address(a.address()));
            }
            out.printf(ROW, i.name(), String.join(",", flags(i)), i.linkTypeName(),
                    addresses.length() == 0 ? "-" : addresses, i.description().isEmpty() ? "-" : i.description());
        }
    }

    public static void jsonl(PrintStream out, List<InterfaceInfo> interfaces) {
        JsonWriter json = new JsonWriter();
        for (InterfaceInfo i : interfaces) {
            JsonWriter j = json.begin().open();
            j.field("type", "interface").field("name", i.name()).field("description", i.description());
            j.array("flags");
            for (String f : flags(i)) {
                j.value(f);
            }
            j.endArray();
            j.field("link_type", i.linkTypeName());
            j.array("addresses");
            for (InterfaceInfo.Address a : i.addresses()) {
                j.open().field("address", address(a.address()));
                if (a.netmask() == null) {
                    j.nullField("netmask");
                } else {
                    j.field("netmask", address(a.netmask()));
                }
                j.close();
            }
            j.endArray();
            j.close();
            out.println(j.text());
        }
    }

    /** RFC 5952 text (IPv6 compressed, lowercase), as everywhere else in tcpscope's output; no zone. */
    static String address(java.net.InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 4) {
            return a.getHostAddress();
        }
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b);
        return io.tcpscope.analyzer.decode.Addresses.format(6, buf.getLong(), buf.getLong());
    }

    private static List<String> flags(InterfaceInfo i) {
        java.util.ArrayList<String> f = new java.util.ArrayList<>(3);
        if (i.up()) {
            f.add("up");
        }
        if (i.running()) {
            f.add("running");
        }
        if (i.loopback()) {
            f.add("loopback");
        }
        return f;
    }
}
