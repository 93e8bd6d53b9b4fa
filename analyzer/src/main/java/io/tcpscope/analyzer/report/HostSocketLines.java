package io.tcpscope.analyzer.report;

import io.tcpscope.analyzer.host.HostSocket;
import io.tcpscope.analyzer.verdict.HostJoin;
import java.io.PrintStream;
import java.util.List;

/**
 * The sockets of the host snapshots that no captured connection joined ({@code --host-snapshot}
 * on analyze and live): stuck and silent since before the capture, so only the kernel's table
 * shows them, with their state, timer and process.
 */
final class HostSocketLines {
    private HostSocketLines() {
    }

    static void text(PrintStream out, List<HostJoin.Unseen> unseen) {
        if (unseen.isEmpty()) {
            return;
        }
        out.println();
        out.println("Host sockets the capture never saw:");
        for (HostJoin.Unseen u : unseen) {
            HostSocket s = u.socket();
            out.println("  " + (s.state() == null ? s.ssState() : s.state().name()) + "  " + s.local() + "  " + s.peer()
                    + (s.timer() != null ? "  timer " + s.timer().kind().ssName() + " " + s.timer().remainingMillis() + "ms" : "")
                    + (s.process() != null ? "  " + s.process() : "") + "  (" + u.snapshot().source() + ")");
        }
    }

    static String jsonl(JsonWriter j, HostJoin.Unseen u) {
        HostSocket s = u.socket();
        j.begin().open().field("type", "host_socket").field("snapshot", u.snapshot().source());
        if (u.snapshot().host() == null) {
            j.nullField("host");
        } else {
            j.field("host", u.snapshot().host());
        }
        if (s.state() == null) {
            j.nullField("state");
        } else {
            j.field("state", s.state().name());
        }
        j.open("local").field("ip", s.local().ip()).field("port", s.local().port()).close();
        j.open("peer").field("ip", s.peer().ip()).field("port", s.peer().port()).close();
        if (s.timer() == null) {
            j.nullField("timer");
        } else {
            j.open("timer").field("kind", s.timer().kind().ssName()).field("remaining_ms", s.timer().remainingMillis())
                    .field("count", s.timer().count()).close();
        }
        if (s.process() == null) {
            j.nullField("process");
        } else {
            j.field("process", s.process());
        }
        j.field("line", s.line()).close();
        return j.text();
    }
}
