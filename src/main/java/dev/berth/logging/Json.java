package dev.berth.logging;

/** Just enough JSON writing for one-line log objects. */
public final class Json {

    private Json() {
    }

    /** Appends {@code value} as a JSON string, quotes included. */
    public static StringBuilder quote(StringBuilder out, String value) {
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

    public static StringBuilder field(StringBuilder out, String name, String value) {
        if (out.length() > 1) {
            out.append(',');
        }
        quote(out, name).append(':');
        return quote(out, value);
    }

    public static StringBuilder field(StringBuilder out, String name, long value) {
        if (out.length() > 1) {
            out.append(',');
        }
        return quote(out, name).append(':').append(value);
    }
}
