package io.tcpscope.analyzer.report;

import io.tcpscope.analyzer.decode.Addresses;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A minimal JSON text builder for one line at a time (no dependency, no reflection).
 *
 * <p>The line is built as UTF-8 bytes in one reused array that grows to the longest line
 * and is never shrunk: keys, strings and numbers are written digit by digit and character
 * by character, so building a line allocates nothing once the array is large enough.
 * {@link #writeLine(PrintStream)} (or {@link #writeTo(OutputStream)}) hands the bytes to
 * the stream without a {@code String}; {@link #text()} still gives the line as a
 * {@code String} for callers that want one.
 *
 * <p>Output is byte-for-byte what the earlier {@code StringBuilder} version printed through
 * a UTF-8 {@code PrintStream.println}: the same escapes (backslash before quote and
 * backslash, backslash-n, -r, -t, other control characters as backslash-u00XX), other
 * characters as UTF-8, and an unpaired surrogate as {@code ?} (the UTF-8 encoder's
 * replacement; {@link #text()} then has {@code ?} too, where the old text kept the lone char). {@link #epochSeconds} and
 * {@link #durationSeconds} write what {@link Format#epochSeconds} and
 * {@link Format#durationSeconds} return, {@link #address} what {@code Addresses.format}
 * returns, {@link #lowerCase} a lower-cased enum name, without building the strings.
 */
public final class JsonWriter {
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
    private static final byte[] LINE_SEPARATOR = System.lineSeparator().getBytes(StandardCharsets.UTF_8);
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private byte[] buf = new byte[1024];
    private int length;
    private boolean needComma;

    public JsonWriter begin() {
        length = 0;
        needComma = false;
        return this;
    }

    public JsonWriter open() {
        comma();
        put('{');
        needComma = false;
        return this;
    }

    public JsonWriter open(String name) {
        key(name);
        put('{');
        needComma = false;
        return this;
    }

    public JsonWriter close() {
        put('}');
        needComma = true;
        return this;
    }

    public JsonWriter array(String name) {
        key(name);
        put('[');
        needComma = false;
        return this;
    }

    public JsonWriter endArray() {
        put(']');
        needComma = true;
        return this;
    }

    public JsonWriter field(String name, String value) {
        key(name);
        string(value);
        needComma = true;
        return this;
    }

    public JsonWriter field(String name, long value) {
        key(name);
        number(value);
        needComma = true;
        return this;
    }

    public JsonWriter field(String name, boolean value) {
        key(name);
        put(value ? TRUE : FALSE);
        needComma = true;
        return this;
    }

    /** A number already formatted (e.g. epoch seconds with fraction). */
    public JsonWriter rawNumber(String name, String number) {
        key(name);
        ascii(number);
        needComma = true;
        return this;
    }

    /** {@code rawNumber(name, Format.epochSeconds(nanos))}, without the string. */
    public JsonWriter epochSeconds(String name, long nanos) {
        key(name);
        long sec = Math.floorDiv(nanos, NANOS_PER_SECOND);
        long frac = Math.floorMod(nanos, NANOS_PER_SECOND);
        number(sec);
        put('.');
        if (frac % 1000 == 0) {
            padded(frac / 1000, 6);
        } else {
            padded(frac, 9);
        }
        needComma = true;
        return this;
    }

    /** {@code rawNumber(name, Format.durationSeconds(nanos))}, without the string. */
    public JsonWriter durationSeconds(String name, long nanos) {
        if (nanos == Long.MIN_VALUE) { // Math.abs overflows: Format's own text
            return rawNumber(name, Format.durationSeconds(nanos));
        }
        key(name);
        if (nanos < 0) {
            put('-');
        }
        long n = Math.abs(nanos);
        number(n / NANOS_PER_SECOND);
        put('.');
        padded((n % NANOS_PER_SECOND) / 1000, 6);
        needComma = true;
        return this;
    }

    /**
     * An address field: {@code field(name, Addresses.format(ipVersion, hi, lo))}; IPv4 is
     * written digit by digit, without the string.
     */
    public JsonWriter address(String name, int ipVersion, long hi, long lo) {
        if (ipVersion != 4) {
            return field(name, Addresses.format(ipVersion, hi, lo));
        }
        key(name);
        put('"');
        int a = (int) lo;
        for (int shift = 24; shift >= 0; shift -= 8) {
            number((a >>> shift) & 0xff);
            if (shift > 0) {
                put('.');
            }
        }
        put('"');
        needComma = true;
        return this;
    }

    /** {@code field(name, value.toLowerCase(Locale.ROOT))}, without the string when it is ASCII (enum names). */
    public JsonWriter lowerCase(String name, String value) {
        int n = value.length();
        for (int i = 0; i < n; i++) {
            char ch = value.charAt(i);
            if (ch >= 0x80 || ch < 0x20 || ch == '"' || ch == '\\') {
                return field(name, value.toLowerCase(Locale.ROOT));
            }
        }
        key(name);
        ensure(n + 2);
        buf[length++] = '"';
        for (int i = 0; i < n; i++) {
            char ch = value.charAt(i);
            buf[length++] = (byte) (ch >= 'A' && ch <= 'Z' ? ch + ('a' - 'A') : ch);
        }
        buf[length++] = '"';
        needComma = true;
        return this;
    }

    public JsonWriter nullField(String name) {
        key(name);
        put(NULL);
        needComma = true;
        return this;
    }

    /** An array element that is a string. */
    public JsonWriter value(String value) {
        comma();
        string(value);
        needComma = true;
        return this;
    }

    /** An array element that is a number. */
    public JsonWriter value(long value) {
        comma();
        number(value);
        needComma = true;
        return this;
    }

    /** The line built so far, as text. */
    public String text() {
        return new String(buf, 0, length, StandardCharsets.UTF_8);
    }

    /** Bytes of the line built so far (UTF-8). */
    public int length() {
        return length;
    }

    /** Writes the line and the platform line separator: the bytes {@code out.println(text())} writes. */
    public void writeLine(PrintStream out) {
        ensure(LINE_SEPARATOR.length);
        System.arraycopy(LINE_SEPARATOR, 0, buf, length, LINE_SEPARATOR.length);
        out.write(buf, 0, length + LINE_SEPARATOR.length);
    }

    /** Writes the line's bytes, without a line separator. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, length);
    }

    private void key(String name) {
        comma();
        string(name);
        put(':');
    }

    private void comma() {
        if (needComma) {
            put(',');
        }
    }

    private void string(String s) {
        if (s == null) {
            put(NULL);
            return;
        }
        int n = s.length();
        ensure(n + 2);
        byte[] b = buf;
        int p = length;
        b[p++] = '"';
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            if (ch >= 0x20 && ch < 0x80 && ch != '"' && ch != '\\') {
                b[p++] = (byte) ch; // room for n + 2 bytes was made above
                continue;
            }
            length = p;
            special(s, i, ch);
            if (Character.isHighSurrogate(ch) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            }
            ensure(n - i + 1);
            b = buf;
            p = length;
        }
        b[p++] = '"';
        length = p;
    }

    /** An escaped or non-ASCII character at {@code s[i]}. */
    private void special(String s, int i, char ch) {
        switch (ch) {
            case '"': put('\\'); put('"'); return;
            case '\\': put('\\'); put('\\'); return;
            case '\n': put('\\'); put('n'); return;
            case '\r': put('\\'); put('r'); return;
            case '\t': put('\\'); put('t'); return;
            default:
                break;
        }
        if (ch < 0x20) {
            ensure(6);
            buf[length++] = '\\';
            buf[length++] = 'u';
            buf[length++] = '0';
            buf[length++] = '0';
            buf[length++] = HEX[ch >>> 4];
            buf[length++] = HEX[ch & 0xf];
            return;
        }
        ensure(4);
        if (ch < 0x800) {
            buf[length++] = (byte) (0xc0 | (ch >>> 6));
            buf[length++] = (byte) (0x80 | (ch & 0x3f));
        } else if (Character.isSurrogate(ch)) {
            if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(ch, s.charAt(i + 1));
                buf[length++] = (byte) (0xf0 | (cp >>> 18));
                buf[length++] = (byte) (0x80 | ((cp >>> 12) & 0x3f));
                buf[length++] = (byte) (0x80 | ((cp >>> 6) & 0x3f));
                buf[length++] = (byte) (0x80 | (cp & 0x3f));
            } else {
                buf[length++] = '?'; // unpaired: what the UTF-8 encoder writes
            }
        } else {
            buf[length++] = (byte) (0xe0 | (ch >>> 12));
            buf[length++] = (byte) (0x80 | ((ch >>> 6) & 0x3f));
            buf[length++] = (byte) (0x80 | (ch & 0x3f));
        }
    }

    /** Text known to be a number (ASCII); anything else is still encoded as UTF-8. */
    private void ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            if (ch < 0x80) {
                buf[length++] = (byte) ch;
            } else {
                special(s, i, ch);
                if (Character.isHighSurrogate(ch) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                }
                ensure(n - i);
            }
        }
    }

    private void number(long v) {
        if (v == Long.MIN_VALUE) {
            ascii(Long.toString(v));
            return;
        }
        ensure(20);
        if (v < 0) {
            buf[length++] = '-';
            v = -v;
        }
        int digits = digits(v);
        int end = length + digits;
        int p = end;
        do {
            buf[--p] = (byte) ('0' + (int) (v % 10));
            v /= 10;
        } while (v != 0);
        length = end;
    }

    /** {@code v} (non-negative) left-padded with zeros to {@code width} digits. */
    private void padded(long v, int width) {
        int digits = digits(v);
        ensure(Math.max(digits, width));
        for (int i = digits; i < width; i++) {
            buf[length++] = '0';
        }
        number(v);
    }

    private static int digits(long v) {
        int d = 1;
        while (v >= 10) {
            v /= 10;
            d++;
        }
        return d;
    }

    private void put(char c) {
        ensure(1);
        buf[length++] = (byte) c;
    }

    private void put(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, length, bytes.length);
        length += bytes.length;
    }

    private void ensure(int more) {
        if (length + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + more));
        }
    }
}
