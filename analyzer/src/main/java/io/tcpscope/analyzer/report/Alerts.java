package io.tcpscope.analyzer.report;

import io.tcpscope.analyzer.diagnosis.Diagnosis;
import io.tcpscope.analyzer.diagnosis.DiagnosisCode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Diagnoses gathered over the capture, by code, with the connections they concern. */
public final class Alerts {
    /** Connection ids listed per code in the summary; the count is always exact. */
    public static final int MAX_IDS_LISTED = 100;

    private final Map<DiagnosisCode, Long> counts = new EnumMap<>(DiagnosisCode.class);
    private final Map<DiagnosisCode, List<Long>> ids = new EnumMap<>(DiagnosisCode.class);

    public void add(long connectionId, List<Diagnosis> diagnoses) {
        for (Diagnosis d : diagnoses) {
            counts.merge(d.code(), 1L, Long::sum);
            List<Long> list = ids.computeIfAbsent(d.code(), k -> new ArrayList<>());
            if (list.size() < MAX_IDS_LISTED) {
                list.add(connectionId);
            }
        }
    }

    public Map<DiagnosisCode, Long> counts() {
        return counts;
    }

    public List<Long> ids(DiagnosisCode code) {
        return ids.getOrDefault(code, List.of());
    }
}
