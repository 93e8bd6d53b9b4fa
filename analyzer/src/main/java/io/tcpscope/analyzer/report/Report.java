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

    /**
     * Live mode: libpcap's packet counters at the end, to go into the summary. Called at most
     * once, before {@link #summary}; file analysis never calls it, so its output is unchanged.
     */
    default void captureStats(io.tcpscope.capture.live.CaptureStats stats) {
    }

    /**
     * Several files read as one capture: the files, in the set's order (index = position),
     * to be named in the summary. Called at most once, before {@link #summary}, and only for
     * two files or more, so the output of one file is unchanged.
     */
    default void captureFiles(List<io.tcpscope.capture.file.CaptureSet.Member> files) {
    }

    /** The end: counters and the alerts (every diagnosis, by code). */
    void summary(AnalysisSummary summary, Alerts alerts);

    /** Pushes everything written so far to the output. */
    void flush();
}
