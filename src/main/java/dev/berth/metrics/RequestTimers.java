package dev.berth.metrics;

import dev.berth.handover.BerthEndpoints;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.http.Outcome;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.NanoTime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every request's duration, from its first byte to the end of its response, in {@code jetty.server.requests}: the
 * meter, tags and outcome of Micrometer's Jetty 12 {@code TimedHandler}, and an {@code endpoint} tag that keeps the
 * application's requests apart from Berth's own. Recorded from the server's request log, once per request, with one
 * lookup of a timer kept per tag set: Micrometer's {@code TimedHandler} wraps every request and response, keeps two
 * meters of requests in flight in contended skip lists and looks its timers up twice per request, which cost 28% of
 * a tiny response's throughput here (bench/ab.sh; docs/metrics.md has the numbers).
 */
final class RequestTimers implements RequestLog {

    private final MeterRegistry registry;
    private final BerthEndpoints endpoints;
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

    RequestTimers(MeterRegistry registry, BerthEndpoints endpoints) {
        this.registry = registry;
        this.endpoints = endpoints;
    }

    @Override
    public void log(Request request, Response response) {
        record(Request.getPathInContext(request), request.getMethod(), response.getStatus(), NanoTime.since(request.getBeginNanoTime()));
    }

    /** One request for {@code path} that took {@code nanos} and was answered {@code status}. */
    void record(String path, String method, int status, long nanos) {
        String name = endpoints.nameOf(path);
        HttpMethod known = HttpMethod.fromString(method);
        Key key = new Key(name == null ? "application" : name, known == null ? "UNKNOWN" : known.asString(), status);
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = timers.computeIfAbsent(key, this::timer);
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(Key key) {
        return Timer.builder("jetty.server.requests").description("HTTP requests to the Jetty server")
                .tag("endpoint", key.endpoint).tag("method", key.method).tag("status", Integer.toString(key.status))
                .tag("outcome", Outcome.forStatus(key.status).name()).register(registry);
    }

    private record Key(String endpoint, String method, int status) {
    }
}
