package dev.berth.bind;

import dev.berth.base.BerthException;
import dev.berth.base.ExitCode;
import dev.berth.config.BerthConfig;

import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Opens one Jetty {@link ServerConnector} per candidate port, in order, until one binds. The real bind is
 * the check: no throw-away probe socket that could race with another process. A port in use is retried
 * with back-off (a restarting predecessor may be letting go of it); a privileged port is skipped at once;
 * a host that is not ours is a configuration error.
 */
public final class PortBinder {

    private static final Logger LOG = LoggerFactory.getLogger(PortBinder.class);

    private final String host;
    private final int attempts;
    private final Duration backoff;
    private final PortHolders holders;

    PortBinder(String host, int attempts, Duration backoff, PortHolders holders) {
        this.host = host;
        this.attempts = attempts;
        this.backoff = backoff;
        this.holders = holders;
    }

    /** The binder the settings describe: their host, tries and back-off, and this machine's view of who holds a port. */
    public static PortBinder of(BerthConfig config) {
        return new PortBinder(config.host(), config.bind().attempts(), config.bind().backoff(), PortHolders.system());
    }

    /** The settings' candidate ports in order, duplicates dropped; a list that cannot work is exit 64 before anything binds. */
    public static List<Integer> candidates(BerthConfig config) throws BerthException {
        return Candidates.of(config);
    }

    /** {@code --check-ports}: tries each candidate as a start would and prints what it found; whether any is free. */
    public boolean check(List<Integer> candidates, PrintStream out) {
        return PortCheck.run(host, candidates, holders, out);
    }

    /** The result: the open connector and the failures met on the way to it. */
    public record Bound(ServerConnector connector, List<BindFailure> failures) {
        public boolean isFallback() {
            return !failures.isEmpty();
        }
    }

    /**
     * Opens the first candidate that binds. {@code newConnector} makes an unopened connector for a port;
     * the caller adds the returned one to its server.
     */
    public Bound bind(List<Integer> candidates, IntFunction<ServerConnector> newConnector) throws BerthException {
        return open(candidates, newConnector, PortBinder::allFailed);
    }

    /**
     * Opens {@code port} for {@code setting}, a port of its own beside the main one (the management port), with the
     * same tries; a failure names the setting to change.
     */
    public Bound bindOwn(String setting, int port, IntFunction<ServerConnector> newConnector) throws BerthException {
        return open(List.of(port), newConnector, failures -> new BerthException(ExitCode.UNAVAILABLE,
                setting + "=" + port + " could not be bound: " + summary(failures), "free the port or choose another " + setting));
    }

    /** The tries of {@link #bind}; {@code allFailed} says what it means when no candidate binds. */
    private Bound open(List<Integer> candidates, IntFunction<ServerConnector> newConnector,
                       Function<List<BindFailure>, BerthException> allFailed) throws BerthException {
        LOG.info("Binding {}: candidates {} ({} tries each, back-off from {} ms)", host, candidates, attempts, backoff.toMillis());
        List<BindFailure> failures = new ArrayList<>();
        for (int port : candidates) {
            Duration wait = backoff;
            for (int attempt = 1; attempt <= attempts; attempt++) {
                ServerConnector connector = newConnector.apply(port);
                long begin = System.nanoTime();
                try {
                    connector.open();
                    LOG.info("Bound port {} on {} in {} ms (candidate {}, try {})", connector.getLocalPort(), host,
                            millisSince(begin), port, attempt);
                    Bound bound = new Bound(connector, List.copyOf(failures));
                    warnIfFallback(bound, candidates.get(0));
                    return bound;
                } catch (IOException e) {
                    long took = millisSince(begin);
                    closeQuietly(connector);
                    BindFailure failure = BindFailure.of(e, host, port, holders);
                    BindFailure.Reason reason = failure.reason();
                    if (reason == BindFailure.Reason.ADDRESS_NOT_AVAILABLE) {
                        throw new BerthException(ExitCode.USAGE, "berth.host=" + host + " is not an address of this machine, so no port can be bound on it",
                                "set berth.host to 0.0.0.0 (all IPv4 addresses), :: or one of this machine's addresses");
                    }
                    boolean retry = reason == BindFailure.Reason.IN_USE && attempt < attempts;
                    LOG.info("Port {} try {}/{}: {} ({} ms){}", port, attempt, attempts, failure.describe().substring(String.valueOf(port).length() + 1),
                            took, retry ? "; retrying in " + wait.toMillis() + " ms" : "");
                    if (!retry) {
                        failures.add(failure);
                        break;
                    }
                    sleep(wait);
                    wait = wait.multipliedBy(2);
                }
            }
        }
        throw allFailed.apply(failures);
    }

    /** Loudly: the platform may route traffic only to the first candidate. */
    private static void warnIfFallback(Bound bound, int first) {
        if (bound.isFallback()) {
            LOG.warn("Serving on fallback port {}, not the first candidate: {}. The platform may route traffic only to {} "
                    + "(on Render only PORT receives public traffic).", bound.connector().getLocalPort(), bound.failures().get(0).describe(), first);
        }
    }

    private static String summary(List<BindFailure> failures) {
        return failures.stream().map(BindFailure::describe).collect(Collectors.joining("; "));
    }

    private static BerthException allFailed(List<BindFailure> failures) {
        String summary = summary(failures);
        String pids = failures.stream().flatMap(f -> f.holder().stream()).map(h -> "pid " + h.pid()).distinct()
                .collect(Collectors.joining(", "));
        String action = (pids.isEmpty() ? "free one of these ports" : "stop " + pids) + " or set PORT / berth.fallback-ports";
        return new BerthException(ExitCode.UNAVAILABLE, "no candidate port could be bound: " + summary, action);
    }

    private static void sleep(Duration wait) throws BerthException {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(ExitCode.UNAVAILABLE, "interrupted while waiting to retry a port", null, e);
        }
    }

    private static void closeQuietly(ServerConnector connector) {
        try {
            connector.close();
        } catch (RuntimeException ignored) {
            // nothing was opened
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
