package io.tcpscope.analyzer.report;

import io.tcpscope.analyzer.decode.Addresses;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.tcp.Endpoint;

/** Text forms shared by every report. */
public final class Format {
    private Format() {
    }

    /** The endpoint's address in RFC 5952 form. */
    public static String ip(Endpoint e) {
        return Addresses.format(e.ipVersion(), e.addressHi(), e.addressLo());
    }

    /** {@code 10.0.0.1:80} or {@code [2001:db8::1]:80}. */
    public static String endpoint(Endpoint e) {
        String ip = ip(e);
        return (e.ipVersion() == 6 ? "[" + ip + "]" : ip) + ":" + e.port();
    }

    /** {@code 10.0.0.1:80} or {@code [2001:db8::1]:80}. */
    public static String endpoint(ConnectionRecord.Side e) {
        return e.endpoint();
    }

    /** Epoch seconds with 6 decimals, or 9 when the timestamp has sub-microsecond digits. */
    public static String epochSeconds(long nanos) {
        long sec = Math.floorDiv(nanos, 1_000_000_000L);
        long frac = Math.floorMod(nanos, 1_000_000_000L);
        if (frac % 1000 == 0) {
            return sec + "." + pad(frac / 1000, 6);
        }
        return sec + "." + pad(frac, 9);
    }

    /** A duration in seconds with 6 decimals, for JSON. */
    public static String durationSeconds(long nanos) {
        String sign = nanos < 0 ? "-" : "";
        long n = Math.abs(nanos);
        return sign + (n / 1_000_000_000L) + "." + pad((n % 1_000_000_000L) / 1000, 6);
    }

    /** A duration for people: {@code 320us}, {@code 850ms}, {@code 35.2s}, {@code 12m03s}, {@code 2h05m}. */
    public static String seconds(long nanos) {
        if (nanos < 0) {
            nanos = 0;
        }
        if (nanos < 1_000_000L) {
            return (nanos / 1000) + "us";
        }
        long ms = nanos / 1_000_000L;
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return (ms / 1000) + "." + (ms % 1000) / 100 + "s";
        }
        long s = ms / 1000;
        if (s < 3600) {
            return (s / 60) + "m" + pad(s % 60, 2) + "s";
        }
        return (s / 3600) + "h" + pad((s % 3600) / 60, 2) + "m";
    }

    private static String pad(long value, int width) {
        String s = Long.toString(value);
        StringBuilder sb = new StringBuilder(width);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s).toString();
    }
}
