package dev.berth.backing;

import dev.berth.base.Causes;
import dev.berth.base.Secrets;
import dev.berth.health.HealthCheck;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;

/**
 * A service outside the JVM that the application needs: a session store, a database. It is UP after a
 * probe or a request reached it, DOWN from start until the first probe succeeds and whenever a probe or a
 * request fails; readiness reports it by name ({@link HealthCheck}), with what failed. Each change is logged once.
 */
public final class BackingService implements HealthCheck {

    private static final Logger LOG = LoggerFactory.getLogger(BackingService.class);

    /** Reaches the service once; throws what failed. */
    @FunctionalInterface
    public interface Probe {
        void check() throws Exception;
    }

    private final String name;
    private final Probe probe;
    private final boolean gatesDeployment;
    private volatile String failure = "not reached yet";
    private volatile boolean writesRefused;
    private boolean wasUp;

    /** {@code name} names the readiness check: {@code sessions-jdbc}, {@code datasource-jdbc/app}. The application deploys once it answers. */
    public BackingService(String name, Probe probe) {
        this(name, probe, true);
    }

    /** {@code gatesDeployment}: whether the application waits for the service before it deploys. */
    public BackingService(String name, Probe probe, boolean gatesDeployment) {
        this.name = name;
        this.probe = probe;
        this.gatesDeployment = gatesDeployment;
    }

    @Override
    public boolean gatesDeployment() {
        return gatesDeployment;
    }

    @Override
    public String name() {
        return name;
    }

    /** Reported by readiness. */
    @Override
    public Kind kind() {
        return Kind.READY;
    }

    /** UP or DOWN; while DOWN, what failed (passwords masked) as {@code error}. */
    @Override
    public Result check() {
        String what = failure;
        return what == null ? Result.up(Map.of()) : Result.down(Map.of("error", what));
    }

    public boolean isUp() {
        return failure == null;
    }

    /** What failed last, while DOWN; passwords of URLs masked. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** Probes the service now; returns whether it answered. */
    boolean probe() {
        try {
            probe.check();
            succeeded();
            return true;
        } catch (Exception | LinkageError e) {
            failed(e);
            return false;
        }
    }

    /**
     * A request that read from the service reached it. After a refused write this does not make it UP: a
     * store that serves reads and refuses writes (a full Redis) loses every change, and readiness must say so
     * until a write, or a probe, goes through.
     */
    public void readSucceeded() {
        if (!writesRefused) {
            succeeded();
        }
    }

    /** A write failed: readiness is DOWN until a write or a probe succeeds (a read is not enough). */
    public void writeFailed(Throwable cause) {
        writesRefused = true;
        failed(cause);
    }

    /** A probe, or a request that wrote to the service, reached it. */
    public void succeeded() {
        writesRefused = false;
        if (failure == null) {
            return;
        }
        synchronized (this) {
            if (failure != null) {
                LOG.info("{} answers{}", name, wasUp ? " again" : "");
                failure = null;
                wasUp = true;
            }
        }
    }

    /** A probe or a request failed to reach the service: readiness is DOWN until it answers again. */
    public void failed(Throwable cause) {
        String what = describe(cause);
        synchronized (this) {
            if (!what.equals(failure)) {
                LOG.warn("{} is unreachable: {}; readiness is DOWN, retrying", name, what);
            }
            failure = what;
        }
    }

    /** The exception's type and first line, and its root cause's when that says more: what a reader of the check needs. */
    static String describe(Throwable cause) {
        Throwable root = Causes.root(cause);
        String text = firstLine(cause);
        if (root != cause && !text.contains(String.valueOf(root.getMessage()))) {
            text += " (" + firstLine(root) + ")";
        }
        return Secrets.mask(text);
    }

    private static String firstLine(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage().lines().findFirst().orElse(""));
    }
}
