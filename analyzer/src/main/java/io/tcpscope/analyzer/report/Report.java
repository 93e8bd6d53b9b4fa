package io.tcpscope.analyzer.report;

import java.util.List;
import io.tcpscope.analyzer.diagnosis.Diagnosis;
import io.tcpscope.analyzer.engine.AnalysisSummary;
import io.tcpscope.analyzer.engine.ConnectionRecord;
import io.tcpscope.analyzer.engine.RecordSink;

/**
 * An output format: a sink of the pipeline's records. Calls come in order: records (and, live,
 * raised diagnoses), then one summary. A report renders records only; in id order (analyze)
 * it puts them back in order through a {@link ReorderBuffer}, else writes them as they come.
 */
public interface Report extends RecordSink {
    /** A finished connection's record, with its diagnoses. */
    @Override
    void record(ConnectionRecord record);

    /** A diagnosis raised while the connection is still open (live mode); {@code open} is a snapshot. */
    default void diagnosisRaised(ConnectionRecord open, Diagnosis diagnosis) {
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

    /**
     * {@code --host-snapshot}: the snapshots' sockets no captured connection joined, to be
     * listed before the summary. Called at most once, before {@link #summary}, only with
     * host snapshots, so the output without them is unchanged.
     */
    default void hostSockets(List<io.tcpscope.analyzer.verdict.HostJoin.Unseen> unseen) {
    }

    /** The end: every record was given; writes what waits, then the counters and the alerts. */
    void summary(AnalysisSummary summary, Alerts alerts);

    /** Pushes everything written so far to the output. */
    void flush();

    /** How records are written. */
    enum Order {
        /** In id order (the order connections were first seen), through a bounded reorder buffer. */
        ID,
        /** As connections end. */
        END
    }

    /** Which connections the per-connection output shows (the summary counts all); default: all. */
    default void view(RecordView view) {
    }

    /**
     * The alerts gathered over the same records, each {@link Alerts#record recorded} there
     * before it comes here (the text report folds a flooded listener's half-opens as they
     * come: {@link Alerts#inFlood}); default: not used.
     */
    default void alerts(Alerts alerts) {
    }
}
