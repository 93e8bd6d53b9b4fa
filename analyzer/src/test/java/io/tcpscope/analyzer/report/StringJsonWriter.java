package io.tcpscope.analyzer.report;

/** The String-building JsonWriter this package had before the byte writer: the oracle of JsonWriterTest. */
final class StringJsonWriter {
    private final StringBuilder sb = new StringBuilder(512);
    private boolean needComma;

    StringJsonWriter begin() {
        sb.setLength(0);
        needComma = false;
        return this;
    }

    StringJsonWriter open() {
        comma();
        sb.append('{');
        needComma = false;
        return this;
    }

    StringJsonWriter open(String name) {
        key(name);
        sb.append('{');
        needComma = false;
        return this;
    }

    StringJsonWriter close() {
        sb.append('}');
        needComma = true;
        return this;
    }

    StringJsonWriter array(String name) {
        key(name);
        sb.append('[');
        needComma = false;
        return this;
    }

    StringJsonWriter endArray() {
        sb.append(']');
        needComma = true;
        return this;
    }

    StringJsonWriter field(String name, String value) {
        key(name);
        string(value);
        needComma = true;
        return this;
    }

    StringJsonWriter field(String name, long value) {
        key(name);
        sb.append(value);
        needComma = true;
        return this;
    }

    StringJsonWriter field(String name, boolean value) {
        key(name);
        sb.append(value);
        needComma = true;
        return this;
    }

    /** A number already formatted (e.g. epoch seconds with fraction). */
    StringJsonWriter rawNumber(String name, String number) {
        key(name);
        sb.append(number);
        needComma = true;
        return this;
    }

    StringJsonWriter nullField(String name) {
        key(name);
        sb.append("null");
        needComma = true;
        return this;
    }

    /** An array element that is a string. */
    StringJsonWriter value(String value) {
        comma();
        string(value);
        needComma = true;
        return this;
    }

    /** An array element that is a number. */
    StringJsonWriter value(long value) {
        comma();
        sb.append(value);
        needComma = true;
        return this;
    }

    private void key(String name) {
        comma();
        string(name);
        sb.append(':');
    }

    private void comma() {
        if (needComma) {
            sb.append(',');
        }
    }

    private void string(String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
            }
        }
        sb.append('"');
    }

    String text() {
        return sb.toString();
    }
}
