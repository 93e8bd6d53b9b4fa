package io.tcpscope.analyzer.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C and SIGTERM: a JVM shutdown hook asks the running command to stop, then waits (up
 * to a bound) for it to finish writing, so nothing the user asked for is lost.
 */
public final class StopSignal {
    /** How long the shutdown hook waits for the command to write its results. */
    public static final long FLUSH_WAIT_SECONDS = 10;

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
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (done.getCount() == 0) {
                return;
            }
            signalled = true;
            request();
            try {
                done.await(FLUSH_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tcpscope-stop"));
        return this;
    }
}
