package io.tcpscope.analyzer.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C and SIGTERM: a JVM shutdown hook asks the running command to stop, then waits (up
 * to a bound) for it to finish writing, so nothing the user asked for is lost.
 */
public final class StopSignal {
    /** How long the shutdown hook waits for the command to write its results (default). */
    public static final long FLUSH_WAIT_SECONDS = 10;
    /** The system property that sets another wait, in seconds ({@code JAVA_OPTS=-Dtcpscope.flushWaitSeconds=60}). */
    public static final String FLUSH_WAIT_PROPERTY = "tcpscope.flushWaitSeconds";

    private volatile boolean requested;
    private volatile boolean signalled;
    private final CountDownLatch done = new CountDownLatch(1);
    private final java.util.List<Runnable> onStop = new java.util.concurrent.CopyOnWriteArrayList<>();

    public boolean requested() {
        return requested;
    }

    /** Whether the stop came from SIGINT/SIGTERM (the shutdown hook), not from the program itself. */
    public boolean signalled() {
        return signalled;
    }

    /** Also run this when a stop is requested (e.g. break a blocking capture loop). */
    public void onStop(Runnable action) {
        onStop.add(action);
    }

    public void request() {
        requested = true;
        onStop.forEach(Runnable::run);
    }

    /** The command has written everything. */
    public void done() {
        done.countDown();
    }

    /** Installs the shutdown hook; a normal exit passes straight through it. */
    public StopSignal installHook() {
        return installHook(null);
    }

    /**
     * Installs the shutdown hook; when the command has not written its results within the
     * wait ({@link #FLUSH_WAIT_SECONDS}, or {@link #FLUSH_WAIT_PROPERTY}), one line on
     * {@code err} (if given) says that the output is cut, then the JVM ends.
     */
    public StopSignal installHook(java.io.PrintStream err) {
        long waitSeconds = flushWaitSeconds();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (done.getCount() == 0) {
                return;
            }
            signalled = true;
            request();
            try {
                if (!done.await(waitSeconds, TimeUnit.SECONDS) && err != null) {
                    err.println("tcpscope: the results were not all written within " + waitSeconds + " s of the signal:"
                            + " the output is cut there (-D" + FLUSH_WAIT_PROPERTY + "=N in JAVA_OPTS waits longer)");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tcpscope-stop"));
        return this;
    }

    /** {@link #FLUSH_WAIT_PROPERTY} when it is a positive number of seconds, else {@link #FLUSH_WAIT_SECONDS}. */
    static long flushWaitSeconds() {
        try {
            long s = Long.parseLong(System.getProperty(FLUSH_WAIT_PROPERTY, Long.toString(FLUSH_WAIT_SECONDS)).trim());
            return s > 0 ? s : FLUSH_WAIT_SECONDS;
        } catch (NumberFormatException e) {
            return FLUSH_WAIT_SECONDS;
        }
    }
}
