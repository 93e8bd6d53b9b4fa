package io.tcpscope.analyzer.report;

import io.tcpscope.analyzer.diagnosis.Diagnosis;
import io.tcpscope.analyzer.engine.AnalysisSummary;
import io.tcpscope.analyzer.tcp.Connection;
import java.util.List;

/** An output format. Calls come in order: connections (and live diagnoses), then one summary. */
public interface Report {
    /** A finished connection with its diagnoses. */
    void connection(Connection connection, List<Diagnosis> diagnoses);

    /** A diagnosis raised while the capture is still running (live mode). */
    default void diagnosisRaised(Connection connection, Diagnosis diagnosis) {
    }

    /** The end: counters and the alerts (every diagnosis, by code). */
    void summary(AnalysisSummary summary, Alerts alerts);

    /** Pushes everything written so far to the output. */
    void flush();
}
