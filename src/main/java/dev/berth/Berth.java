package dev.berth;

import dev.berth.bind.Candidates;
import dev.berth.bind.PortBinder;
import dev.berth.bind.PortHolders;
import dev.berth.config.BerthConfig;
import dev.berth.deploy.Application;
import dev.berth.deploy.StatusPage;
import dev.berth.lifecycle.OwnedFile;

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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    private final List<OwnedFile> files = new ArrayList<>();

    private Berth(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /** Binds, deploys and serves; returns once the application answers. A failed start closes what it opened. */
    public static Berth start(BerthConfig config) throws BerthException {
        List<Integer> candidates = Candidates.of(config);
        Optional<Application> application = config.war().isPresent()
                ? Optional.of(Application.of(config.war().get(), config.contextPath()))
                : Optional.empty();
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
            berth = new Berth(server, bound.connector());
            if (bound.isFallback()) {
                LOG.warn("Serving on fallback port {}, not the first candidate: {}. The platform may route traffic only to {} "
                        + "(on Render only PORT receives public traffic).", berth.port(),
                        bound.failures().get(0).describe(), candidates.get(0));
            }
            if (portFile.isPresent()) {
                berth.files.add(OwnedFile.write(portFile.get(), String.valueOf(berth.port()), "port file"));
            }
            long begin = System.nanoTime();
            Berth running = berth;
            Handler handler = application.isPresent()
                    ? application.get().newWebAppContext()
                    : new StatusPage(running::port);
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
            abort(server, berth);
            throw e;
        } catch (Exception e) {
            abort(server, berth);
            throw new BerthException(ExitCode.SOFTWARE, "Jetty failed to start: " + rootCause(e), null, e);
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

    private void removeFiles() {
        files.forEach(OwnedFile::removeIfUnchanged);
        files.clear();
    }

    /** Stops gracefully and removes the files Berth wrote; calling it again does nothing. */
    @Override
    public synchronized void close() {
        if (server.isStopped() && files.isEmpty()) {
            return;
        }
        long begin = System.nanoTime();
        LifeCycle.stop(server);
        removeFiles();
        LOG.info("Stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    }
}
