package dev.berth;

import dev.berth.config.BerthConfig;
import dev.berth.deploy.Application;
import dev.berth.deploy.StatusPage;

import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The launcher facade: starts Jetty from a {@link BerthConfig}, serves the WAR (or the status page), and
 * stops. {@code Main} is a thin shell over it; programs and tests embed it directly.
 *
 * <pre>{@code
 * try (Berth berth = Berth.start(ConfigLoader.fromMap(Map.of("berth.war", "app.war")))) {
 *     System.out.println("serving on " + berth.port());
 * }
 * }</pre>
 */
public final class Berth implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Berth.class);

    private final Server server;
    private final ServerConnector connector;

    private Berth(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /** Binds, deploys and serves; returns once the application answers. A failed start closes what it opened. */
    public static Berth start(BerthConfig config) throws BerthException {
        Optional<Application> application = config.war().isPresent()
                ? Optional.of(Application.of(config.war().get(), config.contextPath()))
                : Optional.empty();
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("berth");
        Server server = new Server(threads);
        server.setStopAtShutdown(false);
        server.setStopTimeout(config.shutdown().timeout().toMillis());
        try {
            ServerConnector connector = bind(server, config);
            Berth berth = new Berth(server, connector);
            long begin = System.nanoTime();
            Handler handler = application.isPresent()
                    ? application.get().newWebAppContext()
                    : new StatusPage(berth::port);
            server.setHandler(handler);
            server.start();
            if (handler instanceof WebAppContext webapp && !webapp.isAvailable()) {
                Throwable cause = webapp.getUnavailableException();
                throw new BerthException(ExitCode.SOFTWARE, "the application failed to deploy: " + rootCause(cause),
                        "see the log above for the application's own messages");
            }
            LOG.info("{} deployed at {} in {} ms", application.map(a -> a.war().getFileName().toString()).orElse("Status page"),
                    config.contextPath(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
            return berth;
        } catch (BerthException e) {
            LifeCycle.stop(server);
            throw e;
        } catch (Exception e) {
            LifeCycle.stop(server);
            throw new BerthException(ExitCode.SOFTWARE, "Jetty failed to start: " + rootCause(e), null, e);
        }
    }

    private static ServerConnector bind(Server server, BerthConfig config) throws BerthException {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        int port = config.port().orElseGet(() -> config.fallbackPorts().ranges().get(0).first());
        connector.setPort(port);
        try {
            connector.open();
        } catch (IOException e) {
            throw new BerthException(ExitCode.UNAVAILABLE, "cannot bind port " + port + ": " + e.getMessage(),
                    "set PORT or berth.port to a free port");
        }
        server.addConnector(connector);
        LOG.info("Bound port {} on {}", connector.getLocalPort(), config.host());
        return connector;
    }

    static String rootCause(Throwable t) {
        if (t == null) {
            return "unknown cause";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** The TCP port Berth listens on. */
    public int port() {
        return connector.getLocalPort();
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /** Waits until Berth has stopped. */
    public void join() throws InterruptedException {
        server.join();
    }

    /** Stops gracefully; calling it again does nothing. */
    @Override
    public void close() {
        if (server.isStopped()) {
            return;
        }
        long begin = System.nanoTime();
        LifeCycle.stop(server);
        LOG.info("Stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    }
}
