package dev.berth.server;

import dev.berth.config.BerthConfig;
import dev.berth.handover.HealthPaths;
import dev.berth.http.Json;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.component.ContainerLifeCycle;

import java.io.OutputStream;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * One line per request on standard output, as text or JSON: method, path (no query: it may carry
 * secrets), status, bytes, duration and client address. Platform health probes are left out unless
 * {@code berth.access-log.health} is set, so they do not flood the log.
 */
public final class AccessLog extends ContainerLifeCycle implements RequestLog {

    private final boolean includeHealth;
    private final String healthPath;
    private final AccessLogWriter<Entry> writer;
    private long cachedSecond = Long.MIN_VALUE;
    private String cachedPrefix;

    public AccessLog(BerthConfig config, OutputStream out) {
        this.includeHealth = config.accessLog().health();
        this.healthPath = config.health().path();
        boolean json = config.accessLog().format() == BerthConfig.AccessLogFormat.JSON;
        this.writer = new AccessLogWriter<>(out, 16384, json ? this::json : this::text);
        addBean(writer);
    }

    /** What a request thread records; the writer thread formats it. */
    record Entry(long time, String method, String path, int status, long bytes, long millis, String client) {
    }

    @Override
    public void log(Request request, Response response) {
        String path = request.getHttpURI().getPath();
        if (!includeHealth && HealthPaths.matches(healthPath, path)) {
            return;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - request.getBeginNanoTime());
        writer.write(new Entry(Request.getTimeStamp(request), request.getMethod(), path == null ? "" : path, response.getStatus(),
                Response.getContentBytesWritten(response), millis, Request.getRemoteAddr(request)));
    }

    /** Called on the writer thread only: the formatted second is cached across the lines of a second. */
    private String time(long millis) {
        long second = Math.floorDiv(millis, 1000L);
        if (second != cachedSecond) {
            String iso = Instant.ofEpochSecond(second).toString();
            cachedSecond = second;
            cachedPrefix = iso.substring(0, iso.length() - 1) + ".";
        }
        int ms = (int) Math.floorMod(millis, 1000L);
        return cachedPrefix + (ms < 10 ? "00" : ms < 100 ? "0" : "") + ms + "Z";
    }

    String text(Entry e) {
        return time(e.time) + " " + e.client + " \"" + e.method + " " + e.path + "\" " + e.status
                + " " + e.bytes + " B " + e.millis + " ms";
    }

    String json(Entry e) {
        return Json.object().put("time", time(e.time)).put("method", e.method).put("path", e.path).put("status", e.status)
                .put("bytes", e.bytes).put("durationMs", e.millis).put("client", e.client).toString();
    }
}
