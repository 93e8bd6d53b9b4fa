package io.tcpscope.analyzer.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations such as {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 1.5s}; a bare number is seconds. */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|ms|s|m|h)?");

    private Durations() {
    }

    /** @return nanoseconds */
    public static long parse(String text) throws UsageException {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new UsageException("invalid duration '" + text + "' (use e.g. 500ms, 30s, 2m, 1h)");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double scale;
        switch (unit) {
            case "ns": scale = 1; break;
            case "us": scale = 1e3; break;
            case "ms": scale = 1e6; break;
            case "s": scale = 1e9; break;
            case "m": scale = 60e9; break;
            case "h": scale = 3600e9; break;
            default: throw new UsageException("invalid duration unit '" + unit + "'");
        }
        double nanos = value * scale;
        if (nanos > Long.MAX_VALUE / 2) {
            throw new UsageException("duration too long: '" + text + "'");
        }
        return Math.round(nanos);
    }
}
