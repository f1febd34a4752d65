package dev.berth;

import dev.berth.backing.BackingServices;
import dev.berth.base.BerthException;
import dev.berth.base.ExitCode;
import dev.berth.base.Timeline;
import dev.berth.bind.PortBinder;
import dev.berth.config.BerthConfig;
import dev.berth.deploy.Application;
import dev.berth.deploy.Deployment;
import dev.berth.files.RunFiles;
import dev.berth.files.WorkDirectory;
import dev.berth.handover.BerthEndpoints;
import dev.berth.handover.HandOverHandler;
import dev.berth.handover.Phase;
import dev.berth.handover.PhaseTracker;
import dev.berth.metrics.BerthMetrics;
import dev.berth.observe.Observer;
import dev.berth.server.Servers;
import dev.berth.sessions.SessionStores;

import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

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
    private final RunFiles files;
    private final WorkDirectory work;
    private final Server server;
    private final BackingServices backing = new BackingServices();
    private final BerthEndpoints endpoints = new BerthEndpoints();
    private final BerthEndpoints managementEndpoints = new BerthEndpoints();
    /** Null while metrics are off, so that no class of Micrometer loads. */
    private BerthMetrics metrics;
    private Observer observer = Observer.NONE;
    private PhaseTracker phases;
    private HandOverHandler handOver;
    private GracefulHandler graceful;
    private Deployment deployment;
    private Optional<ManagementPort> management = Optional.empty();
    private boolean closed;

    private Berth(BerthConfig config, RunFiles files, WorkDirectory work) {
        this.config = config;
        this.files = files;
        this.work = work;
        this.server = Servers.newServer(config, System.out, endpoints);
    }

    /**
     * Claims Berth's files, binds the first free candidate port, starts serving health on it, writes the files,
     * and begins deploying the application on a thread of its own. Returns as soon as health answers;
     * {@link #awaitDeployment()} waits for the application. A failed start closes what it opened.
     */
    public static Berth start(BerthConfig config) throws BerthException {
        return start(config, new Timeline());
    }

    /** As {@link #start(BerthConfig)}, marking each phase on {@code timeline} (logged at DEBUG once health answers). */
    static Berth start(BerthConfig config, Timeline timeline) throws BerthException {
        // check: nothing is opened before the ports, the WAR and the stop's timing have been looked at
        List<Integer> candidates = PortBinder.candidates(config);
        List<Application> applications = Application.all(config);
        GracefulStop.warnIfLongerThanTheGracePeriod(config.shutdown());
        timeline.mark("check");
        // claim: a live instance, or a path Berth must not touch, ends the start here
        RunFiles files = RunFiles.claim(config);
        WorkDirectory work = claimWorkDirectory(config, applications, files);
        timeline.mark("claim");
        Berth berth = new Berth(config, files, work);
        timeline.mark("server");
        try {
            int port = berth.bind(candidates);
            timeline.mark("bind");
            berth.startHealth(port, applications);
            timeline.mark("health");
            if (!applications.isEmpty()) {
                Preload.deployment();
            }
            berth.management = ManagementPort.start(config, berth.handOver.managementHandler(berth.managementEndpoints));
            files.write(port);
            // after the first health answer: a remote store's client and pool classes cost start-up time
            SessionStores sessions = berth.sessionStore();
            berth.deploy(applications, sessions);
            timeline.mark("files, session store");
            LOG.debug("Start-up: {}; the deployment goes on", timeline.describe());
            return berth;
        } catch (BerthException | Error e) {
            berth.abort();
            throw e;
        } catch (RuntimeException e) {
            berth.abort();
            throw new BerthException(ExitCode.SOFTWARE, "Berth could not start: " + e, null, e);
        }
    }

    /** This run's folder, with room for the unpacked WAR; on failure the claimed run files are released. */
    private static WorkDirectory claimWorkDirectory(BerthConfig config, List<Application> applications, RunFiles files) throws BerthException {
        WorkDirectory work = null;
        try {
            work = WorkDirectory.claim(config.workDir().map(Path::of).orElseGet(WorkDirectory::defaultRoot));
            if (!applications.isEmpty()) {
                work.checkRoomFor(applications.stream().mapToLong(Application::unpackedBytes).sum(),
                        "unpacking " + applications.stream().map(Application::name).collect(Collectors.joining(", ")));
            }
            return work;
        } catch (BerthException | RuntimeException | Error e) {
            if (work != null) {
                work.remove();
            }
            files.remove();
            throw e;
        }
    }

    /** Opens the TCP connector (and the unix socket's, when configured); returns the bound port. */
    private int bind(List<Integer> candidates) throws BerthException {
        HttpConnectionFactory http = Servers.newHttp(config);
        PortBinder.Bound bound = PortBinder.of(config).bind(candidates, port -> Servers.newConnector(server, http, config, port));
        server.addConnector(bound.connector());
        files.newSocketConnector(server, http).ifPresent(server::addConnector);
        return bound.connector().getLocalPort();
    }

    /**
     * Starts the server with the hand-over handler alone (every request timed, when metrics are on): health answers,
     * application requests are held.
     */
    private void startHealth(int port, List<Application> applications) throws BerthException {
        phases = new PhaseTracker(port);
        BerthConfig.Metrics metricsSettings = config.metrics();
        if (metricsSettings.enabled() || metricsSettings.otlp().url().isPresent()) {
            metrics = BerthMetrics.start(metricsSettings);
            metrics.serve(endpoints, metricsSettings.path());
            metrics.serve(managementEndpoints, metricsSettings.path());
            observer = metrics;
        }
        handOver = new HandOverHandler(endpoints, config, phases, backing, observer);
        graceful = new GracefulHandler(handOver);
        server.setHandler(graceful);
        if (metrics != null) {
            metrics.instrument(server, endpoints);
        }
        try {
            server.start();
        } catch (Exception e) {
            throw new BerthException(ExitCode.SOFTWARE, "Jetty could not start serving on port " + port + ": " + e, null, e);
        }
        if (metrics != null) {
            metrics.bind(server, phases, handOver, backing);
        }
        backing.start();
        String health = config.health().path().isEmpty() ? "disabled" : "answers at " + config.health().path();
        LOG.info("Health {} on port {}; deploying {}", health, port, applications.isEmpty() ? "the status page"
                : applications.size() == 1 ? applications.get(0).name()
                : applications.stream().map(app -> app.name() + " at " + app.contextPath()).collect(Collectors.joining(", ")));
    }

    /** The session store the settings name, installed in the server for the application's context. */
    private SessionStores sessionStore() throws BerthException {
        try {
            SessionStores sessions = SessionStores.of(config.sessions(), backing);
            sessions.install(server, observer);
            return sessions;
        } catch (RuntimeException e) {
            throw new BerthException(ExitCode.SOFTWARE, "The session store (berth.sessions.store="
                    + config.sessions().store().name().toLowerCase(java.util.Locale.ROOT) + ") could not be set up: " + e,
                    "check the berth.sessions.* settings (--print-config shows them)", e);
        }
    }

    private void deploy(List<Application> applications, SessionStores sessions) {
        deployment = new Deployment(server, handOver, phases, applications, work, backing, sessions, sessions::gate,
                app -> Servers.wrapApplication(app, config, server));
        deployment.start();
    }

    private void abort() {
        Servers.stop(server);
        management.ifPresent(ManagementPort::stop);
        backing.close();
        files.remove();
        work.remove();
        closeMetrics(Duration.ZERO);
    }

    /**
     * Pushes metrics a last time (OTLP), waiting for the push no longer than {@code wait}, and closes their registries;
     * last, so that a collector that does not answer never keeps Berth's files in place.
     */
    private void closeMetrics(Duration wait) {
        if (metrics != null) {
            metrics.close(wait);
        }
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
                LOG.warn("Staying up with the application unavailable (berth.deploy.on-failure=stay): health reports FAILED, requests get 503"
                        + (deployment.several() ? " (those for a WAR deployed before the failure are still served; those after it are not deployed)" : ""));
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

    /** The management port Berth bound ({@code berth.management.port}; known after it closed), or empty when there is none. */
    public OptionalInt managementPort() {
        return management.map(ManagementPort::port).orElse(OptionalInt.empty());
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
     * to notice (when the application was serving), then no new connections, in-flight requests drained for up to {@code berth.shutdown.timeout},
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
        GracefulStop.Outcome outcome = GracefulStop.Outcome.NOTHING;
        try {
            outcome = new GracefulStop(server, graceful, config.shutdown()).run(phases, deployment);
        } finally {
            // after the drain: probes on the management port see readiness DOWN until the end
            management.ifPresent(ManagementPort::stop);
            // after contextDestroyed: the application may use its pools until then
            backing.close();
            files.remove();
            work.remove();
            // what is left of the stop's time: the last push never makes the stop longer than it promises
            BerthConfig.Shutdown shutdown = config.shutdown();
            long deadline = begin + shutdown.delay().plus(shutdown.timeout()).plus(STOP_MARGIN).toNanos();
            closeMetrics(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        LOG.info("Stopped in {} ms: {} in-flight requests drained, {} cut", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin),
                outcome.drained(), outcome.cut());
    }
}
