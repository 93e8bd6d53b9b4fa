package io.tcpscope.analyzer.report;

import io.tcpscope.analyzer.host.HostSnapshot;
import io.tcpscope.analyzer.verdict.Culprit;
import io.tcpscope.analyzer.verdict.Verdicts;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The output of {@code tcpscope stuck}: the culprits of stuck half-closes, the other groups
 * (TIME_WAIT holders, half-open listeners), the connections that are possibly stuck, then a
 * summary. Text for people, JSON Lines for scripts (README "tcpscope stuck"; the
 * {@code culprit} object's field names are a contract).
 */
public final class StuckReport {

    /**
     * What the run was about.
     *
     * @param source          the capture's description
     * @param startNanos      first frame's time, or -1
     * @param lastFrameNanos  last frame's time, or -1
     * @param endNanos        the capture's end (last frame, isb_endtime or --capture-end)
     * @param endBasis        where the end came from: {@code last_frame}, {@code isb_endtime}, {@code option}
     * @param stuckAfterNanos --stuck-after
     * @param connections     connections seen
     * @param snapshots       the host snapshots
     * @param interfaceDrops  pcapng isb_ifdrop, or empty
     * @param osDrops         pcapng isb_osdrop, or empty
     */
    public record Run(String source, long startNanos, long lastFrameNanos, long endNanos, String endBasis,
                      long stuckAfterNanos, long connections, List<HostSnapshot> snapshots, OptionalLong interfaceDrops,
                      OptionalLong osDrops) {
    }

    private StuckReport() {
    }

    private static String seconds1(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }

    /** Prints the report in the format asked for. */
    public static void print(PrintStream out, boolean jsonl, Run run, Verdicts.Result result) {
        if (jsonl) {
            jsonl(out, run, result);
        } else {
            text(out, run, result);
        }
        out.flush();
    }

    // ------------------------------------------------------------------ JSON Lines

    private static void jsonl(PrintStream out, Run run, Verdicts.Result result) {
        JsonWriter j = new JsonWriter();
        for (Culprit c : result.culprits()) {
            out.println(culprit(j, "culprit", c));
        }
        for (Culprit c : result.groups()) {
            out.println(culprit(j, "group", c));
        }
        for (Culprit c : result.resets()) {
            out.println(culprit(j, "orphan_resets", c));
        }
        for (Verdicts.Possible p : result.possiblyStuck()) {
            j.begin().open().field("type", "possibly_stuck").field("id", p.id()).field("client", p.client())
                    .field("server", p.server()).field("keepalives", p.clientKeepalives() + p.serverKeepalives())
                    .rawNumber("silent_s", seconds1(p.silentNanos()))
                    .field("verdict", "possibly stuck, not provable from this capture; give a host snapshot to decide")
                    .close();
            out.println(j.text());
        }
        j.begin().open().field("type", "summary").field("source", run.source());
        if (run.startNanos() >= 0) {
            j.rawNumber("capture_start_ts", Format.epochSeconds(run.startNanos()));
            j.rawNumber("capture_end_ts", Format.epochSeconds(run.endNanos()));
        } else {
            j.nullField("capture_start_ts").nullField("capture_end_ts");
        }
        j.field("capture_end_from", run.endBasis());
        j.rawNumber("stuck_after_s", seconds1(run.stuckAfterNanos()));
        j.field("connections", run.connections());
        j.field("stuck", result.stuck());
        j.field("culprits", result.culprits().stream().filter(Culprit::stuckHalfClose).count());
        j.field("not_yet_stuck", result.notYetStuck());
        j.field("possibly_stuck", result.possiblyStuck().size());
        j.field("orphan_resets", result.orphanResets());
        j.field("host_snapshots", run.snapshots().size());
        j.field("not_captured", result.notCaptured());
        optional(j, "interface_drops", run.interfaceDrops());
        optional(j, "os_drops", run.osDrops());
        j.close();
        out.println(j.text());
    }

    private static void optional(JsonWriter j, String name, OptionalLong v) {
        if (v.isPresent()) {
            j.field(name, v.getAsLong());
        } else {
            j.nullField(name);
        }
    }

    private static String culprit(JsonWriter j, String type, Culprit c) {
        j.begin().open().field("type", type).field("kind", c.kind());
        j.open("endpoint").field("ip", c.ip());
        if (c.port() == null) {
            j.nullField("port");
        } else {
            j.field("port", c.port());
        }
        j.close();
        j.field("role", c.role()).field("stuck", c.stuck());
        j.rawNumber("oldest_s", seconds1(c.oldestNanos())).rawNumber("median_s", seconds1(c.medianNanos()));
        j.array("peers");
        for (String p : c.peers().subList(0, Math.min(Verdicts.MAX_PEERS, c.peers().size()))) {
            j.value(p);
        }
        j.endArray();
        j.array("connections");
        for (long id : c.connections()) {
            j.value(id);
        }
        j.endArray();
        if (c.process() == null) {
            j.nullField("process");
        } else {
            j.field("process", c.process());
        }
        j.field("verdict", c.verdict());
        // additions (not in the example; new fields may be added)
        j.field("held", c.held());
        j.open("peer_states");
        for (Map.Entry<String, Integer> e : c.peerStates().entrySet()) {
            j.field(e.getKey(), e.getValue());
        }
        j.close();
        j.field("peers_total", c.peers().size());
        j.field("not_captured", c.notCaptured());
        j.open("since_fin").field("bytes", c.bytesSinceFin()).field("keepalives", c.keepalives())
                .field("window_updates", c.windowUpdates()).close();
        j.field("orphan_resets", c.orphanResets());
        if (c.next() == null) {
            j.nullField("next");
        } else {
            j.field("next", c.next());
        }
        j.close();
        return j.text();
    }

    // ------------------------------------------------------------------ text

    private static void text(PrintStream out, Run run, Verdicts.Result result) {
        out.println("tcpscope stuck: " + run.source());
        if (run.startNanos() >= 0) {
            String end = switch (run.endBasis()) {
                case "isb_endtime" -> " (the file's isb_endtime, " + Format.seconds(run.endNanos() - run.lastFrameNanos())
                        + " after the last frame)";
                case "option" -> " (--capture-end, " + Format.seconds(run.endNanos() - run.lastFrameNanos())
                        + " after the last frame)";
                default -> " (its last frame)";
            };
            out.println("capture: " + java.time.Instant.ofEpochSecond(0, run.startNanos()) + " to "
                    + java.time.Instant.ofEpochSecond(0, run.endNanos())
                    + " (" + Format.seconds(run.endNanos() - run.startNanos()) + ")" + end + "; stuck after "
                    + Format.seconds(run.stuckAfterNanos()) + " of silence; " + run.connections() + " connections");
        } else {
            out.println("capture: no frames; " + run.connections() + " connections");
        }
        for (HostSnapshot s : run.snapshots()) {
            out.println("host snapshot: " + s.source() + (s.host() != null ? " (host " + s.host() + ")" : "")
                    + (s.takenAtNanos().isPresent() ? ", taken at " + java.time.Instant.ofEpochSecond(0, s.takenAtNanos().getAsLong())
                            + " (" + s.takenAt().name().toLowerCase(Locale.ROOT) + ")" : ", time unknown: taken as the capture's end")
                    + ", " + s.sockets().size() + " sockets");
        }
        if (run.interfaceDrops().isPresent() || run.osDrops().isPresent()) {
            out.println("drops recorded by the capture: interface " + dash(run.interfaceDrops()) + ", OS "
                    + dash(run.osDrops()) + " (a dropped packet may hide a FIN or RST)");
        }
        out.println();
        if (result.culprits().isEmpty()) {
            out.println("No stuck half-close: no side left in CLOSE_WAIT or FIN_WAIT_2.");
        }
        for (Culprit c : result.culprits()) {
            block(out, c);
        }
        for (Culprit c : result.groups()) {
            block(out, c);
        }
        for (Culprit c : result.resets()) {
            out.println("ORPHAN_RESET  " + c.endpoint() + " (" + c.role() + ")  " + c.orphanResets() + " late segment"
                    + (c.orphanResets() == 1 ? "" : "s") + " answered by RST");
            out.println("  " + c.verdict());
            out.println();
        }
        if (!result.possiblyStuck().isEmpty()) {
            out.println("Possibly stuck, not provable from this capture; give a host snapshot to decide"
                    + " (picked up mid-stream, only keepalives, window probes or pure ACKs):");
            for (Verdicts.Possible p : result.possiblyStuck()) {
                out.println("  [" + p.id() + "] " + p.client() + " - " + p.server() + ": " + (p.clientKeepalives()
                        + p.serverKeepalives()) + " keepalives, no data for " + Format.seconds(p.silentNanos()));
            }
            out.println();
        }
        long culprits = result.culprits().stream().filter(Culprit::stuckHalfClose).count();
        out.println("stuck: " + result.stuck() + " connection" + (result.stuck() == 1 ? "" : "s") + " in CLOSE_WAIT, "
                + culprits + " culprit" + (culprits == 1 ? "" : "s")
                + (result.notYetStuck() > 0 ? "; in CLOSE_WAIT or FIN_WAIT_2 but silent for less than --stuck-after: "
                        + result.notYetStuck() : "") + "; possibly stuck: "
                + result.possiblyStuck().size() + "; orphan resets: " + result.orphanResets()
                + (run.snapshots().isEmpty() ? "" : "; sockets only the host snapshots show: " + result.notCaptured()));
    }

    private static String dash(OptionalLong v) {
        return v.isPresent() ? Long.toString(v.getAsLong()) : "-";
    }

    private static void block(PrintStream out, Culprit c) {
        boolean halfClose = c.kind().equals("CLOSE_WAIT") || c.kind().equals("FIN_WAIT_2");
        out.println(c.kind() + "  " + c.endpoint() + " (" + c.role() + (c.process() != null ? ", " + c.process() : "")
                + ")  " + (halfClose ? c.stuck() + " stuck" + (c.held() != c.stuck() ? " of " + c.held() : "")
                        : c.held() + (c.held() == 1 ? " socket" : " sockets")));
        out.println("  " + c.verdict());
        if (c.held() > 0) {
            out.println("  age: oldest " + Format.seconds(c.oldestNanos()) + ", median " + Format.seconds(c.medianNanos())
                    + (c.notCaptured() > 0 ? "; " + c.notCaptured() + " only in the host snapshots (age at least the capture's)" : ""));
            StringBuilder peers = new StringBuilder("  peers (");
            String sep = "";
            for (Map.Entry<String, Integer> e : c.peerStates().entrySet()) {
                peers.append(sep).append(e.getKey()).append(' ').append(e.getValue());
                sep = ", ";
            }
            peers.append("): ");
            List<String> shown = c.peers().subList(0, Math.min(Verdicts.MAX_PEERS, c.peers().size()));
            peers.append(String.join(" ", shown));
            if (c.peers().size() > shown.size()) {
                peers.append(" ... (").append(c.peers().size() - shown.size()).append(" more)");
            }
            out.println(peers);
        }
        if (c.kind().equals("CLOSE_WAIT")) {
            out.println("  since the FIN: " + c.bytesSinceFin() + " bytes sent, " + c.keepalives() + " keepalives, "
                    + c.windowUpdates() + " window updates" + (c.orphanResets() > 0 ? "; " + c.orphanResets()
                    + " late segments answered by RST (ORPHAN_RESET)" : ""));
        }
        if (!c.connections().isEmpty()) {
            StringBuilder ids = new StringBuilder("  connections:");
            for (long id : c.connections()) {
                ids.append(' ').append(id);
            }
            out.println(ids);
        }
        if (c.next() != null) {
            out.println("  " + c.next());
        }
        out.println();
    }
}
