package io.tcpscope.analyzer.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.TcpState;
import io.tcpscope.analyzer.testing.Golden;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The chart of endpoints per state: golden SVG, and its counts against the records' final states. */
class StateChartTest {

    @ParameterizedTest
    @ValueSource(strings = {"stuck-close-wait-pileup", "syn-flood", "timewait-reuse"})
    void goldenSvg(String fixture) throws Exception {
        ReportRun run = ReportRun.of(fixture);
        StateChart chart = new StateChart();
        run.records().forEach(chart::record);
        Golden.check(chart.svg(run.summary().firstNanos(), run.summary().lastNanos()), "chart/" + fixture + ".svg");
    }

    @ParameterizedTest
    @ValueSource(strings = {"stuck-close-wait-pileup", "syn-flood", "timewait-reuse", "stuck-several-services",
        "many-connections", "simultaneous-close"})
    void atTheEndOfTheCaptureTheBandsAreTheOpenEndpointsFinalStates(String fixture) throws Exception {
        ReportRun run = ReportRun.of(fixture);
        StateChart chart = new StateChart();
        run.records().forEach(chart::record);
        long start = run.summary().firstNanos();
        long end = run.summary().lastNanos();
        int[][][] counts = chart.counts(start, end);
        int[][] expected = new int[2][TcpState.values().length];
        for (ConnectionRecord r : run.records()) {
            for (Endpoint.Role role : Endpoint.Role.values()) {
                TcpState s = r.side(role).state();
                if (r.end() == ConnectionRecord.End.CAPTURE_END && s != TcpState.CLOSED && !r.side(role).timeline().isEmpty()) {
                    expected[role.ordinal()][s.ordinal()]++;
                }
            }
        }
        int total = 0;
        for (int side = 0; side < 2; side++) {
            for (TcpState s : TcpState.values()) {
                assertEquals(expected[side][s.ordinal()], counts[side][s.ordinal()][StateChart.COLUMNS - 1],
                        fixture + " side " + side + " " + s);
                total += counts[side][s.ordinal()][StateChart.COLUMNS - 1];
            }
        }
        int atStart = 0;
        for (int side = 0; side < 2; side++) {
            for (TcpState s : TcpState.values()) {
                atStart += chart.counts(start - 1_000_000_000L, end)[side][s.ordinal()][0];
            }
        }
        assertEquals(0, atStart, "nothing before the first packet");
        assertTrue(total >= 0);
    }
}
