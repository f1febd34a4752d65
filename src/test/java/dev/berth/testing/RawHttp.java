package dev.berth.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Bytes on a socket, for requests no well-behaved client sends (smuggling, traversal, malformed headers).
 * Reads what the server answers until it closes the connection: each request here either asks for that
 * ({@code Connection: close}) or is one a server refuses and hangs up on. A server that stays silent for
 * 30 s ends the read all the same (what it sent so far is returned for the test to judge), so a
 * test cannot hang; silence is never how an answer is recognised as complete, which a busy machine would
 * turn into a cut answer.
 */
public final class RawHttp {

    private static final int SILENCE_MILLIS = 30_000;

    private RawHttp() {
    }

    public static String exchange(int port, String request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), SILENCE_MILLIS);
            socket.setSoTimeout(SILENCE_MILLIS);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return readUntilClosed(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0 && response.size() < 1_000_000; n = in.read(buffer)) {
                response.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException silent) {
            // the server neither answered nor hung up in time: the test judges what it sent so far
        } catch (IOException reset) {
            // a connection the server reset after answering
        }
        return response.toString(StandardCharsets.ISO_8859_1);
    }

    /** The status code of the first response, or -1 when the server sent nothing. */
    public static int status(String response) {
        return response.startsWith("HTTP/1.1 ") ? Integer.parseInt(response.substring(9, 12)) : -1;
    }
}
