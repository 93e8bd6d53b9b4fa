package io.tcpscope.analyzer.report;

import io.tcpscope.analyzer.diagnosis.Diagnosis;
import io.tcpscope.analyzer.diagnosis.DiagnosisCode;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.engine.RecordSink;
import io.tcpscope.analyzer.diagnosis.SynFloods;
import io.tcpscope.analyzer.diagnosis.TimeWaits;
import io.tcpscope.analyzer.tcp.OsProfile;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Diagnoses gathered over the capture, by code, with the connections they concern. Records
 * may come in any order: the ids listed are the {@link #MAX_IDS_LISTED} smallest.
 */
public final class Alerts implements RecordSink {
    /** Connection ids listed per code in the summary; the count is always exact. */
    public static final int MAX_IDS_LISTED = 100;

    private final Map<DiagnosisCode, Long> counts = new EnumMap<>(DiagnosisCode.class);
    private final Map<DiagnosisCode, TreeSet<Long>> ids = new EnumMap<>(DiagnosisCode.class);

    private final SynFloods synFloods = new SynFloods();
    private final TimeWaits timeWaits;

    public Alerts() {
        this(OsProfile.LINUX.timeWaitNanos());
    }

    /** @param timeWaitNanos how long TIME_WAIT lasts (2MSL), for the TIME_WAIT accounting */
    public Alerts(long timeWaitNanos) {
        this.timeWaits = new TimeWaits(timeWaitNanos);
    }

    @Override
    public void record(ConnectionRecord r) {
        add(r.id(), r.diagnoses());
        synFloods.add(r);
        timeWaits.add(r);
    }

    /** The listeners under SYN flood (SYN_FLOOD), computed from the records so far. */
    public List<SynFloods.Flood> floods() {
        return synFloods.floods();
    }

    /**
     * Whether this record, already {@link #record recorded}, is a never-completed handshake to a
     * listener recognised as under SYN flood by the records so far ({@link SynFloods#inFlood}).
     */
    public boolean inFlood(ConnectionRecord r) {
        return synFloods.inFlood(r);
    }

    /** TIME_WAIT accounting: per host at the end, TIME_WAIT_PILEUP. */
    public TimeWaits timeWaits() {
        return timeWaits;
    }

    public void add(long connectionId, List<Diagnosis> diagnoses) {
        for (Diagnosis d : diagnoses) {
            counts.merge(d.code(), 1L, Long::sum);
            TreeSet<Long> set = ids.computeIfAbsent(d.code(), k -> new TreeSet<>());
            set.add(connectionId);
            if (set.size() > MAX_IDS_LISTED) {
                set.pollLast();
            }
        }
    }

    /** Per code: connections carrying it; for SYN_FLOOD the listeners, for TIME_WAIT_PILEUP the (host, service) pairs. */
    public Map<DiagnosisCode, Long> counts() {
        List<SynFloods.Flood> floods = synFloods.floods();
        List<TimeWaits.Pileup> pileups = timeWaits.pileups();
        if (floods.isEmpty() && pileups.isEmpty()) {
            return counts;
        }
        Map<DiagnosisCode, Long> all = new EnumMap<>(counts);
        if (!floods.isEmpty()) {
            all.put(DiagnosisCode.SYN_FLOOD, (long) floods.size());
        }
        if (!pileups.isEmpty()) {
            all.put(DiagnosisCode.TIME_WAIT_PILEUP, (long) pileups.size());
        }
        return all;
    }

    /** The smallest ids of connections with this code, ascending (SYN_FLOOD: the floods' attempts). */
    public List<Long> ids(DiagnosisCode code) {
        if (code == DiagnosisCode.SYN_FLOOD || code == DiagnosisCode.TIME_WAIT_PILEUP) {
            TreeSet<Long> all = new TreeSet<>();
            if (code == DiagnosisCode.SYN_FLOOD) {
                synFloods.floods().forEach(f -> all.addAll(f.connections()));
            } else {
                timeWaits.pileups().forEach(p -> all.addAll(p.connections()));
            }
            while (all.size() > MAX_IDS_LISTED) {
                all.pollLast();
            }
            return List.copyOf(all);
        }
        TreeSet<Long> set = ids.get(code);
        return set == null ? List.of() : List.copyOf(set);
    }
}
