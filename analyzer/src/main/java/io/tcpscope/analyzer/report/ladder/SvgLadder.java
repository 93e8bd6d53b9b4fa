package io.tcpscope.analyzer.report.ladder;

import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.Transition;
import java.util.Locale;

/**
 * A {@link Ladder} as a standalone SVG document (also inlined in the HTML report): time and
 * frame on the left, the client's line, the server's line, slanted arrows between them with
 * their labels, each endpoint's state on its own side (the cause as a tooltip). Retransmissions
 * are orange, segments the receiver did not get end in a cross, segments the capture missed
 * are dashed. Only presentation attributes: nothing outside the file is referenced.
 */
public final class SvgLadder {
    static final int ROW = 26;
    static final int TOP = 78;
    static final int CLIENT_X = 330;
    static final int SERVER_X = 710;
    static final int WIDTH = 920;

    private final boolean absolute;

    public SvgLadder(boolean absolute) {
        this.absolute = absolute;
    }

    public String render(Ladder ladder) {
        ConnectionRecord r = ladder.record();
        int rows = ladder.rows().size();
        int height = TOP + rows * ROW + 50;
        StringBuilder b = new StringBuilder(4096 + rows * 400);
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"ladder\" data-conn-id=\"").append(r.id())
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(height).append("\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(height)
                .append("\" font-family=\"monospace\" font-size=\"11\">\n");
        b.append("<title>connection ").append(r.id()).append(": ").append(esc(r.client().endpoint())).append(" \u21c4 ")
                .append(esc(r.server().endpoint())).append("</title>\n");
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        Ladder.TapPosition tap = ladder.tap();
        text(b, 8, 16, "start", "#222222", "bold", "connection " + r.id() + ": final client " + r.client().state()
                + ", server " + r.server().state() + (r.diagnoses().isEmpty() ? "" : "; " + r.diagnoses().get(0).code()));
        text(b, 8, 32, "start", "#555555", null, "tap: " + (tap == null ? "cannot tell" : tap.text()));
        text(b, 8, TOP - 12, "start", "#555555", null, absolute ? "TIME (UTC)" : "TIME");
        text(b, 150, TOP - 12, "end", "#555555", null, "FRAME");
        text(b, CLIENT_X, TOP - 26, "middle", "#222222", "bold", "client");
        text(b, CLIENT_X, TOP - 12, "middle", "#222222", null, r.client().endpoint());
        text(b, SERVER_X, TOP - 26, "middle", "#222222", "bold", "server");
        text(b, SERVER_X, TOP - 12, "middle", "#222222", null, r.server().endpoint());
        int bottom = TOP + rows * ROW;
        line(b, CLIENT_X, TOP - 6, CLIENT_X, bottom, "#444444", 2, null);
        line(b, SERVER_X, TOP - 6, SERVER_X, bottom, "#444444", 2, null);
        int y = TOP;
        for (Ladder.Row row : ladder.rows()) {
            int mid = y + ROW / 2;
            if (row.kind() != Ladder.Kind.FOLD) {
                text(b, 8, mid + 4, "start", "#333333", null, absolute ? Ladder.absoluteTime(row.nanos())
                        : Ladder.relativeTime(row.nanos(), r.startNanos()));
                if (row.frame() > 0 && row.kind() != Ladder.Kind.IMPLIED) {
                    text(b, 150, mid + 4, "end", "#777777", null, Long.toString(row.frame()));
                }
            }
            switch (row.kind()) {
                case SEGMENT, IMPLIED -> arrow(b, row, y);
                case FOLD -> {
                    b.append("<rect x=\"").append(CLIENT_X + 6).append("\" y=\"").append(y + 4).append("\" width=\"")
                            .append(SERVER_X - CLIENT_X - 12).append("\" height=\"").append(ROW - 8)
                            .append("\" rx=\"4\" fill=\"#eeeeee\"/>\n");
                    text(b, (CLIENT_X + SERVER_X) / 2, mid + 4, "middle", "#444444", null, row.label());
                }
                case STATE -> {
                }
            }
            state(b, row.client(), Endpoint.Role.CLIENT, mid);
            state(b, row.server(), Endpoint.Role.SERVER, mid);
            y += ROW;
        }
        text(b, 8, bottom + 22, "start", "#555555", null, "orange: retransmission; \u2715: not delivered to the receiver;"
                + " dashed: not captured, the evidence proves it was sent");
        text(b, 8, bottom + 38, "start", "#555555", null, "(seen|evidence|assumed|timer): how the capture knows the state");
        b.append("</svg>\n");
        return b.toString();
    }

