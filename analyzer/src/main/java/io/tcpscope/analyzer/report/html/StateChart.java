package io.tcpscope.analyzer.report.html;

import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.report.ladder.SvgLadder;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.TcpState;
import io.tcpscope.analyzer.tcp.Transition;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How many endpoints are in each state over capture time: one stacked band per state, a panel
 * for the client side and one for the server side, computed from the records' timelines. An
 * endpoint counts in a state from the transition into it until the next one (the last state
 * lasts until the record was built, or to the end for a connection open when the capture ended); CLOSED is not drawn.
 * Sampled at {@link #COLUMNS} evenly spaced capture times. Keeps three numbers per transition.
 */
public final class StateChart {
    public static final int COLUMNS = 240;
    static final int WIDTH = 920;
    static final int PANEL = 150;
    static final int LEFT = 60;
    static final int PLOT_W = WIDTH - LEFT - 20;

    /** Band colours, by {@link TcpState} ordinal. */
    static final String[] COLORS = {"#adb5bd", "#ffd43b", "#fab005", "#40c057", "#4dabf7", "#e03131", "#f76707",
        "#9775fa", "#f783ac", "#1c7ed6", "#dee2e6", "#dee2e6"};

    private long[] from = new long[1024];
    private long[] to = new long[1024];
    private byte[] state = new byte[1024];
    private byte[] side = new byte[1024];
    private int size;

    /** Adds one record's timelines. */
    public void record(ConnectionRecord r) {
        for (Endpoint.Role role : Endpoint.Role.values()) {
            List<Transition> tl = r.side(role).timeline();
            for (int i = 0; i < tl.size(); i++) {
                Transition t = tl.get(i);
                if (t.state() == TcpState.CLOSED || t.state() == TcpState.NONE) {
                    continue;
                }
                boolean open = r.end() == ConnectionRecord.End.CAPTURE_END || r.end() == ConnectionRecord.End.OPEN;
                long end = i + 1 < tl.size() ? tl.get(i + 1).timestampNanos() : open ? Long.MAX_VALUE : r.builtNanos();
                add(t.timestampNanos(), Math.max(end, t.timestampNanos()), t.state(), role);
            }
        }
    }

    private void add(long f, long t, TcpState s, Endpoint.Role role) {
        if (size == from.length) {
            int n = size * 2;
            from = Arrays.copyOf(from, n);
            to = Arrays.copyOf(to, n);
            state = Arrays.copyOf(state, n);
            side = Arrays.copyOf(side, n);
        }
        from[size] = f;
        to[size] = t;
        state[size] = (byte) s.ordinal();
        side[size] = (byte) role.ordinal();
        size++;
    }

    /** counts[side][state][column]: endpoints in that state at column k's time (start + k * span / (COLUMNS - 1)). */
    public int[][][] counts(long start, long end) {
        int states = TcpState.values().length;
        int[][][] diff = new int[2][states][COLUMNS + 1];
        double step = Math.max(1, end - start) / (double) (COLUMNS - 1);
        for (int i = 0; i < size; i++) {
            int a = (int) Math.max(0, Math.ceil((from[i] - start) / step));
            // Still in it when the capture ended: counted up to the last column.
            int b = to[i] > end ? COLUMNS : (int) Math.min(COLUMNS, Math.ceil((to[i] - start) / step));
            if (a < b) {
                diff[side[i]][state[i]][a]++;
                diff[side[i]][state[i]][b]--;
            }
        }
        int[][][] counts = new int[2][states][COLUMNS];
        for (int s = 0; s < 2; s++) {
            for (int st = 0; st < states; st++) {
                int run = 0;
                for (int k = 0; k < COLUMNS; k++) {
                    run += diff[s][st][k];
                    counts[s][st][k] = run;
                }
            }
        }
        return counts;
    }

    /** The chart as inline SVG, over capture time {@code start}..{@code end}. */
    public String svg(long start, long end) {
        int[][][] counts = counts(start, end);
        int states = TcpState.values().length;
        int height = 2 * (PANEL + 40) + 40;
        StringBuilder b = new StringBuilder(16384);
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"state-chart\" class=\"chart\" width=\"").append(WIDTH)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        boolean[] used = new boolean[states];
        for (int s = 0; s < 2; s++) {
            int top = 20 + s * (PANEL + 40);
            int max = 1;
            for (int k = 0; k < COLUMNS; k++) {
                int sum = 0;
                for (int st = 0; st < states; st++) {
                    sum += counts[s][st][k];
                }
                max = Math.max(max, sum);
            }
            text(b, 4, top - 6, "start", "#222222", s == 0 ? "client side: endpoints per state" : "server side: endpoints per state");
            b.append("<g class=\"panel\" data-side=\"").append(s == 0 ? "client" : "server").append("\">\n");
            int[] base = new int[COLUMNS];
            for (int st = 0; st < states; st++) {
                int[] c = counts[s][st];
                boolean any = false;
                for (int v : c) {
                    any |= v > 0;
                }
                if (!any) {
                    continue;
                }
                used[st] = true;
                b.append("<path class=\"band\" data-state=\"").append(TcpState.values()[st]).append("\" fill=\"")
                        .append(COLORS[st]).append("\" d=\"M");
                for (int k = 0; k < COLUMNS; k++) {
                    point(b, k, base[k] + c[k], max, top).append(' ');
                }
                for (int k = COLUMNS - 1; k >= 0; k--) {
                    point(b, k, base[k], max, top).append(k == 0 ? "" : " ");
                }
                b.append(" Z\"><title>").append(TcpState.values()[st]).append("</title></path>\n");
                for (int k = 0; k < COLUMNS; k++) {
                    base[k] += c[k];
                }
            }
            b.append("</g>\n");
            line(b, LEFT, top + PANEL, LEFT + PLOT_W, top + PANEL);
            line(b, LEFT, top, LEFT, top + PANEL);
            text(b, LEFT - 4, top + 10, "end", "#555555", Integer.toString(max));
            text(b, LEFT - 4, top + PANEL, "end", "#555555", "0");
            for (int q = 0; q <= 4; q++) {
                int x = LEFT + PLOT_W * q / 4;
                text(b, x, top + PANEL + 14, q == 0 ? "start" : q == 4 ? "end" : "middle", "#555555",
                        String.format(Locale.ROOT, "+%.3f s", (end - start) * q / 4 / 1e9));
            }
        }
        int x = LEFT;
        int y = height - 12;
        for (int st = 0; st < states; st++) {
            if (!used[st]) {
                continue;
            }
            b.append("<rect x=\"").append(x).append("\" y=\"").append(y - 9).append("\" width=\"10\" height=\"10\" fill=\"")
                    .append(COLORS[st]).append("\"/>\n");
            String name = TcpState.values()[st].name();
            text(b, x + 14, y, "start", "#222222", name);
            x += 24 + name.length() * 7;
        }
        b.append("</svg>\n");
        return b.toString();
    }

    private static StringBuilder point(StringBuilder b, int k, int v, int max, int top) {
        int x = LEFT + (int) Math.round(PLOT_W * k / (double) (COLUMNS - 1));
        double y = top + PANEL - PANEL * v / (double) max;
        return b.append(x).append(',').append(String.format(Locale.ROOT, "%.1f", y));
    }

    private static void line(StringBuilder b, int x1, int y1, int x2, int y2) {
        b.append("<line x1=\"").append(x1).append("\" y1=\"").append(y1).append("\" x2=\"").append(x2).append("\" y2=\"")
                .append(y2).append("\" stroke=\"#444444\"/>\n");
    }

    private static void text(StringBuilder b, int x, int y, String anchor, String color, String s) {
        b.append("<text x=\"").append(x).append("\" y=\"").append(y).append("\" text-anchor=\"").append(anchor)
                .append("\" fill=\"").append(color).append("\">").append(SvgLadder.esc(s)).append("</text>\n");
    }
}
