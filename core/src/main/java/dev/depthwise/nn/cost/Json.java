package dev.depthwise.nn.cost;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * A minimal JSON writer for the cost reports (core has no dependencies): objects, arrays, strings,
 * integers and finite doubles, written compactly in insertion order.
 */
final class Json {
    private final StringBuilder out = new StringBuilder();
    private boolean first = true;

    Json begin() {
        comma();
        out.append('{');
        first = true;
        return this;
    }

    Json end() {
        out.append('}');
        first = false;
        return this;
    }

    Json beginArray() {
        comma();
        out.append('[');
        first = true;
        return this;
    }

    Json endArray() {
        out.append(']');
        first = false;
        return this;
    }

    /** A key; the next value, object or array is its value. */
    Json key(String k) {
        comma();
        string(k);
        out.append(':');
        first = true;
        return this;
    }

    Json value(String s) {
        comma();
        string(s);
        first = false;
        return this;
    }

    Json value(long v) {
        comma();
        out.append(v);
        first = false;
        return this;
    }

    Json value(double v) {
        comma();
        // 10 significant digits: stable output, enough for any ratio a reader compares; BigDecimal
        // writes valid JSON numbers (0.1267361111, 1E-7), never "1." or NaN
        out.append(Double.isFinite(v) ? new BigDecimal(v).round(new MathContext(10)).stripTrailingZeros().toString()
                : "null");
        first = false;
        return this;
    }

    Json value(int[] dims) {
        beginArray();
        for (int d : dims) {
            value(d);
        }
        return endArray();
    }

    Json field(String k, String v) { return key(k).value(v); }

    Json field(String k, long v) { return key(k).value(v); }

    Json field(String k, double v) { return key(k).value(v); }

    Json field(String k, int[] v) { return key(k).value(v); }

    private void comma() {
        if (!first) {
            out.append(',');
        }
        first = false;
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
