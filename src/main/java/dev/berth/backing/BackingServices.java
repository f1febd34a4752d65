package dev.berth.backing;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The backing services of a run and what Berth opened for them (connection pools). The services are probed on
 * one daemon thread they share ({@code berth-backing}) from start to stop: each while DOWN with back-off (250 ms,
 * doubling up to 5 s), while UP every 5 s, so readiness follows the service even when no request touches it. The
 * deployment waits here until every service that gates it answers. Pools close after the application stopped.
 */
public final class BackingServices implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BackingServices.class);
    static final Duration FIRST_RETRY = Duration.ofMillis(250);
    static final Duration LONGEST_RETRY = Duration.ofSeconds(5);
    static final Duration WATCH = Duration.ofSeconds(5);

    private final List<BackingService> services = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
    private MetricsTrackerFactory poolMetrics;
    private final Object changed = new Object();
    private ScheduledExecutorService prober;
    private boolean started;
    private boolean closed;

    public List<BackingService> services() {
        return List.copyOf(services);
    }

    public boolean isEmpty() {
        return services.isEmpty();
    }

    /** Adds a service to probe and report; probing starts at once when Berth has started probing. */
    public synchronized void add(BackingService service) {
        services.add(service);
        watchers.forEach(watcher -> watcher.added().accept(service));
        if (started && !closed) {
            prober().execute(() -> probe(service, FIRST_RETRY));
        }
    }

    /** Closes {@code resource} at {@link #close()}, after the application stopped (last owned, first closed). */
    public synchronized <T extends AutoCloseable> T own(T resource) {
        owned.add(resource);
        if (poolMetrics != null && resource instanceof HikariDataSource pool) {
            pool.setMetricsTrackerFactory(poolMetrics);
        }
        return resource;
    }

    /**
     * Calls {@code added} with every service, the ones added so far at once and each later one when it is added, and
     * {@code removed} with each one removed.
     */
    public synchronized void watch(Consumer<BackingService> added, Consumer<BackingService> removed) {
        watchers.add(new Watcher(added, removed));
        services.forEach(added);
    }

    private record Watcher(Consumer<BackingService> added, Consumer<BackingService> removed) {
    }

    /** Hikari's metrics for every pool owned here, the ones owned so far and each later one (set once per run). */
    public synchronized void trackPools(MetricsTrackerFactory metrics) {
        poolMetrics = metrics;
        for (AutoCloseable resource : owned) {
            if (resource instanceof HikariDataSource pool) {
                pool.setMetricsTrackerFactory(metrics);
            }
        }
    }

    /** Stops reporting {@code service} (what it reached is gone); a probe already scheduled finds it removed. */
    public void remove(BackingService service) {
        if (services.remove(service)) {
            watchers.forEach(watcher -> watcher.removed().accept(service));
        }
    }

    /** Starts probing every service, and each one added from now on. */
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        services.forEach(service -> prober().execute(() -> probe(service, FIRST_RETRY)));
    }

    /** The probing thread, made when the first service needs it: a run without backing services has none. */
    private ScheduledExecutorService prober() {
        if (prober == null) {
            prober = Executors.newScheduledThreadPool(1, runnable -> {
                Thread thread = new Thread(runnable, "berth-backing");
                thread.setDaemon(true);
                return thread;
            });
        }
        return prober;
    }

    private void probe(BackingService service, Duration retry) {
        if (!services.contains(service)) {
            return;
        }
        boolean up = service.probe();
        synchronized (changed) {
            changed.notifyAll();
        }
        Duration next = up ? WATCH : retry;
        Duration after = up ? FIRST_RETRY : min(retry.multipliedBy(2), LONGEST_RETRY);
        schedule(() -> probe(service, after), next);
    }

    private synchronized void schedule(Runnable task, Duration delay) {
        if (prober != null && !prober.isShutdown()) {
            prober.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Blocks until every service the deployment waits for has answered; an interrupt (a stop during
     * deployment) ends the wait.
     */
    public void awaitUp() throws InterruptedException {
        List<BackingService> awaited = services.stream().filter(BackingService::gatesDeployment).toList();
        boolean said = false;
        synchronized (changed) {
            while (!awaited.stream().allMatch(BackingService::isUp)) {
                if (!said) {
                    LOG.info("The application deploys once {} answer{}", String.join(" and ", awaited.stream().map(BackingService::name).toList()),
                            awaited.size() == 1 ? "s" : "");
                    said = true;
                }
                changed.wait(LONGEST_RETRY.toMillis());
            }
        }
    }

    /** Stops probing and closes what Berth opened, newest first; nothing it meets is thrown. */
    @Override
    public synchronized void close() {
        closed = true;
        if (prober != null) {
            prober.shutdownNow();
        }
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed: {}", owned.get(i), e.toString());
            }
        }
        owned.clear();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
