package io.tcpscope.analyzer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** RFC 4180 §2.6-2.7 quoting of one field, and Zeek's 6-decimal times. */
class CsvReportTest {
    @Test
    void quotesOnlyWhatNeedsIt() {
        assertEquals("SYN_SENT>ESTABLISHED", CsvReport.field("SYN_SENT>ESTABLISHED"));
        assertEquals("", CsvReport.field(""));
        assertEquals("\"a,b\"", CsvReport.field("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", CsvReport.field("say \"hi\""));
        assertEquals("\"two\r\nlines\"", CsvReport.field("two\r\nlines"));
        assertEquals("\"lf\nonly\"", CsvReport.field("lf\nonly"));
    }

    @Test
    void zeekTimesHaveSixDecimals() {
        assertEquals("1.000000", ZeekReport.seconds(1_000_000_000L));
        assertEquals("0.000001", ZeekReport.seconds(1_000L));
        assertEquals("0.000001", ZeekReport.seconds(500L)); // rounded, as %.6f rounds
        assertEquals("1362692526.869344", ZeekReport.seconds(1_362_692_526_869_344_000L));
    }
}
