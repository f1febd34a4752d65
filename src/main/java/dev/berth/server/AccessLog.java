package dev.berth.server;

import dev.berth.config.BerthConfig;
import dev.berth.handover.HealthPaths;
import dev.berth.logging.Json;
import dev.berth.logging.LineWriter;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.component.ContainerLifeCycle;

import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * One line per request on standard output, as text or JSON: method, path (no query: it may carry
 * secrets), status, bytes, duration and client address. Platform health probes are left out unless
 * {@code berth.access-log.health} is set, so they do not flood the log.
 */
public final class AccessLog extends ContainerLifeCycle implements RequestLog {

    private final boolean json;
    private final boolean includeHealth;
    private final String healthPath;
    private final LineWriter writer;

    public AccessLog(BerthConfig config, PrintStream out) {
        this.json = config.accessLog().format() == BerthConfig.Format.JSON;
        this.includeHealth = config.accessLog().health();
        this.healthPath = config.health().path();
        this.writer = new LineWriter(out, 16384);
        addBean(writer);
    }

    @Override
    public void log(Request request, Response response) {
        String path = request.getHttpURI().getPath();
        if (!includeHealth && HealthPaths.matches(healthPath, path)) {
            return;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - request.getBeginNanoTime());
        String client = Request.getRemoteAddr(request);
        long bytes = Response.getContentBytesWritten(response);
        String time = Instant.ofEpochMilli(Request.getTimeStamp(request)).toString();
        if (json) {
            StringBuilder line = new StringBuilder("{");
            Json.field(line, "time", time);
            Json.field(line, "method", request.getMethod());
            Json.field(line, "path", path == null ? "" : path);
            Json.field(line, "status", response.getStatus());
            Json.field(line, "bytes", bytes);
            Json.field(line, "durationMs", millis);
            Json.field(line, "client", client);
            writer.write(line.append('}').toString());
        } else {
            writer.write(time + " " + client + " \"" + request.getMethod() + " " + path + "\" " + response.getStatus()
                    + " " + bytes + " B " + millis + " ms");
        }
    }
}
