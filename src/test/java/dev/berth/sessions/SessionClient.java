package dev.berth.sessions;

import dev.berth.testing.Http;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;

/** A browser's view of one session: it keeps the session cookie it was given and sends it to any instance. */
final class SessionClient {

    private final String cookieName;
    private String cookie;

    SessionClient(String cookieName) {
        this.cookieName = cookieName;
    }

    SessionClient() {
        this("JSESSIONID");
    }

    /** GET {@code path} on {@code port} with the session cookie, keeping any new one. */
    HttpResponse<String> get(int port, String path) {
        return send(HttpRequest.newBuilder(Http.uri(port, path)));
    }

    /** POST {@code form} (URL-encoded) to {@code path} on {@code port} with the session cookie, keeping any new one. */
    HttpResponse<String> post(int port, String path, String form) {
        return send(HttpRequest.newBuilder(Http.uri(port, path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    String body(int port, String path) {
        return get(port, path).body();
    }

    /** The value of the session cookie a response set, if it set one. */
    Optional<String> setCookie(HttpResponse<String> response) {
        List<String> headers = response.headers().allValues("Set-Cookie");
        return headers.stream().filter(h -> h.startsWith(cookieName + "=")).findFirst()
                .map(h -> h.substring(cookieName.length() + 1, h.indexOf(';') < 0 ? h.length() : h.indexOf(';')));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        if (cookie != null) {
            request.header("Cookie", cookieName + "=" + cookie);
        }
        HttpResponse<String> response = Http.send(request.build());
        setCookie(response).ifPresent(value -> cookie = value);
        return response;
    }
}
