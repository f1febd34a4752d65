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

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every request's duration, from its first byte to the end of its response, in {@code jetty.server.requests}: the
 * meter, tags and outcome of Micrometer's Jetty 12 {@code TimedHandler}, and an {@code endpoint} tag that keeps the
 * application's requests apart from Berth's own. Recorded from the server's request log, once per request, with one
 * lookup of a timer kept per tag set: Micrometer's {@code TimedHandler} wraps every request and response, keeps two
 * meters of requests in flight in contended skip lists and looks its timers up twice per request, which cost 28% of
 * a tiny response's throughput here (docs/metrics.md has the numbers).
 *
 * <p>Each request thread batches its durations and records {@value #BATCH} at a time: a timer's histogram buckets are
 * one array, and request threads on other cores recording one by one would pass it between their caches on every
 * request (300 ns a request with two threads, against 95 ns with one: RequestTimersBenchmark). What a thread holds is
 * recorded before every scrape and every second ({@link #flush()}), so a push is at most a second behind.
 */
final class RequestTimers implements RequestLog, AutoCloseable {

    static final int BATCH = 64;
    private static final String BAD = "BAD";
    private static final String BAD_PATH = "/badMessage";

    private final MeterRegistry registry;
    private final BerthEndpoints endpoints;
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();
    private final Set<Batch> batches = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Batch> batch = ThreadLocal.withInitial(this::newBatch);
    private final ScheduledExecutorService flusher;

    RequestTimers(MeterRegistry registry, BerthEndpoints endpoints) {
        this.registry = registry;
        this.endpoints = endpoints;
        this.flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "berth-metrics");
            thread.setDaemon(true);
            return thread;
        });
        flusher.scheduleWithFixedDelay(this::flush, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void log(Request request, Response response) {
        long nanos = NanoTime.since(request.getBeginNanoTime());
        String path = Request.getPathInContext(request);
        // a request line Jetty could not read is answered by Jetty itself, as a request it calls BAD /badMessage
        String endpoint = BAD.equals(request.getMethod()) && BAD_PATH.equals(path) ? "rejected" : endpointOf(path);
        record(endpoint, request.getMethod(), response.getStatus(), nanos);
    }

    /** The endpoint a request for {@code path} reaches: one of Berth's by its name, else {@code application}. */
    String endpointOf(String path) {
        String name = endpoints.nameOf(path);
        return name == null ? "application" : name;
    }

    /** One request to {@code endpoint} that took {@code nanos} and was answered {@code status}. */
    void record(String endpoint, String method, int status, long nanos) {
        HttpMethod known = HttpMethod.fromString(method);
        Key key = new Key(endpoint, known == null ? "UNKNOWN" : known.asString(), status);
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = timers.computeIfAbsent(key, this::timer);
        }
        batch.get().add(timer, nanos);
    }

    /** Records what every thread holds; forgets the batches of threads that ended. */
    void flush() {
        for (Batch each : batches) {
            each.record();
            if (each.ended()) {
                batches.remove(each);
                each.record();
            }
        }
    }

    /** Records what every thread holds and stops the flushes. */
    @Override
    public void close() {
        flusher.shutdownNow();
        flush();
    }

    private Batch newBatch() {
        Batch made = new Batch(Thread.currentThread());
        batches.add(made);
        return made;
    }

    private Timer timer(Key key) {
        return Timer.builder("jetty.server.requests").description("HTTP requests to the Jetty server")
                .tag("endpoint", key.endpoint).tag("method", key.method).tag("status", Integer.toString(key.status))
                .tag("outcome", Outcome.forStatus(key.status).name()).register(registry);
    }

    private record Key(String endpoint, String method, int status) {
    }

    /** One thread's durations not yet recorded; its lock is the thread's own but when a flush takes them. */
    private static final class Batch {
        private final WeakReference<Thread> owner;
        private final Timer[] timers = new Timer[BATCH];
        private final long[] nanos = new long[BATCH];
        private int size;

        Batch(Thread owner) {
            this.owner = new WeakReference<>(owner);
        }

        synchronized void add(Timer timer, long duration) {
            timers[size] = timer;
            nanos[size] = duration;
            if (++size == BATCH) {
                record();
            }
        }

        synchronized void record() {
            for (int i = 0; i < size; i++) {
                timers[i].record(nanos[i], TimeUnit.NANOSECONDS);
                timers[i] = null;
            }
            size = 0;
        }

        boolean ended() {
            Thread thread = owner.get();
            return thread == null || !thread.isAlive();
        }
    }
}
