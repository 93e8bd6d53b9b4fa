package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.testing.Json;
import io.tcpscope.capture.Frame;
import io.tcpscope.capture.PacketSource;
import io.tcpscope.capture.file.CaptureFiles;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 §3: a pcapng whose Interface Statistics Block records that the capture ran on past
 * its last frame ({@code isb_endtime}, as dumpcap writes it): that silence counts toward
 * {@code --stuck-after}, and the recorded drops are reported.
 */
class StuckCaptureEndTest {

    private static byte[] block(int type, byte[] body) {
        int len = 12 + body.length;
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(type).putInt(len).put(body).putInt(len);
        return b.array();
    }

    /** The fixture's frames as a pcapng (nanosecond if_tsresol), then an ISB: endtime, ifdrop. */
    static Path asPcapngWithIsb(Path pcap, Path out, long endNanos, long ifDrop) throws Exception {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        ByteBuffer shb = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        shb.putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1);
        file.write(block(0x0A0D0D0A, shb.array()));
        boolean idbWritten = false;
        try (PacketSource source = CaptureFiles.open(pcap)) {
            Frame f;
            while ((f = source.next()) != null) {
                if (!idbWritten) {
                    ByteBuffer idb = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
                    idb.putShort((short) f.linkType()).putShort((short) 0).putInt(262144);
                    idb.putShort((short) 9).putShort((short) 1).put((byte) 9).put(new byte[3]); // if_tsresol 10^-9
                    file.write(block(1, idb.array()));
                    idbWritten = true;
                }
                int padded = (f.capturedLength() + 3) & ~3;
                ByteBuffer epb = ByteBuffer.allocate(20 + padded).order(ByteOrder.LITTLE_ENDIAN);
                long ts = f.timestampNanos();
                epb.putInt(0).putInt((int) (ts >>> 32)).putInt((int) ts).putInt(f.capturedLength())
                        .putInt(f.originalLength()).put(f.buffer(), f.offset(), f.capturedLength());
                file.write(block(6, epb.array()));
            }
        }
        ByteBuffer isb = ByteBuffer.allocate(12 + 12 + 12 + 4).order(ByteOrder.LITTLE_ENDIAN);
        isb.putInt(0).putInt((int) (endNanos >>> 32)).putInt((int) endNanos);
        isb.putShort((short) 3).putShort((short) 8).putInt((int) (endNanos >>> 32)).putInt((int) endNanos); // isb_endtime
        isb.putShort((short) 5).putShort((short) 8).putLong(ifDrop); // isb_ifdrop
        isb.putInt(0); // opt_endofopt
        file.write(block(5, isb.array()));
        Files.write(out, file.toByteArray());
        return out;
    }

    @Test
    void silenceRecordedByTheIsbCounts(@TempDir Path dir) throws Exception {
        Path pcap = CliRun.fixture("stuck-several-services");
        long lastFrame = 1796114724_441939909L;
        Path longer = asPcapngWithIsb(pcap, dir.resolve("longer.pcapng"), lastFrame + 12_000_000_000L, 3);
        Path same = asPcapngWithIsb(pcap, dir.resolve("same.pcapng"), lastFrame, 0);

        CliRun shortRun = CliRun.of("stuck", same.toString(), "--format", "jsonl", "--stuck-after", "10s");
        assertEquals(0, shortRun.exit(), shortRun.toString());
        CliRun run = CliRun.of("stuck", longer.toString(), "--format", "jsonl", "--stuck-after", "10s");
        assertEquals(1, run.exit(), run.toString());
        List<String> lines = run.outLines();
        Map<String, Object> summary = Json.object(Json.parse(lines.get(lines.size() - 1)));
        assertEquals("isb_endtime", summary.get("capture_end_from"));
        assertEquals(3L, summary.get("stuck"));
        assertEquals(3L, summary.get("interface_drops"));
        assertTrue(run.err().contains("3 packets dropped by the interface"), run.err());

        // analyze: the clock runs to the ISB's end, so STUCK_FIN_WAIT_2 (keepalives aside) is raised at 10 s
        CliRun analyze = CliRun.of("analyze", longer.toString(), "--format", "jsonl", "--stuck-after", "10s");
        assertTrue(analyze.out().contains("\"code\":\"STUCK_FIN_WAIT_2\""), analyze.out());
        CliRun analyzeSame = CliRun.of("analyze", same.toString(), "--format", "jsonl", "--stuck-after", "10s");
        assertTrue(!analyzeSame.out().contains("\"code\":\"STUCK_FIN_WAIT_2\""), analyzeSame.out());
    }
}
