package io.tcpscope.analyzer.report.ladder;

import io.tcpscope.analyzer.diagnosis.Diagnosis;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.Transition;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link Ladder} for a terminal: the client's column left, the server's right, one arrow per
 * row between them, time and frame on the left, each endpoint's state on its own side. UTF-8
 * box drawing, or plain ASCII ({@link #ascii}).
 */
public final class TextLadder {
    /** Longest arrow label; longer ones are cut with an ellipsis. */
    public static final int MAX_LABEL = 64;

    private final boolean ascii;
    private final boolean absolute;

    /**
     * @param ascii    ASCII only (for terminals without UTF-8)
     * @param absolute absolute UTC times instead of times relative to the first packet
     */
    public TextLadder(boolean ascii, boolean absolute) {
        this.ascii = ascii;
        this.absolute = absolute;
    }

    /** Whether the environment's locale (LC_ALL, LC_CTYPE, LANG, in that order) is not UTF-8. */
    public static boolean asciiLocale(Map<String, String> env) {
        for (String k : new String[] {"LC_ALL", "LC_CTYPE", "LANG"}) {
            String v = env.get(k);
            if (v != null && !v.isEmpty()) {
                String u = v.toUpperCase(Locale.ROOT);
                return !(u.contains("UTF-8") || u.contains("UTF8"));
            }
        }
        return true;
    }

    public String render(Ladder ladder) {
        ConnectionRecord r = ladder.record();
        String vline = ascii ? "|" : "\u2502";
        int leftWidth = "CLIENT".length();
        int rightWidth = 0;
        int labelWidth = 24;
        for (Ladder.Row row : ladder.rows()) {
            if (row.client() != null) {
                leftWidth = Math.max(leftWidth, Ladder.stateText(row.client()).length());
            }
            if (row.server() != null) {
                rightWidth = Math.max(rightWidth, Ladder.stateText(row.server()).length());
            }
            labelWidth = Math.max(labelWidth, Math.min(MAX_LABEL, row.kind() == Ladder.Kind.FOLD ? row.label().length() - 4
                    : fullLabel(row).length()));
        }
        int arrowWidth = labelWidth + 6;
        int timeWidth = absolute ? 15 : 10;
        StringBuilder b = new StringBuilder();
        b.append("connection ").append(r.id()).append(": client ").append(r.client().endpoint())
                .append(ascii ? " <-> " : " \u21c4 ").append("server ").append(r.server().endpoint()).append('\n');
        b.append(absolute ? "start " + java.time.Instant.ofEpochSecond(0, r.startNanos()) : "times relative to "
                + java.time.Instant.ofEpochSecond(0, r.startNanos())).append(", frames ").append(r.firstFrame())
                .append('-').append(r.lastFrame()).append('\n');
        Ladder.TapPosition tap = ladder.tap();
        b.append("tap: ").append(tap == null ? "cannot tell (no clean handshake captured)" : text(tap.text()))
                .append('\n');
        b.append('\n');
        b.append(pad("TIME", timeWidth)).append(' ').append(padLeft("FRAME", 6)).append("  ")
                .append(padLeft("CLIENT", leftWidth)).append(' ').append(vline)
                .append(center(r.client().endpoint() + "  " + r.server().endpoint(), arrowWidth)).append(vline)
                .append(" SERVER\n");
        for (Ladder.Row row : ladder.rows()) {
            String time = row.kind() == Ladder.Kind.FOLD ? "" : absolute ? Ladder.absoluteTime(row.nanos())
                    : Ladder.relativeTime(row.nanos(), r.startNanos());
            String frame = row.frame() > 0 && row.kind() != Ladder.Kind.IMPLIED ? Long.toString(row.frame()) : "";
            b.append(pad(time, timeWidth)).append(' ').append(padLeft(frame, 6)).append("  ");
            b.append(padLeft(row.client() == null ? "" : Ladder.stateText(row.client()), leftWidth)).append(' ');
            b.append(vline).append(middle(row, arrowWidth)).append(vline);
            if (row.server() != null) {
                b.append(' ').append(Ladder.stateText(row.server()));
            }
            stripTrailing(b);
            b.append('\n');
        }
        b.append('\n').append("final: client ").append(r.client().state()).append(", server ").append(r.server().state())
                .append('\n');
        for (Diagnosis d : r.diagnoses()) {
            b.append(d.code()).append(": ").append(d.message()).append('\n');
        }
        b.append("marks: ").append(ascii ? "x" : "\u2715").append(" not delivered, ").append(ascii ? "- - >" : "\u2504\u2504\u25b7")
                .append(" not captured (the evidence proves it was sent), [..] what the tracker made of it;")
                .append(" states: (seen|evidence|assumed|timer) is how the capture knows\n");
        return b.toString();
    }

    private static void stripTrailing(StringBuilder b) {
        int n = b.length();
        while (n > 0 && b.charAt(n - 1) == ' ') {
            n--;
        }
        b.setLength(n);
    }

    private String text(String s) {
        return ascii ? s.replace("\u2192", "->").replace("\u00b5s", "us") : s;
    }

    static String fullLabel(Ladder.Row row) {
        String label = row.label();
        if (row.kind() == Ladder.Kind.IMPLIED) {
            return label + " (not captured)";
        }
        if (!row.marks().isEmpty()) {
            label = label + " [" + String.join(", ", row.marks()) + "]";
        }
        return label;
    }

    private String middle(Ladder.Row row, int width) {
        switch (row.kind()) {
            case STATE:
                return " ".repeat(width);
            case FOLD:
                return center(text(row.label()).replace("\u2026", ascii ? "..." : "\u2026"), width);
            case SEGMENT:
            case IMPLIED:
                break;
        }
        String label = text(fullLabel(row));
        if (label.length() > MAX_LABEL) {
            label = label.substring(0, MAX_LABEL - 1) + (ascii ? "~" : "\u2026");
        }
        boolean dashed = row.kind() == Ladder.Kind.IMPLIED;
        String line = dashed ? (ascii ? "-" : "\u2504") : (ascii ? "-" : "\u2500");
        boolean toServer = row.sender() == Endpoint.Role.CLIENT;
        String head;
        if (row.notDelivered()) {
            head = ascii ? "x" : "\u2715";
        } else if (dashed) {
            head = toServer ? (ascii ? ">" : "\u25b7") : (ascii ? "<" : "\u25c1");
        } else {
            head = toServer ? (ascii ? ">" : "\u25b6") : (ascii ? "<" : "\u25c0");
        }
        int fill = width - label.length() - 4; // head, two spaces, one line char at the far end
        StringBuilder b = new StringBuilder(width);
        if (toServer) {
            b.append(line).append(' ').append(label).append(' ').append(dashedFill(line, fill, dashed)).append(head);
        } else {
            b.append(head).append(dashedFill(line, fill, dashed)).append(' ').append(label).append(' ').append(line);
        }
        return b.toString();
    }

    private String dashedFill(String line, int n, boolean dashed) {
        if (!dashed || !ascii) {
            return line.repeat(Math.max(0, n));
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i % 2 == 0 ? '-' : ' ');
        }
        return b.toString();
    }

    static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    static String padLeft(String s, int w) {
        return s.length() >= w ? s : " ".repeat(w - s.length()) + s;
    }

    static String center(String s, int w) {
        if (s.length() >= w) {
            return s.substring(0, w);
        }
        int left = (w - s.length()) / 2;
        return " ".repeat(left) + s + " ".repeat(w - s.length() - left);
    }

    /** For tests and callers that hold a transition. */
    static String state(Transition t) {
        return Ladder.stateText(t);
    }
}
