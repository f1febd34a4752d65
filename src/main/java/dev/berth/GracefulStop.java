package dev.berth;

import dev.berth.config.BerthConfig;
import dev.berth.deploy.Deployment;
import dev.berth.handover.Phase;
import dev.berth.handover.PhaseTracker;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.component.Graceful;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The stop platforms expect, up to the application's end: readiness DOWN at once, {@code berth.shutdown.delay} for
 * load balancers to notice (only when the application was serving), then one deadline {@code berth.shutdown.timeout}
 * away for a deployment still running, the drain of the requests in flight, and the server's stop. Each outcome
 * (drained, cut, an application left behind) is logged once; nothing is thrown. What Berth owns outside the server
 * (pools, files, the run folder) is the caller's to release afterwards.
 */
final class GracefulStop {

    private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);
    private static final Duration STOP_MARGIN = BerthConfig.Shutdown.STOP_MARGIN;

    private final Server server;
    private final GracefulHandler graceful;
    private final BerthConfig.Shutdown settings;

    /** What the stop did with the requests in flight when it began. */
    record Outcome(long drained, long cut) {
        static final Outcome NOTHING = new Outcome(0, 0);
    }

    GracefulStop(Server server, GracefulHandler graceful, BerthConfig.Shutdown settings) {
        this.server = server;
        this.graceful = graceful;
        this.settings = settings;
    }

    /** Runs the stop; the whole of it ends within delay + timeout + {@link Berth#STOP_MARGIN}. */
    Outcome run(PhaseTracker phases, Deployment deployment) {
        long inFlight = 0;
        long cut = 0;
        try {
            Duration delay = phases.phase() == Phase.SERVING ? settings.delay() : Duration.ZERO;
            phases.stopping();
            LOG.info("Stopping: readiness is DOWN{}", delay.isZero() ? "" : "; still accepting for " + delay.toMillis() + " ms");
            pause(delay);
            long deadline = System.nanoTime() + settings.timeout().toNanos();
            deployment.cancel(untilDeadline(deadline));
            inFlight = graceful.getCurrentRequestCount();
            cut = drain(untilDeadline(deadline));
            stopServer(untilDeadline(deadline));
        } catch (RuntimeException | Error e) {
            LOG.warn("Stopping met {}; removing the files anyway", e.toString());
        }
        return new Outcome(Math.max(0, inFlight - cut), cut);
    }

    /** A stop that runs past the platform's grace period ends in SIGKILL: no drain finished, files left behind. */
    static void warnIfLongerThanTheGracePeriod(BerthConfig.Shutdown shutdown) {
        Duration longest = shutdown.delay().plus(shutdown.timeout()).plus(STOP_MARGIN);
        if (shutdown.grace().isPresent() && longest.compareTo(shutdown.grace().get()) > 0) {
            LOG.warn("A stop may take berth.shutdown.delay + berth.shutdown.timeout + {} ms = {} ms, longer than the platform's grace period "
                    + "berth.shutdown.grace={} ms: the platform would kill Berth before it finishes. Lower the delay or the timeout, "
                    + "or raise the platform's grace period and set berth.shutdown.grace to match",
                    STOP_MARGIN.toMillis(), longest.toMillis(), shutdown.grace().get().toMillis());
        }
    }

    /** What is left until the deadline, never less than nothing. */
    private static Duration untilDeadline(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /** Stops accepting and waits for the requests in flight; returns how many were still running at the timeout. */
    private long drain(Duration timeout) {
        try {
            Graceful.shutdown(server).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return 0;
        } catch (TimeoutException e) {
            long cut = graceful.getCurrentRequestCount();
            LOG.warn("{} requests still running after berth.shutdown.timeout={} ms: cutting them", cut, settings.timeout().toMillis());
            return cut;
        } catch (ExecutionException e) {
            LOG.warn("Graceful shutdown did not complete: {}", e.toString());
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /**
     * Stops the server (connections close, the application's contextDestroyed runs) on a thread of its own, for
     * what is left of the timeout but at least {@link Berth#STOP_MARGIN}; an application that does not stop by then
     * is left to the JVM's exit.
     */
    private void stopServer(Duration left) {
        Duration budget = left.compareTo(STOP_MARGIN) < 0 ? STOP_MARGIN : left;
        // the drain already waited: Jetty must not wait a second time, and cut requests' threads are not waited for
        server.setStopTimeout(0);
        server.getBean(QueuedThreadPool.class).setStopTimeout(STOP_MARGIN.toMillis());
        Thread stopper = new Thread(() -> LifeCycle.stop(server), "berth-stop");
        stopper.setDaemon(true);
        stopper.start();
        try {
            stopper.join(budget.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopper.isAlive()) {
            LOG.warn("The application did not stop within {} ms (contextDestroyed still running): leaving it behind", budget.toMillis());
        }
    }

    private static void pause(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
