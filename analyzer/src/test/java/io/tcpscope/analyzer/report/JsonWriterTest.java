package io.tcpscope.analyzer.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The byte writer prints exactly what the String writer it replaced printed through a UTF-8
 * {@code PrintStream.println} ({@link StringJsonWriter}, the old code, is the oracle), for
 * random sequences of every call with strings full of escapes, control characters, non-ASCII
 * text and surrogates, and numbers across the whole long range.
 */
class JsonWriterTest {
    private static final String[] ALPHABET = {"a", "Z", "0", " ", "\"", "\\", "\n", "\r", "\t", "\u0000", "\u001f",
        "\u007f", "\u00e9", "\u07ff", "\u0800", "\u20ac", "\uffff", "\ud83d\ude00", "\ud83d", "\ude00", "/", "{"};

    private static String randomString(SplittableRandom r) {
        if (r.nextInt(20) == 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(r.nextInt(10) == 0 ? 3000 : 12);
        for (int i = 0; i < n; i++) {
            sb.append(ALPHABET[r.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }

    private static long randomLong(SplittableRandom r) {
        switch (r.nextInt(6)) {
            case 0: return r.nextLong();
            case 1: return r.nextInt(1000) - 500;
            case 2: return Long.MIN_VALUE + r.nextInt(3);
            case 3: return Long.MAX_VALUE - r.nextInt(3);
            case 4: return 1_700_000_000_000_000_000L + r.nextLong(1_000_000_000_000L);
            default: return (long) Math.pow(10, r.nextInt(19)) - r.nextInt(2);
        }
    }

    @Test
    void sameBytesAsTheStringWriterForRandomLines() {
        SplittableRandom r = new SplittableRandom(42);
        JsonWriter bytes = new JsonWriter();
        StringJsonWriter strings = new StringJsonWriter();
        for (int line = 0; line < 3000; line++) {
            bytes.begin();
            strings.begin();
            int calls = r.nextInt(60);
            for (int c = 0; c < calls; c++) {
                String name = randomString(r);
                if (name == null) {
                    name = "k";
                }
                switch (r.nextInt(13)) {
                    case 0: bytes.open(); strings.open(); break;
                    case 1: bytes.open(name); strings.open(name); break;
                    case 2: bytes.close(); strings.close(); break;
                    case 3: bytes.array(name); strings.array(name); break;
                    case 4: bytes.endArray(); strings.endArray(); break;
                    case 5: {
                        String v = randomString(r);
                        bytes.field(name, v);
                        strings.field(name, v);
                        break;
                    }
                    case 6: {
                        long v = randomLong(r);
                        bytes.field(name, v);
                        strings.field(name, v);
                        break;
                    }
                    case 7: {
                        boolean v = r.nextBoolean();
                        bytes.field(name, v);
                        strings.field(name, v);
                        break;
                    }
                    case 8: {
                        long v = randomLong(r);
                        bytes.epochSeconds(name, v);
                        strings.rawNumber(name, Format.epochSeconds(v));
                        break;
                    }
                    case 9: {
                        long v = randomLong(r);
                        bytes.durationSeconds(name, v);
                        strings.rawNumber(name, Format.durationSeconds(v));
                        break;
                    }
                    case 10: bytes.nullField(name); strings.nullField(name); break;
                    case 11: {
                        String v = randomString(r);
                        bytes.value(v);
                        strings.value(v);
                        break;
                    }
                    default: {
                        long v = randomLong(r);
                        bytes.value(v);
                        strings.value(v);
                        break;
                    }
                }
            }
            String expected = strings.text();
            assertArrayEquals(println(expected), writeLine(bytes), "line " + line + ": " + expected);
            assertEquals(expected.getBytes(StandardCharsets.UTF_8).length, bytes.length(), "line " + line);
        }
    }

    @Test
    void textIsTheLineForWellFormedStrings() {
        JsonWriter j = new JsonWriter();
        j.begin().open().field("type", "connection").field("id", 7).rawNumber("ts", "1.5")
                .epochSeconds("start_ts", 1_700_000_000_123_456_000L).durationSeconds("duration_s", -1_500L)
                .field("cause", "caf\u00e9 \ud83d\ude00 \"q\"\n").array("flags").value("A").value(-3).endArray()
                .field("ok", false).nullField("damage").close();
        assertEquals("{\"type\":\"connection\",\"id\":7,\"ts\":1.5,\"start_ts\":1700000000.123456,"
                + "\"duration_s\":-0.000001,\"cause\":\"caf\u00e9 \ud83d\ude00 \\\"q\\\"\\n\",\"flags\":[\"A\",-3],"
                + "\"ok\":false,\"damage\":null}", j.text());
    }

    @Test
    void theArrayGrowsForLongLinesAndIsReused() {
        JsonWriter j = new JsonWriter();
        String big = "x".repeat(100_000);
        j.begin().open().field("big", big).close();
        assertEquals(100_000 + 10, j.length());
        j.begin().open().field("a", 1).close();
        assertEquals("{\"a\":1}", j.text());
    }

    @Test
    void addressAndLowerCaseWriteWhatTheStringsWould() {
        SplittableRandom r = new SplittableRandom(9);
        JsonWriter bytes = new JsonWriter();
        StringJsonWriter strings = new StringJsonWriter();
        for (int i = 0; i < 20_000; i++) {
            int v = r.nextBoolean() ? 4 : 6;
            long hi = v == 4 ? 0 : (r.nextInt(4) == 0 ? 0 : r.nextLong());
            long lo = v == 4 ? Integer.toUnsignedLong(r.nextInt()) : (r.nextInt(4) == 0 ? r.nextLong(1 << 16) : r.nextLong());
            if (v == 4 && i % 7 == 0) {
                lo = new long[] {0, 0xffffffffL, 0x0a000001L, 0x7f000001L}[i % 4];
            }
            String name = "basis";
            String value = new String[] {"SEEN", "EVIDENCE", "ASSUMED", "TIMER", "Mixed_Case-1", "\u00c9T\u00c9"}[i % 6];
            bytes.begin().open().address("ip", v, hi, lo).lowerCase(name, value).close();
            strings.begin().open().field("ip", io.tcpscope.analyzer.decode.Addresses.format(v, hi, lo))
                    .field(name, value.toLowerCase(java.util.Locale.ROOT)).close();
            assertEquals(strings.text(), bytes.text());
        }
    }

    private static byte[] println(String line) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(o, false, StandardCharsets.UTF_8);
        p.println(line);
        p.flush();
        return o.toByteArray();
    }

    private static byte[] writeLine(JsonWriter j) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(o, false, StandardCharsets.UTF_8);
        j.writeLine(p);
        p.flush();
        return o.toByteArray();
    }
}
