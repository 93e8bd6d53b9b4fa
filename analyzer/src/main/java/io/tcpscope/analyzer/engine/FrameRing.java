package io.tcpscope.analyzer.engine;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded single-producer single-consumer ring of reused {@link DecodedFrame} slots,
 * between the thread that reads and decodes frames and the thread that runs the
 * {@link Pipeline}'s lifecycle ({@code analyze --threads 2}). Nothing is allocated per
 * frame: the {@link #CAPACITY} slots are made once and cycle.
 *
 * <p>The producer {@link #claim()}s the next free slot, fills it and {@link #publish()}es it;
 * the consumer {@link #take()}s the oldest published slot and {@link #release()}s it when
 * done. Positions are two counters (release/acquire through {@link AtomicLong#lazySet} and
 * {@code get}); each side re-reads the other's counter only when its cached copy says the
 * ring is full (or empty), and the producer publishes every {@link #BATCH} slots (or when
 * it would wait, or at the end), so the two cores rarely touch the same cache line.
 * A side that must wait spins briefly, then yields, then parks for short intervals (the
 * machine may have fewer free cores than threads); a producer that found the ring full waits
 * until half of it is free.
 *
 * <p>The end: the producer {@link #finish(Throwable)}es (with its error, if any); the
 * consumer's {@link #take()} returns {@code null} after the last slot, and
 * {@link #failure()} then says whether the producer failed. The consumer may
 * {@link #cancel()} (its own error): the producer's {@link #claim()} then returns null.
 */
public final class FrameRing {
    /** Slots in the ring. */
    public static final int CAPACITY = 4096;
    /** Slots the producer fills before it publishes them. */
    static final int BATCH = 64;
    private static final int MASK = CAPACITY - 1;
    private static final int SPINS = 200;
    private static final int YIELDS = 50;
    private static final long PARK_NANOS = 20_000;

    private final DecodedFrame[] slots = new DecodedFrame[CAPACITY];
    /** Slots published so far (written by the producer). */
    private final AtomicLong published = new AtomicLong();
    /** Slots released so far (written by the consumer). */
    private final AtomicLong released = new AtomicLong();
    private volatile boolean finished;
    private volatile boolean cancelled;
    private volatile Throwable failure;

    // Producer's own.
    private long claimed;
    private long releasedSeen;
    // Consumer's own.
    private long taken;
    private long publishedSeen;

    public FrameRing() {
        for (int i = 0; i < CAPACITY; i++) {
            slots[i] = new DecodedFrame();
        }
    }

    /** Producer: the next slot to fill, waiting while the ring is full; null once cancelled. */
    public DecodedFrame claim() {
        if (claimed - releasedSeen >= CAPACITY && claimed - (releasedSeen = released.get()) >= CAPACITY) {
            flush();
            // Full: wait until half of it is free, not just one slot, so that the two threads
            // do not wake each other for every batch.
            int idle = 0;
            while (claimed - (releasedSeen = released.get()) > CAPACITY / 2) {
                if (cancelled) {
                    return null;
                }
                idle = pause(idle);
            }
        }
        return cancelled ? null : slots[(int) (claimed & MASK)];
    }

    /** Producer: the slot {@link #claim()} gave is filled. */
    public void publish() {
        claimed++;
        if ((claimed & (BATCH - 1)) == 0) {
            published.lazySet(claimed);
        }
    }

    private void flush() {
        if (published.get() != claimed) {
            published.lazySet(claimed);
        }
    }

    /** Producer: no more slots; {@code error} (or null) is what ended the reading. */
    public void finish(Throwable error) {
        failure = error;
        published.set(claimed);
        finished = true;
    }

    /** Consumer: the oldest published slot, waiting for one; null after the last. */
    public DecodedFrame take() {
        if (taken == publishedSeen) {
            int idle = 0;
            while (taken == (publishedSeen = published.get())) {
                if (finished) {
                    publishedSeen = published.get(); // finish() published everything before setting finished
                    if (taken == publishedSeen) {
                        return null;
                    }
                    break;
                }
                idle = pause(idle);
            }
        }
        return slots[(int) (taken & MASK)];
    }

    /** Consumer: done with the slot {@link #take()} gave. */
    public void release() {
        taken++;
        if ((taken & (BATCH - 1)) == 0 || taken == publishedSeen) {
            released.lazySet(taken);
        }
    }

    /** Consumer: stop the producer (it sees null from {@link #claim()}). */
    public void cancel() {
        cancelled = true;
    }

    public boolean cancelled() {
        return cancelled;
    }

    /** What ended the producer, once {@link #take()} returned null: null when the input simply ended. */
    public Throwable failure() {
        return failure;
    }

    private static int pause(int idle) {
        if (idle < SPINS) {
            Thread.onSpinWait();
        } else if (idle < SPINS + YIELDS) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(PARK_NANOS);
        }
        return idle + 1;
    }
}
