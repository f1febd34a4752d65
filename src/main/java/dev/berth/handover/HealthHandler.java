package dev.berth.handover;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The health endpoints, in MicroProfile Health's JSON: {@code <base>/live}, {@code <base>/ready},
 * {@code <base>/started} and {@code <base>} (live and ready), 200 for UP and 503 for DOWN. The data says
 * the phase, the port and the deployment time, and nothing that could leak (no paths, no causes).
 */
final class HealthHandler {

    private final String base;
    private final Lifecycle lifecycle;

    HealthHandler(String base, Lifecycle lifecycle) {
        this.base = base;
        this.lifecycle = lifecycle;
    }

    /** True when the path is one of the health endpoints. */
    boolean matches(String path) {
        return HealthPaths.matches(base, path);
    }

    void handle(String path, Request request, Response response, Callback callback) {
        String method = request.getMethod();
        if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            return;
        }
        Phase phase = lifecycle.phase();
        boolean live = true;
        boolean ready = phase == Phase.SERVING;
        boolean started = lifecycle.isStarted();
        String data = "{\"phase\":\"" + phase + "\",\"port\":" + lifecycle.port() + ",\"deploymentMs\":" + lifecycle.deploymentMillis() + "}";
        String checks;
        boolean up;
        if (path.endsWith("/live")) {
            up = live;
            checks = check("live", live, data);
        } else if (path.endsWith("/ready")) {
            up = ready;
            checks = check("ready", ready, data);
        } else if (path.endsWith("/started")) {
            up = started;
            checks = check("started", started, data);
        } else {
            up = live && ready;
            checks = check("live", live, data) + "," + check("ready", ready, data) + "," + check("started", started, data);
        }
        byte[] body = ("{\"status\":\"" + status(up) + "\",\"checks\":[" + checks + "]}").getBytes(StandardCharsets.UTF_8);
        response.setStatus(up ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, HttpMethod.HEAD.is(method) ? null : ByteBuffer.wrap(body), callback);
    }

    private static String check(String name, boolean up, String data) {
        return "{\"name\":\"berth-" + name + "\",\"status\":\"" + status(up) + "\",\"data\":" + data + "}";
    }

    private static String status(boolean up) {
        return up ? "UP" : "DOWN";
    }
}
