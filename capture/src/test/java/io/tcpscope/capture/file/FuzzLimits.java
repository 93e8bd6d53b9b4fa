package io.tcpscope.capture.file;

/** Settings shared by the fuzz tests of this module. */
final class FuzzLimits {
    private FuzzLimits() {
    }

    /**
     * How long one {@code JAZZER_FUZZ=1} run fuzzes one target (ignored by the regression run
     * in {@code mvn verify}). A run resumes from the corpus the previous runs grew, so a longer
     * session is several runs in a row.
     */
    static final String MAX_DURATION = "15m";
}