    private static void arrow(StringBuilder b, Ladder.Row row, int y) {
        boolean toServer = row.sender() == Endpoint.Role.CLIENT;
        int x1 = toServer ? CLIENT_X : SERVER_X;
        int x2 = toServer ? SERVER_X : CLIENT_X;
        int y1 = y + 8;
        int y2 = y + ROW - 4;
        String color = row.retransmission() ? "#d9480f" : row.kind() == Ladder.Kind.IMPLIED ? "#7048e8" : "#1c5fb8";
        String dash = row.kind() == Ladder.Kind.IMPLIED ? "6 4" : null;
        if (row.notDelivered()) {
            // Stops short of the receiver, with a cross.
            int xs = x1 + (x2 - x1) * 85 / 100;
            int ys = y1 + (y2 - y1) * 85 / 100;
            line(b, x1, y1, xs, ys, color, 1.5, dash);
            line(b, xs - 5, ys - 5, xs + 5, ys + 5, "#c92a2a", 2, null);
            line(b, xs - 5, ys + 5, xs + 5, ys - 5, "#c92a2a", 2, null);
        } else {
            line(b, x1, y1, x2, y2, color, 1.5, dash);
            int dir = toServer ? -1 : 1;
            b.append("<path d=\"M").append(x2).append(' ').append(y2).append(" l").append(dir * 9).append(' ').append(-5)
                    .append(" l0 ").append(8).append(" z\" fill=\"").append(color).append("\"/>\n");
        }
        String label = TextLadder.fullLabel(row);
        text(b, (CLIENT_X + SERVER_X) / 2, y1 + 2, "middle", color, null, label);
    }

    private static void state(StringBuilder b, Transition t, Endpoint.Role side, int mid) {
        if (t == null) {
            return;
        }
        boolean client = side == Endpoint.Role.CLIENT;
        int x = client ? CLIENT_X - 8 : SERVER_X + 8;
        String color = switch (t.basis()) {
            case SEEN -> "#2b8a3e";
            case EVIDENCE -> "#1864ab";
            case ASSUMED -> "#868e96";
            case TIMER -> "#862e9c";
            case HOST -> "#e8590c";
        };
        b.append("<text x=\"").append(x).append("\" y=\"").append(mid + 4).append("\" text-anchor=\"")
                .append(client ? "end" : "start").append("\" fill=\"").append(color).append("\" font-weight=\"bold\">")
                .append("<title>").append(esc(io.tcpscope.analyzer.report.CauseText.of(t.cause()))).append("</title>")
                .append(esc(t.state().name())).append("<tspan font-weight=\"normal\"> (")
                .append(t.basis().name().toLowerCase(Locale.ROOT)).append(")</tspan></text>\n");
    }

    private static void line(StringBuilder b, int x1, int y1, int x2, int y2, String color, double width, String dash) {
        b.append("<line x1=\"").append(x1).append("\" y1=\"").append(y1).append("\" x2=\"").append(x2).append("\" y2=\"")
                .append(y2).append("\" stroke=\"").append(color).append("\" stroke-width=\"").append(width).append('"');
        if (dash != null) {
            b.append(" stroke-dasharray=\"").append(dash).append('"');
        }
        b.append("/>\n");
    }

    static void text(StringBuilder b, int x, int y, String anchor, String color, String weight, String s) {
        b.append("<text x=\"").append(x).append("\" y=\"").append(y).append("\" text-anchor=\"").append(anchor)
                .append("\" fill=\"").append(color).append('"');
        if (weight != null) {
            b.append(" font-weight=\"").append(weight).append('"');
        }
        b.append('>').append(esc(s)).append("</text>\n");
    }

    /** Escapes text for XML content and attributes. */
    public static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
