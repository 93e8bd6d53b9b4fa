package io.tcpscope.analyzer.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What {@code zeek-cut} does with a Zeek ASCII log, strictly: the header lines in the writer's
 * order, {@code #fields} and {@code #types} of equal length, every row with exactly that many
 * tab-separated values, {@code #close} last. Also reads Zeek's btest baselines (timestamps
 * canonified, a {@code ###} line first) and zeek-cut output (a header row of names, no
 * {@code #} lines) with {@link #lenient}.
 */
public record ZeekLog(List<String> fields, List<String> types, String open, String close,
                      List<Map<String, String>> rows) {
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}");

    /** Parses a conn.log as the ASCII writer prints it; throws AssertionError on any deviation. */
    public static ZeekLog strict(String text) {
        if (!text.endsWith("\n")) {
            throw new AssertionError("no newline at the end");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        String[] expect = {"#separator \\x09", "#set_separator\t,", "#empty_field\t(empty)", "#unset_field\t-",
            "#path\tconn"};
        if (lines.length < 9) {
            throw new AssertionError("too short: " + lines.length + " lines");
        }
        for (int i = 0; i < expect.length; i++) {
            if (!lines[i].equals(expect[i])) {
                throw new AssertionError("line " + (i + 1) + ": '" + lines[i] + "', want '" + expect[i] + "'");
            }
        }
        String open = value(lines[5], "#open");
        if (!TIME.matcher(open).matches()) {
            throw new AssertionError("#open time '" + open + "'");
        }
        List<String> fields = List.of(value(lines[6], "#fields").split("\t", -1));
        List<String> types = List.of(value(lines[7], "#types").split("\t", -1));
        if (fields.size() != types.size()) {
            throw new AssertionError(fields.size() + " fields, " + types.size() + " types");
        }
        String close = value(lines[lines.length - 1], "#close");
        if (!TIME.matcher(close).matches()) {
            throw new AssertionError("#close time '" + close + "'");
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 8; i < lines.length - 1; i++) {
            if (lines[i].startsWith("#")) {
                throw new AssertionError("line " + (i + 1) + ": a # line among the rows");
            }
            String[] v = lines[i].split("\t", -1);
            if (v.length != fields.size()) {
                throw new AssertionError("line " + (i + 1) + ": " + v.length + " values for " + fields.size() + " fields");
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int k = 0; k < v.length; k++) {
                if (v[k].isEmpty()) {
                    throw new AssertionError("line " + (i + 1) + ": empty value for " + fields.get(k)
                            + " (Zeek writes - or (empty))");
                }
                row.put(fields.get(k), v[k]);
            }
            rows.add(row);
        }
        return new ZeekLog(fields, types, open, close, rows);
    }

    private static String value(String line, String keyword) {
        if (!line.startsWith(keyword + "\t")) {
            throw new AssertionError("want " + keyword + ", got '" + line + "'");
        }
        return line.substring(keyword.length() + 1);
    }

    /** A btest baseline or zeek-cut output: {@code #fields} if there is one, else the first plain line names the columns. */
    public static ZeekLog lenient(String text) {
        List<String> fields = null;
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("###") || line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#fields\t")) {
                fields = List.of(line.substring(8).split("\t", -1));
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            String[] v = line.split("\t", -1);
            if (fields == null) {
                fields = List.of(v);
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int k = 0; k < v.length && k < fields.size(); k++) {
                row.put(fields.get(k), v[k]);
            }
            rows.add(row);
        }
        return new ZeekLog(fields == null ? List.of() : fields, List.of(), null, null, rows);
    }
}
