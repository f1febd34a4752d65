package dev.berth.server;

import dev.berth.http.Json;

import org.eclipse.jetty.util.BufferUtil;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of a batch of log lines, formatted in place: fields go straight into one growing buffer as
 * UTF-8, with no String per field or per line (the access log's writer thread formats tens of thousands
 * of lines a second, and every cycle it spends is one a request does not get on a small instance).
 */
final class LineBuffer {

    private ByteBuffer bytes;

    LineBuffer(int capacity) {
        bytes = ByteBuffer.allocate(capacity);
    }

    LineBuffer put(char ascii) {
        room(1).put((byte) ascii);
        return this;
    }

    LineBuffer put(byte[] ascii) {
        room(ascii.length).put(ascii);
        return this;
    }

    LineBuffer put(long number) {
        BufferUtil.putDecLong(room(20), number);
        return this;
    }

    /** A number of exactly three digits, zero-padded: the milliseconds of a timestamp. */
    LineBuffer putThreeDigits(int number) {
        room(3).put((byte) ('0' + number / 100)).put((byte) ('0' + number / 10 % 10)).put((byte) ('0' + number % 10));
        return this;
    }

    /** The text as UTF-8, as it is. */
    LineBuffer put(String text) {
        ByteBuffer out = room(3 * text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                out.put((byte) c);
            } else {
                return putSlowly(text, i);
            }
        }
        return this;
    }

    /**
     * The text for inside the double quotes of a text log line: {@code "} and {@code \} escaped with a backslash,
     * control characters (C0, DEL and C1) as {@code \xHH} (as nginx writes them), the Unicode line and paragraph
     * separators as a backslash, {@code u} and four hex digits: a path cannot end the quotes or forge a line, however
     * the log is split.
     */
    LineBuffer putQuoted(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (escapes(text.charAt(i), false)) {
                return put(escaped(text, false));
            }
        }
        return put(text);
    }

    /**
     * A header's value inside the double quotes of a text log line: as {@link #putQuoted}, and every character
     * beyond ASCII as {@code \xHH} too, since Jetty reads a header's bytes as ISO-8859-1 (the byte is what the client sent).
     */
    LineBuffer putQuotedBytes(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (escapes(text.charAt(i), true)) {
                return put(escaped(text, true));
            }
        }
        return put(text);
    }

    private static boolean escapes(char c, boolean beyondAscii) {
        return c == '"' || c == '\\' || c < 0x20 || c == 0x7f || (c >= 0x80 && (beyondAscii || c <= 0x9f))
                || c == '\u2028' || c == '\u2029';
    }

    private static String escaped(String text, boolean beyondAscii) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c > 0xff && escapes(c, beyondAscii)) {
                out.append(String.format("\\u%04X", (int) c));
            } else if (escapes(c, beyondAscii)) {
                out.append(String.format("\\x%02X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The text as a JSON string; one that needs escaping (rare in a path) is escaped by {@link Json}. */
    LineBuffer putJson(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) {
                return put(Json.quoted(text));
            }
        }
        return put('"').put(text).put('"');
    }

    boolean isEmpty() {
        return bytes.position() == 0;
    }

    /** Writes everything in one call and starts over. */
    void writeTo(OutputStream out) throws IOException {
        out.write(bytes.array(), 0, bytes.position());
        bytes.clear();
    }

    @Override
    public String toString() {
        return new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8);
    }

    private LineBuffer putSlowly(String text, int from) {
        room(3 * text.length()).put(text.substring(from).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    private ByteBuffer room(int needed) {
        if (bytes.remaining() < needed) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(2 * bytes.capacity(), bytes.position() + needed));
            bytes = bigger.put(bytes.flip());
        }
        return bytes;
    }
}
