package dev.berth;

import dev.berth.bind.Candidates;
import dev.berth.bind.PortBinder;
import dev.berth.bind.PortHolders;
import dev.berth.config.BerthConfig;
import dev.berth.deploy.Application;
import dev.berth.deploy.Deployment;
import dev.berth.handover.HandOverHandler;
import dev.berth.handover.Lifecycle;
import dev.berth.handover.Phase;
import dev.berth.lifecycle.OwnedFile;
import dev.berth.lifecycle.PidFile;
import dev.berth.lifecycle.PortFile;
import dev.berth.lifecycle.UnixSocket;
import dev.berth.server.ApplicationChain;
import dev.berth.server.Servers;

import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.component.Graceful;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

    private final Server server;
    private final Lifecycle lifecycle;
    private final BerthConfig config;
    private final GracefulHandler graceful;
    private final List<OwnedFile> files = new ArrayList<>();
    private Deployment deployment;
    private boolean closed;

    private Berth(Server server, Lifecycle lifecycle, BerthConfig config, GracefulHandler graceful) {
        this.server = server;
        this.lifecycle = lifecycle;
        this.config = config;
        this.graceful = graceful;
    }

    /**
     * Binds the first free candidate port, starts serving health on it, and begins deploying the application
     * on a thread of its own. Returns as soon as health answers; {@link #awaitDeployment()} waits for the
     * application. A failed start closes what it opened.
     */
    public static Berth start(BerthConfig config) throws BerthException {
        List<Integer> candidates = Candidates.of(config);
        Optional<Application> application = Application.of(config);
        PortHolders holders = PortHolders.system();
        // claim the files before binding: a live instance or a path Berth must not touch ends the start here
        Optional<PidFile> pidFile = optional(config.pidFile().map(Path::of), PidFile::claim);
        Optional<PortFile> portFile = optional(config.portFile().map(Path::of), p -> PortFile.claim(p, holders));
        Optional<UnixSocket> unixSocket = optional(config.unixSocket().map(Path::of), p -> UnixSocket.claim(p, config.unixSocketMode()));
        Server server = Servers.newServer(config, System.out);
        Berth berth = null;
        try {
            HttpConnectionFactory http = Servers.newHttp(config, config.proxy().forwarded().orElse(false));
            PortBinder binder = new PortBinder(config.host(), config.bind().attempts(), config.bind().backoff(), holders);
            PortBinder.Bound bound = binder.bind(candidates, port -> Servers.newConnector(server, http, config, port));
            server.addConnector(bound.connector());
            Optional<UnixDomainServerConnector> unix = unixSocket.map(socket -> socket.newConnector(server, http));
            unix.ifPresent(server::addConnector);
            int port = bound.connector().getLocalPort();
            Lifecycle lifecycle = new Lifecycle(() -> port);
            HandOverHandler handOver = new HandOverHandler(config.health().path(), lifecycle,
                    config.startup().hold(), config.startup().maxHeld());
            GracefulHandler graceful = new GracefulHandler(handOver);
            berth = new Berth(server, lifecycle, config, graceful);
            if (bound.isFallback()) {
                LOG.warn("Serving on fallback port {}, not the first candidate: {}. The platform may route traffic only to {} "
                        + "(on Render only PORT receives public traffic).", berth.port(),
                        bound.failures().get(0).describe(), candidates.get(0));
            }
            server.setHandler(graceful);
            server.start();
            LOG.info("Health {} on port {}; deploying {}", config.health().path().isEmpty() ? "disabled" : "answers at " + config.health().path(),
                    berth.port(), application.map(Application::name).orElse("the status page"));
            if (unixSocket.isPresent()) {
                unixSocket.get().bound(unix.get());
            }
            if (pidFile.isPresent()) {
                berth.files.add(pidFile.get().write());
            }
            if (portFile.isPresent()) {
                berth.files.add(portFile.get().write(berth.port()));
            }
            berth.deployment = new Deployment(server, handOver, lifecycle, application, app -> ApplicationChain.wrap(app, config));
            berth.deployment.start();
            return berth;
        } catch (BerthException e) {
            abort(server, berth);
            throw e;
        } catch (Exception e) {
            abort(server, berth);
            throw new BerthException(ExitCode.SOFTWARE, "Jetty failed to start: " + e, null, e);
        }
    }

    private interface Claim<T> {
        T claim(Path path) throws BerthException;
    }

    private static <T> Optional<T> optional(Optional<Path> path, Claim<T> claim) throws BerthException {
        return path.isPresent() ? Optional.of(claim.claim(path.get())) : Optional.empty();
    }

    private static void abort(Server server, Berth berth) {
        LifeCycle.stop(server);
        // a connector opened before the server started is not closed by stopping the server
        for (var connector : server.getConnectors()) {
            if (connector instanceof ServerConnector open) {
                open.close();
            }
        }
        if (berth != null) {
            berth.removeFiles();
        }
    }

    /** Waits until the application serves; throws the deployment's failure (exit code 70). */
    public void awaitDeployment() throws BerthException, InterruptedException {
        try {
            deployment.done().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BerthException failure) {
                throw failure;
            }
            throw new BerthException(ExitCode.SOFTWARE, "deployment failed: " + e.getCause(), null, e.getCause());
        } catch (CancellationException e) {
            throw new BerthException(ExitCode.OK, "stopped before the application was deployed", null);
        }
    }

    /** The TCP port Berth bound (it stays known after the connector has closed). */
    public int port() {
        return lifecycle.port();
    }

    /** Where Berth is: deploying, serving, failed or stopping. */
    public Phase phase() {
        return lifecycle.phase();
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /** Waits until Berth has stopped. */
    public void join() throws InterruptedException {
        server.join();
    }

    private void removeFiles() {
        files.forEach(OwnedFile::removeIfUnchanged);
        files.clear();
    }

    /**
     * Stops the way platforms expect: readiness DOWN at once, {@code berth.shutdown.delay} for load balancers
     * to notice, then no new connections, in-flight requests drained for up to {@code berth.shutdown.timeout},
     * the application stopped (contextDestroyed runs), and Berth's files removed. Calling it again does nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long begin = System.nanoTime();
        boolean serving = lifecycle.phase() == Phase.SERVING;
        lifecycle.stopping();
        Duration delay = config.shutdown().delay();
        LOG.info("Stopping: readiness is DOWN{}", serving && !delay.isZero() ? "; still accepting for " + delay.toMillis() + " ms" : "");
        if (serving && !delay.isZero()) {
            pause(delay);
        }
        if (deployment != null) {
            deployment.cancel();
        }
        long inFlight = graceful.getCurrentRequestCount();
        long cut = 0;
        try {
            Graceful.shutdown(server).get(config.shutdown().timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            cut = graceful.getCurrentRequestCount();
            LOG.warn("{} requests still running after berth.shutdown.timeout={} ms: cutting them", cut, config.shutdown().timeout().toMillis());
        } catch (ExecutionException | InterruptedException e) {
            LOG.warn("Graceful shutdown did not complete: {}", e.toString());
        }
        LifeCycle.stop(server);
        removeFiles();
        LOG.info("Stopped in {} ms: {} in-flight requests drained, {} cut", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin),
                Math.max(0, inFlight - cut), cut);
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
