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
 * Reads what the server answers until it closes the connection or stays silent for two seconds.
 */
public final class RawHttp {

    private RawHttp() {
    }

    public static String exchange(int port, String request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(2000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return readUntilQuiet(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readUntilQuiet(InputStream in) throws IOException {
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0 && response.size() < 1_000_000; n = in.read(buffer)) {
                response.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException quiet) {
            // the server keeps the connection open: what it sent so far is the answer
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
