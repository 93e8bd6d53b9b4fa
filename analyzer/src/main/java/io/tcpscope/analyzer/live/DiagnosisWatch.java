package io.tcpscope.analyzer.live;

import io.tcpscope.analyzer.diagnosis.Diagnoser;
import io.tcpscope.analyzer.diagnosis.Diagnosis;
import io.tcpscope.analyzer.diagnosis.DiagnosisCode;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.engine.Pipeline;
import io.tcpscope.analyzer.engine.RecordSink;
import io.tcpscope.analyzer.report.Report;
import io.tcpscope.analyzer.tcp.Connection;
import java.util.ArrayList;
import io.tcpscope.analyzer.diagnosis.SynFloods;
import io.tcpscope.analyzer.report.Format;
import io.tcpscope.analyzer.tcp.Endpoint;
import io.tcpscope.analyzer.tcp.OsProfile;
import io.tcpscope.analyzer.tcp.TcpState;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Raises diagnoses while a live capture runs: each {@link #evaluate} applies the {@link
 * Diagnoser} to every open connection at the pipeline's capture time, and hands each
 * (connection, code) to {@link Report#diagnosisRaised} once, the first time it holds, with a
 * snapshot record of the connection, then flushes the report. As a {@link RecordSink} placed
 * before the report, it forgets a connection when the pipeline emits its record, so this holds
 * at most one entry per open connection (the flow table's limit).
 *
 * <p><b>Hold time.</b> Some rules hold from their first instant: HALF_OPEN is true of every
 * server between its SYN-ACK and the final ACK, which at the end of a file means "never
 * completed" but live would fire on every handshake. So live, a diagnosis is raised only once
 * it has lasted {@code holdNanos} ({@code --stuck-after}); STUCK_FIN_WAIT_2 already measures
 * that much silence. HALF_OPEN waits at least 1.5 SYN-ACK timeouts (past the first SYN-ACK
 * retransmission, Linux 1 s): a SYN-ACK never resent by then is a SYN cookie, which the final
 * record reports as SYN_COOKIE with the server CLOSED, so live never calls it HALF_OPEN.
 *
 * <p><b>Floods and rate limits.</b> When one listener has {@link SynFloods#MIN_ATTEMPTS}
 * unfinished handshakes (server in SYN_RECEIVED, or SYNs unanswered while it answers others)
 * that started within the last {@link SynFloods#WINDOW_NANOS}, one SYN_FLOOD line is raised for
 * it (again at most every {@link #FLOOD_REPEAT_NANOS} while it lasts, with the new counts), and
 * its connections' HALF_OPEN and UNANSWERED_SYN lines are not printed (they are still counted).
 * Any code gets at most {@link #MAX_LINES_PER_WINDOW} lines per {@link #RATE_WINDOW_NANOS} of
 * capture time; the next line after a pause says how many were held back.
 */
public final class DiagnosisWatch implements RecordSink {
    private final Diagnoser diagnoser;
    private final Report report;
    private final long holdNanos;
    /** Diagnoses already raised per open connection id; the first of each code is kept (its age is shown). */
    private final Map<Long, Raised> raised = new TreeMap<>();
    private long raisedTotal;

    /** A flooded listener's SYN_FLOOD line is repeated at most this often: 60 s of capture time. */
    public static final long FLOOD_REPEAT_NANOS = 60_000_000_000L;
    /** Lines per code per {@link #RATE_WINDOW_NANOS}. */
    public static final int MAX_LINES_PER_WINDOW = 20;
    public static final long RATE_WINDOW_NANOS = 10_000_000_000L;

    private final OsProfile profile;
    /** Listeners flooded at the last evaluation, and when their SYN_FLOOD line was last raised. */
    private final Map<String, Long> floodRaisedAt = new HashMap<>();
    private Map<String, Long> flooded = Map.of();
    private final EnumMap<DiagnosisCode, long[]> rate = new EnumMap<>(DiagnosisCode.class);
    private long suppressedTotal;

    /** @param holdNanos how long a diagnosis must have lasted ({@link Diagnosis#durationNanos()}) before it is raised */
    public DiagnosisWatch(Diagnoser diagnoser, Report report, long holdNanos) {
        this(diagnoser, report, holdNanos, OsProfile.LINUX);
    }

    public DiagnosisWatch(Diagnoser diagnoser, Report report, long holdNanos, OsProfile profile) {
        this.profile = profile;
        this.diagnoser = diagnoser;
        this.report = report;
        this.holdNanos = holdNanos;
    }

    /** One open connection's raised diagnoses, with the snapshot taken when the first was raised. */
    private record Raised(ConnectionRecord snapshot, EnumMap<DiagnosisCode, Diagnosis> byCode) {
    }

    /**
     * Evaluates every open connection at {@code pipeline.now()}.
     *
     * @return how many diagnoses were raised by this call
     */
    public int evaluate(Pipeline pipeline) {
        long now = pipeline.now();
        long before = raisedTotal;
        floods(pipeline, now);
        pipeline.forEachOpen(c -> check(c, now));
        int fresh = (int) (raisedTotal - before);
        if (fresh > 0) {
            report.flush();
        }
        return fresh;
    }

    /** Counts of one listener's unfinished handshakes in the window. */
    private static final class Count {
        boolean answers;
        long attempts;
        long resent;
        long singleSynAck;
        long unanswered;
        long since = Long.MAX_VALUE;
        Connection latest;
        final java.util.Set<Long> sources = new java.util.HashSet<>();
    }

    private static boolean attempt(Connection c) {
        Endpoint server = c.server();
        return !c.roleGuessed() && c.client().activeOpener() && (server.state() == TcpState.SYN_RECEIVED
                || (server.packets() == 0 && c.client().state() == TcpState.SYN_SENT));
    }

    /** Finds the flooded listeners and raises their SYN_FLOOD lines. */
    private void floods(Pipeline pipeline, long now) {
        Map<String, Count> counts = new HashMap<>();
        pipeline.forEachOpen(c -> {
            if (!attempt(c) || c.startNanos() < now - SynFloods.WINDOW_NANOS) {
                return;
            }
            Endpoint server = c.server();
            Count n = counts.computeIfAbsent(Format.endpoint(server), k -> new Count());
            n.attempts++;
            if (server.synAckRetransmissions() > 0) {
                n.resent++;
                n.answers = true;
            } else if (server.synSent()) {
                n.singleSynAck++;
                n.answers = true;
            } else {
                n.unanswered++;
            }
            if (n.sources.size() < SynFloods.MAX_SOURCES) {
                n.sources.add(c.client().addressHi() * 31 + c.client().addressLo());
            }
            n.since = Math.min(n.since, c.startNanos());
            if (n.latest == null || c.id() > n.latest.id()) {
                n.latest = c;
            }
        });
        Map<String, Long> now2 = new HashMap<>();
        counts.forEach((listener, n) -> {
            if (!n.answers || n.attempts < SynFloods.MIN_ATTEMPTS) {
                return;
            }
            now2.put(listener, n.attempts);
            Long last = floodRaisedAt.get(listener);
            if (last != null && now - last < FLOOD_REPEAT_NANOS) {
                return;
            }
            floodRaisedAt.put(listener, now);
            String message = "listener " + listener + ": " + n.attempts + " handshakes not completed in the last "
                    + Format.seconds(now - n.since) + " (" + Math.round(n.attempts / Math.max(1e-3, (now - n.since) / 1e9))
                    + " SYN/s) from " + n.sources.size() + " sources; " + n.resent + " half-open (SYN-ACK resent), "
                    + n.singleSynAck + " SYN-ACKs not resent (SYN cookies once past " + Format.seconds(
                    profile.synAckFirstRetransmitNanos()) + "), " + n.unanswered + " SYNs unanswered; their per-connection"
                    + " lines are not listed";
            Diagnosis d = new Diagnosis(DiagnosisCode.SYN_FLOOD, Endpoint.Role.SERVER, n.since, now - n.since, message);
            raisedTotal++;
            report.diagnosisRaised(ConnectionRecord.of(n.latest, List.of(d), ConnectionRecord.End.OPEN, now), d);
        });
        flooded = now2;
    }

    /** Whether a line of this code may be printed now (rate limit); counts it either way. */
    private Diagnosis limited(Diagnosis d, long now) {
        long[] r = rate.computeIfAbsent(d.code(), k -> new long[] {now, 0, 0});
        if (now - r[0] >= RATE_WINDOW_NANOS) {
            r[0] = now;
            r[1] = 0;
        }
        if (r[1] >= MAX_LINES_PER_WINDOW) {
            r[2]++;
            suppressedTotal++;
            return null;
        }
        r[1]++;
        if (r[2] > 0) {
            long held = r[2];
            r[2] = 0;
            return new Diagnosis(d.code(), d.endpoint(), d.sinceNanos(), d.durationNanos(),
                    d.message() + " (" + held + " more " + d.code().name() + " lines held back by the rate limit)", d.reason());
        }
        return d;
    }

    /** Lines not printed: rate limit, or part of a SYN flood. */
    public long suppressedTotal() {
        return suppressedTotal;
    }

    /** Evaluates one connection at capture time {@code nowNanos}; raises what is new. */
    public void check(Connection c, long nowNanos) {
        if (!diagnoser.mayDiagnose(c)) {
            return;
        }
        for (Diagnosis d : diagnoser.diagnoseOpen(c, nowNanos)) {
            if (d.durationNanos() < holdNanos) {
                continue;
            }
            if (d.code() == DiagnosisCode.HALF_OPEN
                    && d.durationNanos() < profile.synAckFirstRetransmitNanos() * 3 / 2) {
                continue; // a SYN cookie is told apart only after this (see the class)
            }
            boolean floodMember = (d.code() == DiagnosisCode.HALF_OPEN || d.code() == DiagnosisCode.UNANSWERED_SYN)
                    && flooded.containsKey(Format.endpoint(c.server()));
            Raised seen = raised.get(c.id());
            if (seen == null) {
                ConnectionRecord snapshot = ConnectionRecord.of(c, List.of(d), ConnectionRecord.End.OPEN, nowNanos);
                seen = new Raised(snapshot, new EnumMap<>(DiagnosisCode.class));
                raised.put(c.id(), seen);
            }
            if (!seen.byCode().containsKey(d.code())) {
                seen.byCode().put(d.code(), d);
                if (floodMember) {
                    suppressedTotal++;
                    continue;
                }
                Diagnosis line = limited(d, nowNanos);
                if (line != null) {
                    raisedTotal++;
                    report.diagnosisRaised(seen.snapshot(), line);
                }
            }
        }
    }

    /** The pipeline emitted this connection's record: its entries go. */
    @Override
    public void record(ConnectionRecord r) {
        raised.remove(r.id());
    }

    /** Diagnoses raised so far, over the whole run. */
    public long raisedTotal() {
        return raisedTotal;
    }

    /** Open connections with raised diagnoses, in id order, with the first diagnosis of each code. */
    public void forEachRaised(BiConsumer<ConnectionRecord, List<Diagnosis>> visitor) {
        for (Raised r : raised.values()) {
            visitor.accept(r.snapshot(), new ArrayList<>(r.byCode().values()));
        }
    }

    /** How many open connections carry a raised diagnosis. */
    public int connectionsRaised() {
        return raised.size();
    }
}
