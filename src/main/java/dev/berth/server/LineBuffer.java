package dev.berth.server;

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

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

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

    /** The text as a JSON string: quoted, with quotes, backslashes and control characters escaped. */
    LineBuffer putJson(String text) {
        ByteBuffer out = room(6 * text.length() + 2).put((byte) '"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.put((byte) '\\').put((byte) c);
            } else if (c < 0x20) {
                out.put((byte) '\\').put((byte) 'u').put((byte) '0').put((byte) '0').put(HEX[c >> 4]).put(HEX[c & 0xf]);
            } else if (c < 0x80) {
                out.put((byte) c);
            } else {
                int end = i;
                while (end < text.length() && text.charAt(end) >= 0x80) {
                    end++;
                }
                out.put(text.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            }
        }
        out.put((byte) '"');
        return this;
    }

    boolean isEmpty() {
        return bytes.position() == 0;
    }

    int size() {
        return bytes.position();
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
