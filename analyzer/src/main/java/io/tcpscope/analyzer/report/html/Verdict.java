package io.tcpscope.analyzer.report.html;

import io.tcpscope.analyzer.engine.ConnectionRecord;
import java.util.List;

/**
 * The report's first section: who is to blame. A seam: {@link RecordVerdict} computes what it
 * can from the records' diagnoses, flags and final states; {@code tcpscope stuck}'s culprits
 * plug in here (an implementation fed the same records) when that command lands.
 */
public interface Verdict {

    /** One record, in the order the pipeline hands them over. */
    void record(ConnectionRecord r);

    /** What to say, most important first. */
    List<Finding> findings();

    /**
     * One line of the verdict.
     *
     * @param kind        stable key: {@code stuck_half_close}, {@code flood}, {@code resets}, {@code time_wait}
     * @param culprit     the endpoint or host to blame ({@code 10.0.0.2:8080}, {@code 10.0.0.1})
     * @param connections how many connections show it
     * @param text        one sentence for people
     * @param example     one connection id to look at
     */
    record Finding(String kind, String culprit, long connections, String text, long example) {
    }
}
