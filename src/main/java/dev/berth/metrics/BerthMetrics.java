package dev.berth.metrics;

import dev.berth.backing.BackingService;
import dev.berth.backing.BackingServices;
import dev.berth.config.BerthConfig;
import dev.berth.handover.BerthEndpoints;
import dev.berth.handover.HandOverHandler;
import dev.berth.handover.Phase;
import dev.berth.handover.PhaseTracker;
import dev.berth.observe.Observer;
import dev.berth.server.Servers;

import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Berth's metrics, made with Micrometer: Jetty's requests ({@link RequestTimers}, each tagged with the endpoint it
 * reached: {@code application}, {@code health} or {@code metrics}), connections and thread pool; the
 * JVM's memory, GC, threads, classes and CPU; Hikari's pools (Hikari's own tracker); the session store's calls;
 * Berth's phase, deployment time, held requests, hand-overs, backing services and access-log backlog. Served for
 * scraping ({@link MetricsRegistries}: Prometheus text or OpenMetrics) and pushed over OTLP, as the settings ask.
 * Only {@code Berth} makes one, and only when metrics are on: while they are off, no class of Micrometer loads.
 */
public final class BerthMetrics implements Observer, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BerthMetrics.class);

    private final MetricsRegistries registries;
    private final MeterRegistry registry;
    private final Map<Observer.Release, Timer> released = new EnumMap<>(Observer.Release.class);
    private final Map<String, Timer> sessionCalls = new ConcurrentHashMap<>();
    private final Counter handOvers;
    private JvmGcMetrics gc;
    private RequestTimers timers;
    private boolean closed;

    private BerthMetrics(MetricsRegistries registries) {
        this.registries = registries;
        this.registry = registries.registry();
        for (Observer.Release release : Observer.Release.values()) {
            released.put(release, Timer.builder("berth.held.wait").description("how long a request held during the deployment waited")
                    .tag("outcome", release.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        handOvers = Counter.builder("berth.handovers").description("times an application was handed the port").register(registry);
    }

    /** The registries {@code berth.metrics.*} asks for: Prometheus to scrape, OTLP to push, or both. */
    public static BerthMetrics start(BerthConfig.Metrics settings) {
        return new BerthMetrics(MetricsRegistries.of(settings));
    }

    /** Times every request {@code server} answers; {@code endpoints} name the ones Berth answers itself. */
    public void instrument(Server server, BerthEndpoints endpoints) {
        timers = new RequestTimers(registry, endpoints);
        RequestLog log = server.getRequestLog();
        server.setRequestLog(log == null ? timers : new RequestLog.Collection(log, timers));
        if (log != null) {
            // the collection is no lifecycle: the access log (its writer thread) must stay the server's to start and stop
            server.addBean(log, true);
        }
    }

    /** Registers the scrape endpoint at {@code path} in {@code endpoints}, when metrics are served (not only pushed). */
    public void serve(BerthEndpoints endpoints, String path) {
        // what the request threads hold is recorded first, so a scrape counts every request answered before it
        registries.scrapeEndpoint(() -> {
            if (timers != null) {
                timers.flush();
            }
        }).ifPresent(scrape -> endpoints.add("metrics", path, scrape));
    }

    /** Binds the meters of the started {@code server}, the JVM, the pools and Berth's own. */
    public void bind(Server server, PhaseTracker phases, HandOverHandler handOver, BackingServices backing) {
        JettyConnectionMetrics.addToAllConnectors(server, registry);
        new JettyServerThreadPoolMetrics(server.getThreadPool(), Tags.empty()).bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        backing.trackPools(new MicrometerMetricsTrackerFactory(registry));
        bindBerth(server, phases, handOver, backing);
    }

    private void bindBerth(Server server, PhaseTracker phases, HandOverHandler handOver, BackingServices backing) {
        for (Phase phase : Phase.values()) {
            Gauge.builder("berth.phase", () -> phases.phase() == phase ? 1 : 0).description("1 for the phase Berth is in")
                    .tag("phase", phase.name().toLowerCase(Locale.ROOT)).strongReference(true).register(registry);
        }
        TimeGauge.builder("berth.deployment", phases::deploymentMillis, TimeUnit.MILLISECONDS)
                .description("how long the deployment took (so far, while it runs)").strongReference(true).register(registry);
        GracefulHandler graceful = server.getDescendant(GracefulHandler.class);
        if (graceful != null) {
            Gauge.builder("berth.requests.active", graceful::getCurrentRequestCount).description("requests in flight now, held ones included")
                    .strongReference(true).register(registry);
        }
        Gauge.builder("berth.held.requests", handOver::held).description("application requests waiting for the deployment now")
                .strongReference(true).register(registry);
        Servers.accessLogBacklog(server).ifPresent(backlog -> Gauge.builder("berth.access.log.backlog", backlog::getAsInt)
                .description("access-log lines waiting to be written").strongReference(true).register(registry));
        Map<BackingService, Gauge> up = new ConcurrentHashMap<>();
        backing.watch(service -> up.put(service, Gauge.builder("berth.backing.up", () -> service.isUp() ? 1 : 0)
                        .description("1 while the backing service answers").tag("service", service.name()).strongReference(true).register(registry)),
                service -> {
                    // what it reached is gone: so is its gauge, and a new service of that name gets a gauge of its own
                    Gauge gauge = up.remove(service);
                    if (gauge != null) {
                        registry.remove(gauge);
                    }
                });
    }

    @Override
    public void released(Release release, long waitNanos) {
        released.get(release).record(waitNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void handedOver() {
        handOvers.increment();
    }

    @Override
    public void sessionStoreCall(String operation, long nanos, boolean failed) {
        String outcome = failed ? "failure" : "success";
        sessionCalls.computeIfAbsent(operation + ' ' + outcome, key -> Timer.builder("berth.sessions.store")
                .description("calls on the remote session store").tag("operation", operation).tag("outcome", outcome).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The registry the meters are in, for tests that read a value. */
    MeterRegistry registry() {
        return registry;
    }

    /** Closes at once: {@link #close(Duration)} with no wait for the last push. */
    @Override
    public void close() {
        close(Duration.ZERO);
    }

    /**
     * Records what the request threads hold, pushes a last time (OTLP) and closes the registries, on a thread of its
     * own: the caller waits for it at most {@code wait}, then goes on, and the push ends with the JVM. Nothing it meets
     * is thrown; a second call does nothing.
     */
    public synchronized void close(Duration wait) {
        if (closed) {
            return;
        }
        closed = true;
        Thread last = new Thread(() -> {
            try {
                if (gc != null) {
                    gc.close();
                }
                if (timers != null) {
                    timers.close();
                }
                registries.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing the metrics registries failed: {}", e.toString());
            }
        }, "berth-metrics-close");
        last.setDaemon(true);
        last.start();
        try {
            last.join(Math.max(1, wait.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (last.isAlive() && registries.pushes()) {
            LOG.warn("The last push of metrics did not end within the stop's time ({} ms): left to end with the process", wait.toMillis());
        }
    }
}
