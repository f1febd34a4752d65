package dev.berth.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * A small blocking HTTP client for tests, loopback only, with bounded timeouts: long enough for a machine
 * that is busy with other work (they bound a failure, they are never what a test waits for).
 */
public final class Http {

    /** How long a request may take when the test does not say. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private Http() {
    }

    public static HttpResponse<String> get(int port, String path) {
        return send(HttpRequest.newBuilder(uri(port, path)).GET().timeout(TIMEOUT).build());
    }

    /** Sends {@code request}; one without a timeout of its own gets {@link #TIMEOUT}, so no test waits forever. */
    public static HttpResponse<String> send(HttpRequest request) {
        HttpRequest bounded = request.timeout().isPresent() ? request
                : HttpRequest.newBuilder(request, (name, value) -> true).timeout(TIMEOUT).build();
        try {
            return CLIENT.send(bounded, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An {@code Authorization} header value for HTTP Basic. */
    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
