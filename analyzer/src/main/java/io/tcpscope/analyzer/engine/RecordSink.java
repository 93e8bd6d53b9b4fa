package io.tcpscope.analyzer.engine;

/** Where the {@link Pipeline} hands each connection's record, once, when the connection is over. */
@FunctionalInterface
public interface RecordSink {
    void record(ConnectionRecord record);
}
