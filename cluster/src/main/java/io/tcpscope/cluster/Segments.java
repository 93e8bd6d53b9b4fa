package io.tcpscope.cluster;

import io.tcpscope.analyzer.decode.TcpSegment;
import java.nio.ByteBuffer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The compact row one TCP segment becomes where its file is read: the direction-free flow
 * key (endpoint a is the lower of the two by (address, port)), the direction, the capture
 * time, where it came from (file index, frame in the file, frame in the merged capture), and
 * every field of the decoded {@link TcpSegment} the tracker reads. Payload bytes are not
 * shipped (the tracker never reads them), only their length.
 */
final class Segments {
    static final String[] FLOW_KEY = {"ip_version", "a_hi", "a_lo", "a_port", "b_hi", "b_lo", "b_port"};

    static final StructType SCHEMA = new StructType(new StructField[] {
        field("ip_version", DataTypes.IntegerType),
        field("a_hi", DataTypes.LongType),
        field("a_lo", DataTypes.LongType),
        field("a_port", DataTypes.IntegerType),
        field("b_hi", DataTypes.LongType),
        field("b_lo", DataTypes.LongType),
        field("b_port", DataTypes.IntegerType),
        field("a_to_b", DataTypes.BooleanType),
        field("ts", DataTypes.LongType),
        field("file", DataTypes.IntegerType),
        field("file_frame", DataTypes.LongType),
        field("frame", DataTypes.LongType),
        field("ip_id", DataTypes.IntegerType),
        field("seq", DataTypes.IntegerType),
        field("ack", DataTypes.IntegerType),
        field("flags", DataTypes.IntegerType),
        field("window", DataTypes.IntegerType),
        field("payload_len", DataTypes.IntegerType),
        field("captured_payload_len", DataTypes.IntegerType),
        field("tcp_header_len", DataTypes.IntegerType),
        field("mss", DataTypes.IntegerType),
        field("wscale", DataTypes.IntegerType),
        field("sack_ok", DataTypes.BooleanType),
        field("has_ts", DataTypes.BooleanType),
        field("ts_val", DataTypes.LongType),
        field("ts_ecr", DataTypes.LongType),
        field("options_truncated", DataTypes.BooleanType),
        field("sack", DataTypes.BinaryType),
    });

    private static final int TS = 8;
    private static final int FRAME = 11;

    private Segments() {
    }

    private static StructField field(String name, DataType type) {
        return DataTypes.createStructField(name, type, false);
    }

    static Row row(TcpSegment s, long nanos, int file, long fileFrame, long frame) {
        boolean srcIsA = compare(s.srcHi, s.srcLo, s.srcPort, s.dstHi, s.dstLo, s.dstPort) <= 0;
        byte[] sack = new byte[8 * s.sackBlockCount];
        ByteBuffer b = ByteBuffer.wrap(sack);
        for (int i = 0; i < 2 * s.sackBlockCount; i++) {
            b.putInt(s.sackBlocks[i]);
        }
        return RowFactory.create(s.ipVersion,
                srcIsA ? s.srcHi : s.dstHi, srcIsA ? s.srcLo : s.dstLo, srcIsA ? s.srcPort : s.dstPort,
                srcIsA ? s.dstHi : s.srcHi, srcIsA ? s.dstLo : s.srcLo, srcIsA ? s.dstPort : s.srcPort,
                srcIsA, nanos, file, fileFrame, frame, s.ipId, s.seq, s.ack, s.flags, s.window, s.payloadLength,
                s.capturedPayloadLength, s.tcpHeaderLength, s.mss, s.windowScale, s.sackPermitted, s.hasTimestamps,
                s.tsVal, s.tsEcr, s.optionsTruncated, sack);
    }

    private static int compare(long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        int c = Long.compareUnsigned(aHi, bHi);
        if (c == 0) {
            c = Long.compareUnsigned(aLo, bLo);
        }
        return c != 0 ? c : Integer.compare(aPort, bPort);
    }

    static long nanos(Row r) {
        return r.getLong(TS);
    }

    static long frame(Row r) {
        return r.getLong(FRAME);
    }

    /** Refills {@code s} with the segment a row holds, as the decoder would have. */
    static void fill(Row r, TcpSegment s) {
        s.clear();
        s.ipVersion = r.getInt(0);
        boolean aToB = r.getBoolean(7);
        long aHi = r.getLong(1);
        long aLo = r.getLong(2);
        int aPort = r.getInt(3);
        long bHi = r.getLong(4);
        long bLo = r.getLong(5);
        int bPort = r.getInt(6);
        s.srcHi = aToB ? aHi : bHi;
        s.srcLo = aToB ? aLo : bLo;
        s.srcPort = aToB ? aPort : bPort;
        s.dstHi = aToB ? bHi : aHi;
        s.dstLo = aToB ? bLo : aLo;
        s.dstPort = aToB ? bPort : aPort;
        s.ipId = r.getInt(12);
        s.seq = r.getInt(13);
        s.ack = r.getInt(14);
        s.flags = r.getInt(15);
        s.window = r.getInt(16);
        s.payloadLength = r.getInt(17);
        s.capturedPayloadLength = r.getInt(18);
        s.tcpHeaderLength = r.getInt(19);
        s.mss = r.getInt(20);
        s.windowScale = r.getInt(21);
        s.sackPermitted = r.getBoolean(22);
        s.hasTimestamps = r.getBoolean(23);
        s.tsVal = r.getLong(24);
        s.tsEcr = r.getLong(25);
        s.optionsTruncated = r.getBoolean(26);
        byte[] sack = (byte[]) r.get(27);
        ByteBuffer b = ByteBuffer.wrap(sack);
        s.sackBlockCount = sack.length / 8;
        for (int i = 0; i < 2 * s.sackBlockCount; i++) {
            s.sackBlocks[i] = b.getInt();
        }
    }
}
