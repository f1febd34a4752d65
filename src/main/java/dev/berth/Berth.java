package dev.berth;

import dev.berth.backing.BackingServices;
import dev.berth.bind.Candidates;
import dev.berth.bind.PortBinder;
import dev.berth.bind.PortHolders;
import dev.berth.config.BerthConfig;
import dev.berth.deploy.Application;
import dev.berth.deploy.Deployment;
import dev.berth.files.RunFiles;
import dev.berth.files.WorkDirectory;
import dev.berth.handover.HandOverHandler;
import dev.berth.handover.Phase;
import dev.berth.handover.PhaseTracker;
import dev.berth.server.ApplicationChain;
import dev.berth.server.Servers;
import dev.berth.sessions.SessionStores;

import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.component.Graceful;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The launcher facade: binds a port, answers health at once, deploys the WAR (or the status page) in the
 * background and hands the port over to it, and stops. {@code Main} is a thin shell over it; programs and
 * tests embed it directly.
 *
 * <pre>{@code
 * try (Berth berth = Berth.start(ConfigLoader.fromMap(Map.of("berth.war", "app.war")))) {
 *     berth.awaitDeployment();
 *     System.out.println("serving on " + berth.port());
 * }
 * }</pre>
 */
public final class Berth implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Berth.class);

    /** The most a stop may run past delay + timeout: the application's stop when the drain used all the time. */
    public static final Duration STOP_MARGIN = BerthConfig.Shutdown.STOP_MARGIN;

    private final BerthConfig config;
    private final PortHolders holders;
    private final RunFiles files;
    private final WorkDirectory work;
    private final Server server;
    private final BackingServices backing = new BackingServices();
    private PhaseTracker phases;
    private HandOverHandler handOver;
    private GracefulHandler graceful;
    private Deployment deployment;
    private boolean closed;

    private Berth(BerthConfig config, PortHolders holders, RunFiles files, WorkDirectory work) {
        this.config = config;
        this.holders = holders;
        this.files = files;
        this.work = work;
        this.server = Servers.newServer(config, System.out);
    }

    /**
     * Claims Berth's files, binds the first free candidate port, starts serving health on it, writes the files,
     * and begins deploying the application on a thread of its own. Returns as soon as health answers;
     * {@link #awaitDeployment()} waits for the application. A failed start closes what it opened.
     */
    public static Berth start(BerthConfig config) throws BerthException {
        List<Integer> candidates = Candidates.of(config);
        Optional<Application> application = Application.of(config);
        warnIfTheStopOutlastsTheGracePeriod(config.shutdown());
        PortHolders holders = PortHolders.system();
        // before binding: a live instance, or a path Berth must not touch, ends the start here
        RunFiles files = RunFiles.claim(config);
        WorkDirectory work = null;
        try {
            work = WorkDirectory.claim(config.workDir().map(Path::of).orElseGet(WorkDirectory::defaultRoot));
            if (application.isPresent()) {
                work.checkRoomFor(application.get().unpackedBytes(), "unpacking " + application.get().name());
            }
        } catch (BerthException e) {
            if (work != null) {
                work.remove();
            }
            files.remove();
            throw e;
        }
        Berth berth = new Berth(config, holders, files, work);
        try {
            int port = berth.bind(candidates);
            berth.startHealth(port, application);
            files.write(port);
            // after the first health answer: a remote store's client and pool classes cost start-up time
            SessionStores sessions = SessionStores.of(config.sessions(), berth.backing);
            sessions.install(berth.server);
            berth.deploy(application, sessions);
            return berth;
        } catch (BerthException e) {
            berth.abort();
            throw e;
        } catch (Exception e) {
            berth.abort();
            throw new BerthException(ExitCode.SOFTWARE, "Jetty failed to start: " + e, null, e);
        }
    }

    /** A stop that runs past the platform's grace period ends in SIGKILL: no drain finished, files left behind. */
    private static void warnIfTheStopOutlastsTheGracePeriod(BerthConfig.Shutdown shutdown) {
        Duration longest = shutdown.delay().plus(shutdown.timeout()).plus(STOP_MARGIN);
        if (shutdown.grace().isPresent() && longest.compareTo(shutdown.grace().get()) > 0) {
            LOG.warn("A stop may take berth.shutdown.delay + berth.shutdown.timeout + {} ms = {} ms, longer than the platform's grace period "
                    + "berth.shutdown.grace={} ms: the platform would kill Berth before it finishes. Lower the delay or the timeout, "
                    + "or raise the platform's grace period and set berth.shutdown.grace to match",
                    STOP_MARGIN.toMillis(), longest.toMillis(), shutdown.grace().get().toMillis());
        }
    }

    /** Opens the TCP connector (and the unix socket's, when configured); returns the bound port. */
    private int bind(List<Integer> candidates) throws BerthException {
        HttpConnectionFactory http = Servers.newHttp(config);
        PortBinder binder = new PortBinder(config.host(), config.bind().attempts(), config.bind().backoff(), holders);
        PortBinder.Bound bound = binder.bind(candidates, port -> Servers.newConnector(server, http, config, port));
        server.addConnector(bound.connector());
        files.newSocketConnector(server, http).ifPresent(server::addConnector);
        int port = bound.connector().getLocalPort();
        if (bound.isFallback()) {
            LOG.warn("Serving on fallback port {}, not the first candidate: {}. The platform may route traffic only to {} "
                    + "(on Render only PORT receives public traffic).", port, bound.failures().get(0).describe(), candidates.get(0));
        }
        return port;
    }

    /** Starts the server with the hand-over handler alone: health answers, application requests are held. */
    private void startHealth(int port, Optional<Application> application) throws Exception {
        phases = new PhaseTracker(port);
        handOver = new HandOverHandler(config.health().path(), phases, backing, config.startup().hold(), config.startup().maxHeld());
        graceful = new GracefulHandler(handOver);
        server.setHandler(graceful);
        server.start();
        backing.start();
        String health = config.health().path().isEmpty() ? "disabled" : "answers at " + config.health().path();
        LOG.info("Health {} on port {}; deploying {}", health, port, application.map(Application::name).orElse("the status page"));
    }

    private void deploy(Optional<Application> application, SessionStores sessions) {
        deployment = new Deployment(server, handOver, phases, application, work, backing, sessions,
                app -> ApplicationChain.wrap(sessions.gate(app), config, server));
        deployment.start();
    }

    private void abort() {
        LifeCycle.stop(server);
        // a connector opened before the server started is not closed by stopping the server
        for (var connector : server.getConnectors()) {
            if (connector instanceof ServerConnector open) {
                open.close();
            }
        }
        backing.close();
        files.remove();
        work.remove();
    }

    /**
     * Waits until the application serves. When it fails to deploy, {@code berth.deploy.on-failure} decides:
     * {@code exit} (the default) stops Berth and throws the failure (exit code 70); {@code stay} keeps Berth
     * up, serving 503 with readiness DOWN, and returns with {@link #phase()} {@code FAILED}. A stop that
     * arrives during the deployment also returns (the phase is then {@code STOPPING}).
     */
    public void awaitDeployment() throws BerthException, InterruptedException {
        try {
            deployment.done().get();
        } catch (CancellationException stoppedFirst) {
            // close() cancelled the deployment: nothing failed
        } catch (ExecutionException e) {
            BerthException failure = e.getCause() instanceof BerthException known ? known
                    : new BerthException(ExitCode.SOFTWARE, "deployment failed: " + e.getCause(), null, e.getCause());
            if (config.deploy().onFailure() == BerthConfig.OnFailure.STAY) {
                LOG.warn("Staying up with the application unavailable (berth.deploy.on-failure=stay): health reports FAILED, requests get 503");
                return;
            }
            close();
            throw failure;
        }
    }

    /** The TCP port Berth bound (it stays known after the connector has closed). */
    public int port() {
        return phases.port();
    }

    /** Where Berth is: deploying, serving, failed or stopping. */
    public Phase phase() {
        return phases.phase();
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /** Waits until Berth has stopped. */
    public void join() throws InterruptedException {
        server.join();
    }

    /**
     * Stops the way platforms expect: readiness DOWN at once, {@code berth.shutdown.delay} for load balancers
     * to notice, then no new connections, in-flight requests drained for up to {@code berth.shutdown.timeout},
     * the application stopped (contextDestroyed runs), and Berth's files removed. The whole stop ends within
     * delay + timeout + {@link #STOP_MARGIN}, whatever the application does: requests still running at the
     * deadline are cut, an application that will not stop is left behind. Nothing it meets is thrown.
     * Calling it again does nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long begin = System.nanoTime();
        long inFlight = 0;
        long cut = 0;
        try {
            Duration delay = phases.phase() == Phase.SERVING ? config.shutdown().delay() : Duration.ZERO;
            phases.stopping();
            LOG.info("Stopping: readiness is DOWN{}", delay.isZero() ? "" : "; still accepting for " + delay.toMillis() + " ms");
            pause(delay);
            long deadline = System.nanoTime() + config.shutdown().timeout().toNanos();
            deployment.cancel(untilDeadline(deadline));
            inFlight = graceful.getCurrentRequestCount();
            cut = drain(untilDeadline(deadline));
            stopServer(untilDeadline(deadline));
        } catch (RuntimeException | Error e) {
            LOG.warn("Stopping met {}; removing the files anyway", e.toString());
        } finally {
            // after contextDestroyed: the application may use its pools until then
            backing.close();
            files.remove();
            work.remove();
        }
        LOG.info("Stopped in {} ms: {} in-flight requests drained, {} cut", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin),
                Math.max(0, inFlight - cut), cut);
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
            LOG.warn("{} requests still running after berth.shutdown.timeout={} ms: cutting them", cut, config.shutdown().timeout().toMillis());
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
     * what is left of the timeout but at least {@link #STOP_MARGIN}; an application that does not stop by then
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
