package io.tcpscope.capture.file;

import io.tcpscope.capture.CaptureException;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.PacketSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Everything a source delivered, copied out of the reused frame, and its damage. */
final class ReadResult {
    /** One delivered frame, copied. */
    record Copy(long number, long timestampNanos, int capturedLength, int originalLength, int linkType,
                int interfaceId, byte[] data) {
    }

    final List<Copy> frames = new ArrayList<>();
    String damage;

    static ReadResult read(Path path) throws CaptureException {
        return read(path, FileWindow.DEFAULT_CAPACITY);
    }

    static ReadResult read(Path path, int windowCapacity) throws CaptureException {
        ReadResult result = new ReadResult();
        try (PacketSource source = CaptureFiles.open(path, windowCapacity)) {
            Frame frame;
            while ((frame = source.next()) != null) {
                result.frames.add(new Copy(frame.number(), frame.timestampNanos(), frame.capturedLength(),
                    frame.originalLength(), frame.linkType(), frame.interfaceId(),
                    Arrays.copyOfRange(frame.buffer(), frame.offset(), frame.offset() + frame.capturedLength())));
            }
            result.damage = source.damage();
            if (source.next() != null) {
                throw new AssertionError("next() after the end returned a frame");
            }
        }
        return result;
    }

    static ReadResult read(Path directory, String name, byte[] bytes, int windowCapacity)
            throws CaptureException, IOException {
        Path path = directory.resolve(name);
        Files.write(path, bytes);
        return read(path, windowCapacity);
    }

    Copy frame(int number) {
        return frames.get(number - 1);
    }

    int count() {
        return frames.size();
    }
}
