package io.tcpscope.analyzer.host;

/**
 * The socket timer {@code ss -o} prints: {@code timer:(keepalive,52sec,0)}.
 *
 * @param kind            which timer
 * @param remainingMillis time left until it fires, in milliseconds (ss's resolution: it
 *                        prints {@code 1min3sec}, {@code 52sec}, {@code 1.234ms} (= 1.234 s),
 *                        {@code 204ms}; an empty value is 0)
 * @param count           the third field: retransmissions for {@code on}, probes sent for
 *                        {@code keepalive} and {@code persist}, 0 for {@code timewait}
 */
public record HostTimer(Kind kind, long remainingMillis, int count) {

    /** The timer names of ss ({@code tcp_timer_print}). */
    public enum Kind {
        /** Retransmission, zero-window probe or tail-loss probe timer armed ({@code on}). */
        ON("on"),
        /** Keepalive timer (also the orphaned FIN_WAIT_2 timer of a full socket). */
        KEEPALIVE("keepalive"),
        /** The TIME_WAIT (or FIN_WAIT_2 substate) timer of a timewait socket. */
        TIMEWAIT("timewait"),
        /** Zero-window probe timer. */
        PERSIST("persist"),
        /** No timer ({@code off}); ss prints it only in some versions. */
        OFF("off"),
        /** ss's {@code unknown}. */
        UNKNOWN("unknown");

        private final String ssName;

        Kind(String ssName) {
            this.ssName = ssName;
        }

        /** The name as ss prints it. */
        public String ssName() {
            return ssName;
        }

        /** The kind ss calls {@code name}, or {@code null}. */
        public static Kind of(String name) {
            for (Kind k : values()) {
                if (k.ssName.equals(name)) {
                    return k;
                }
            }
            return null;
        }
    }
}
