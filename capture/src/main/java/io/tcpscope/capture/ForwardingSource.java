package io.tcpscope.capture;

import java.util.OptionalLong;

/**
 * A source that wraps another and hands everything but {@link #next} to it: damage,
 * description, the pcapng statistics, breakLoop and close. Subclasses (the per-frame filter,
 * the clock guard) change what {@code next()} returns, nothing else. Owns the wrapped source:
 * closing this closes it.
 */
public abstract class ForwardingSource implements PacketSource {
    /** The wrapped source. */
    protected final PacketSource source;

    protected ForwardingSource(PacketSource source) {
        this.source = source;
    }

    /** The wrapped source. */
    public PacketSource source() {
        return source;
    }

    @Override
    public OptionalLong captureEndNanos() {
        return source.captureEndNanos();
    }

    @Override
    public OptionalLong interfaceReceived() {
        return source.interfaceReceived();
    }

    @Override
    public OptionalLong interfaceDrops() {
        return source.interfaceDrops();
    }

    @Override
    public OptionalLong osDrops() {
        return source.osDrops();
    }

    @Override
    public String damage() {
        return source.damage();
    }

    @Override
    public String description() {
        return source.description();
    }

    @Override
    public void breakLoop() {
        source.breakLoop();
    }

    @Override
    public void close() {
        source.close();
    }
}
