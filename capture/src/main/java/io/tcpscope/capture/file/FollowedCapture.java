package io.tcpscope.capture.file;

import io.tcpscope.capture.Frame;
import io.tcpscope.capture.PacketSource;

import java.util.OptionalLong;

/**
 * A capture file read as it grows ({@link CaptureFiles#follow}): the file's reader, whose
 * window waits at the end of the file, with the {@link Follow} that ends it. What it changes:
 * {@link #breakLoop()} stops the following; {@link #damage()} is the reader's, except that a
 * record cut when the following was stopped is no damage (the writer was writing it), and a
 * file that got shorter is.
 */
public final class FollowedCapture implements PacketSource {
    private final PacketSource reader;
    private final Follow follow;
    private final String description;

    /** @param reader the file's reader over a followed window, or null when stopped before the header came */
    FollowedCapture(PacketSource reader, Follow follow, String description) {
        this.reader = reader;
        this.follow = follow;
        this.description = description;
    }

    /** How the following ended. */
    public Follow follow() {
        return follow;
    }

    @Override
    public Frame next() throws io.tcpscope.capture.CaptureException {
        return reader == null ? null : reader.next();
    }

    @Override
    public String damage() {
        return switch (follow.end()) {
            case STOPPED -> null; // a record cut there was being written
            case TRUNCATED -> follow.endMessage();
            case NONE, REPLACED -> reader == null ? null : reader.damage();
        };
    }

    @Override
    public OptionalLong captureEndNanos() {
        return reader == null ? OptionalLong.empty() : reader.captureEndNanos();
    }

    @Override
    public OptionalLong interfaceReceived() {
        return reader == null ? OptionalLong.empty() : reader.interfaceReceived();
    }

    @Override
    public OptionalLong interfaceDrops() {
        return reader == null ? OptionalLong.empty() : reader.interfaceDrops();
    }

    @Override
    public OptionalLong osDrops() {
        return reader == null ? OptionalLong.empty() : reader.osDrops();
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void breakLoop() {
        follow.stop();
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
        }
    }
}
