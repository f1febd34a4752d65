package dev.berth.handover;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Berth's own endpoints (health, and what may come), answered in front of the hand-over: each is registered once
 * with its exact path, and a request for one never reaches the application. Whatever stands before the application
 * (basic authentication, compression) therefore never applies to them, and the access log leaves them all out unless
 * {@code berth.access-log.health} asks for them. An application path that equals one of them is shadowed.
 */
public final class BerthEndpoints {

    /** Answers a request for one of its paths. */
    @FunctionalInterface
    public interface Endpoint {
        void handle(String path, Request request, Response response, Callback callback) throws Exception;
    }

    private final Map<String, Named> byPath = new ConcurrentHashMap<>();

    /**
     * Registers {@code endpoint} at {@code path} under {@code name} (what metrics call its requests: health, metrics);
     * a path registered twice is a mistake of Berth's.
     */
    public void add(String name, String path, Endpoint endpoint) {
        if (byPath.putIfAbsent(path, new Named(name, endpoint)) != null) {
            throw new IllegalStateException(path + " is already one of Berth's endpoints");
        }
    }

    /** Whether {@code path} (a request's path in context) is one of Berth's endpoints. */
    public boolean matches(String path) {
        return path != null && byPath.containsKey(path);
    }

    /** The name of the endpoint at {@code path}, or null when the path is the application's. */
    public String nameOf(String path) {
        Named named = path == null ? null : byPath.get(path);
        return named == null ? null : named.name;
    }

    /** The endpoint at {@code path}, or null. */
    Endpoint find(String path) {
        Named named = path == null ? null : byPath.get(path);
        return named == null ? null : named.endpoint;
    }

    private record Named(String name, Endpoint endpoint) {
    }
}
