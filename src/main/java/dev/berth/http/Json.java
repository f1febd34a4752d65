package dev.berth.http;

import java.util.List;

/**
 * One JSON object, built field by field: health bodies, access log lines and log lines. Berth writes
 * only objects of strings, numbers, nested objects and lists of objects, so this is all it needs.
 */
public final class Json {

    private final StringBuilder text = new StringBuilder("{");

    private Json() {
    }

    public static Json object() {
        return new Json();
    }

    public Json put(String name, String value) {
        quote(name(name), value);
        return this;
    }

    public Json put(String name, long value) {
        name(name).append(value);
        return this;
    }

    public Json put(String name, Json value) {
        name(name).append(value);
        return this;
    }

    public Json put(String name, List<Json> values) {
        StringBuilder out = name(name).append('[');
        for (int i = 0; i < values.size(); i++) {
            out.append(i == 0 ? "" : ",").append(values.get(i));
        }
        out.append(']');
        return this;
    }

    @Override
    public String toString() {
        return text + "}";
    }

    private StringBuilder name(String name) {
        if (text.length() > 1) {
            text.append(',');
        }
        return quote(text, name).append(':');
    }

    /** The value as a JSON string, quoted and escaped. */
    public static String quoted(String value) {
        return quote(new StringBuilder(value.length() + 8), value).toString();
    }

    private static StringBuilder quote(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
