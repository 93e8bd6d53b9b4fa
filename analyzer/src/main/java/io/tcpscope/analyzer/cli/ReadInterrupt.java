package io.tcpscope.analyzer.cli;

/**
 * While open, a stop (Ctrl-C, SIGTERM, a closed output) interrupts the thread that opened it:
 * a read from a pipe or FIFO blocks until its writer writes or closes, and the read is
 * interruptible (FileChannel), so the command goes on to write its results instead of the
 * shutdown hook waiting in vain. The interrupted read throws; the command treats a read
 * error after a stop as the end of what was read. Closing it (on the same thread) ends the
 * interrupts and clears a late one.
 */
final class ReadInterrupt implements AutoCloseable {
    private final Thread reader = Thread.currentThread();
    private boolean reading = true;
    private boolean fired;

    ReadInterrupt(StopSignal stop) {
        stop.onStop(this::interruptRead);
        if (stop.requested()) {
            interruptRead();
        }
    }

    private synchronized void interruptRead() {
        if (reading) {
            fired = true;
            reader.interrupt();
        }
    }

    /**
     * Whether the stop interrupted the reading: a read error the source then recorded as
     * damage (a set of files keeps a member's read error as its damage) is the interrupt's,
     * not the capture's.
     */
    synchronized boolean fired() {
        return fired;
    }

    @Override
    public synchronized void close() {
        reading = false;
        Thread.interrupted(); // a late interrupt must not break the writing of the results
    }
}
