package dev.berth;

import dev.berth.base.BerthException;
import dev.berth.base.ExitCode;
import dev.berth.config.BerthConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * {@code --train}: the run a class-data-sharing archive is made from. It starts Berth, waits for the
 * application, sends it one request over loopback, and stops cleanly, so the JVM can write every class
 * the start-up and a first request needed ({@code -XX:ArchiveClassesAtExit=app.jsa}). Later runs with
 * {@code -XX:SharedArchiveFile=app.jsa} map those classes instead of loading and verifying them again.
 */
final class Training {

    private Training() {
    }

    static int run(BerthConfig config, PrintStream out) throws BerthException, InterruptedException {
        try (Berth berth = Berth.start(config)) {
            berth.awaitDeployment();
            String path = config.contextPath().equals("/") ? "/" : config.contextPath() + "/";
            String status = request(berth.port(), path);
            out.println("Training run: GET " + path + " answered " + status + "; stopping");
        }
        return ExitCode.OK.code();
    }

    /** A plain HTTP/1.1 GET on a socket: the training should load the server's classes, not a client's. */
    private static String request(int port, String path) throws BerthException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(60_000);
            OutputStream request = socket.getOutputStream();
            request.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            request.flush();
            InputStream response = socket.getInputStream();
            byte[] all = response.readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n");
            return end > 0 ? text.substring(0, end) : "no status line";
        } catch (IOException e) {
            throw new BerthException(ExitCode.SOFTWARE, "the training request failed: " + e,
                    "check that berth.host accepts connections on 127.0.0.1 (the default 0.0.0.0 does)");
        }
    }
}
