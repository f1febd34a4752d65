package dev.berth.testing;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server that answers every request 404 and counts them, for showing that a parser fetches
 * nothing a document points to (an unreachable URL cannot show it: the JDK's parser ignores a DTD it failed to
 * fetch). Started by the first {@link #url(String)} of a test, stopped after it.
 *
 * <pre>{@code
 * @RegisterExtension
 * final CountingHttpServer dtdServer = new CountingHttpServer();
 * }</pre>
 */
public final class CountingHttpServer implements AfterEachCallback {

    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;

    /** {@code http://127.0.0.1:PORT/path} on this server, started now if it is not running yet. */
    public String url(String path) {
        if (server == null) {
            server = start();
        }
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
    }

    /** How many requests arrived since the test began. */
    public int requests() {
        return requests.get();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (server != null) {
            server.stop(0);
            server = null;
        }
        requests.set(0);
    }

    private HttpServer start() {
        try {
            HttpServer started = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            started.createContext("/", exchange -> {
                requests.incrementAndGet();
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
            });
            started.start();
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
