package dev.berth;

import dev.berth.base.BerthException;
import dev.berth.base.ExitCode;
import dev.berth.bind.PortBinder;
import dev.berth.config.BerthConfig;
import dev.berth.server.Servers;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * Berth's endpoints on {@code berth.management.port}: a server and threads of their own, so a busy application cannot
 * starve a probe or a scrape. Started after the main port's health, stopped after the drain (probes there see
 * readiness DOWN until the end).
 */
final class ManagementPort {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementPort.class);

    private final Server server;
    private final int port;

    private ManagementPort(Server server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * The management port the settings ask for, serving {@code endpoints}, started; empty when they ask for none. A
     * failure closes what it opened.
     */
    static Optional<ManagementPort> start(BerthConfig config, Handler endpoints) throws BerthException {
        if (config.management().port().isEmpty()) {
            return Optional.empty();
        }
        if (config.health().path().isEmpty() && !config.metrics().enabled()) {
            LOG.warn("berth.management.port is set but health is off (berth.health.path is empty) and metrics are too: "
                    + "the management port has nothing to serve");
        }
        Server server = Servers.newManagementServer();
        server.setHandler(endpoints);
        PortBinder.Bound bound = PortBinder.of(config).bindOwn("berth.management.port", config.management().port().get(),
                port -> Servers.newManagementConnector(server, config, port));
        server.addConnector(bound.connector());
        ManagementPort management = new ManagementPort(server, bound.connector().getLocalPort());
        try {
            server.start();
        } catch (Exception e) {
            management.stop();
            throw new BerthException(ExitCode.SOFTWARE, "Jetty could not start serving the management port " + management.port + ": " + e, null, e);
        }
        LOG.info("Management endpoints on port {}", management.port);
        return Optional.of(management);
    }

    /** The bound port; known after the stop. */
    OptionalInt port() {
        return OptionalInt.of(port);
    }

    /** Stops the server and closes its connector, also when it never started. */
    void stop() {
        Servers.stop(server);
    }
}
