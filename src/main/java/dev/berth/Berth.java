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

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

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
    private final ServerConnector connector;
    private final Lifecycle lifecycle;
    private final List<OwnedFile> files = new ArrayList<>();
    private Deployment deployment;
    private boolean closed;

    private Berth(Server server, ServerConnector connector, Lifecycle lifecycle) {
        this.server = server;
        this.connector = connector;
        this.lifecycle = lifecycle;
    }

    /**
     * Binds the first free candidate port, starts serving health on it, and begins deploying the application
     * on a thread of its own. Returns as soon as health answers; {@link #awaitDeployment()} waits for the
     * application. A failed start closes what it opened.
     */
    public static Berth start(BerthConfig config) throws BerthException {
        List<Integer> candidates = Candidates.of(config);
        Optional<Application> application = Application.of(config);
        Optional<Path> portFile = config.portFile().map(Path::of);
        if (portFile.isPresent()) {
            OwnedFile.checkWritable(portFile.get().toAbsolutePath(), "port file");
        }
        Server server = newServer(config);
        Berth berth = null;
        try {
            HttpConnectionFactory http = new HttpConnectionFactory(newHttpConfiguration());
            PortBinder binder = new PortBinder(config.host(), config.bind().attempts(), config.bind().backoff(), PortHolders.system());
            PortBinder.Bound bound = binder.bind(candidates, port -> newConnector(server, http, config.host(), port));
            server.addConnector(bound.connector());
            Lifecycle lifecycle = new Lifecycle(bound.connector()::getLocalPort);
            berth = new Berth(server, bound.connector(), lifecycle);
            if (bound.isFallback()) {
                LOG.warn("Serving on fallback port {}, not the first candidate: {}. The platform may route traffic only to {} "
                        + "(on Render only PORT receives public traffic).", berth.port(),
                        bound.failures().get(0).describe(), candidates.get(0));
            }
            HandOverHandler handOver = new HandOverHandler(config.health().path(), lifecycle,
                    config.startup().hold(), config.startup().maxHeld());
            server.setHandler(handOver);
            server.start();
            LOG.info("Health {} on port {}; deploying {}", config.health().path().isEmpty() ? "disabled" : "answers at " + config.health().path(),
                    berth.port(), application.map(Application::name).orElse("the status page"));
            if (portFile.isPresent()) {
                berth.files.add(OwnedFile.write(portFile.get(), String.valueOf(berth.port()), "port file"));
            }
            berth.deployment = new Deployment(server, handOver, lifecycle, application);
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

    private static Server newServer(BerthConfig config) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("berth");
        Server server = new Server(threads);
        server.setStopAtShutdown(false);
        server.setStopTimeout(config.shutdown().timeout().toMillis());
        return server;
    }

    private static HttpConfiguration newHttpConfiguration() {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        return http;
    }

    private static ServerConnector newConnector(Server server, HttpConnectionFactory http, String host, int port) {
        ServerConnector connector = new ServerConnector(server, http);
        connector.setHost(host);
        connector.setPort(port);
        return connector;
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

    /** The TCP port Berth listens on. */
    public int port() {
        return connector.getLocalPort();
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

    /** Stops gracefully and removes the files Berth wrote; calling it again does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long begin = System.nanoTime();
        lifecycle.stopping();
        if (deployment != null) {
            deployment.cancel();
        }
        LifeCycle.stop(server);
        removeFiles();
        LOG.info("Stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    }
}
