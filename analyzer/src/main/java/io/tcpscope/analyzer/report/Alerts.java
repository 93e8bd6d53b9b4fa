package io.tcpscope.analyzer.report;

import io.tcpscope.analyzer.diagnosis.Diagnosis;
import io.tcpscope.analyzer.diagnosis.DiagnosisCode;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.engine.RecordSink;
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

    @Override
    public void record(ConnectionRecord r) {
        add(r.id(), r.diagnoses());
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

    public Map<DiagnosisCode, Long> counts() {
        return counts;
    }

    /** The smallest ids of connections with this code, ascending. */
    public List<Long> ids(DiagnosisCode code) {
        TreeSet<Long> set = ids.get(code);
        return set == null ? List.of() : List.copyOf(set);
    }
}
