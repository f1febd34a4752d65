package dev.berth.server;

import dev.berth.config.BerthConfig;
import dev.berth.handover.BerthEndpoints;

import org.eclipse.jetty.ee11.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.security.Authenticator;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;

/** Jetty's server, HTTP configuration and connectors, with Berth's defaults for small platform instances. */
public final class Servers {

    private Servers() {
    }

    /** The server with Berth's thread pool, quiet error pages and, unless off, the access log (without {@code endpoints}). */
    public static Server newServer(BerthConfig config, OutputStream accessLogOut, BerthEndpoints endpoints) {
        QueuedThreadPool threads = new QueuedThreadPool(config.threads().max(), config.threads().min());
        threads.setName("berth");
        Server server = new Server(threads);
        // Berth's shutdown hook drains and cleans up; Jetty's own must not race it
        server.setStopAtShutdown(false);
        // Berth drains within berth.shutdown.timeout itself (GracefulStop): Jetty's stop must not wait again
        server.setStopTimeout(0);
        server.setErrorHandler(QuietErrors.forServer());
        if (config.accessLog().format() != BerthConfig.AccessLogFormat.OFF) {
            server.setRequestLog(new AccessLog(config, accessLogOut, endpoints));
        }
        return server;
    }

    /** How many access-log lines wait to be written, when {@code server} has Berth's access log. */
    public static Optional<IntSupplier> accessLogBacklog(Server server) {
        // a bean of the server, also when the request log is a collection of it and other logs
        AccessLog log = server.getBean(AccessLog.class);
        return log == null ? Optional.empty() : Optional.of(log::backlog);
    }

    public static HttpConnectionFactory newHttp(BerthConfig config) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(config.http().requestHeaderSize());
        http.setMinRequestDataRate(config.http().minRequestDataRate());
        // absolute redirects built from the (forwarded) scheme and host, so they are right behind a proxy
        http.setRelativeRedirectAllowed(false);
        http.addCustomizer(new RequestIds());
        if (config.proxy().forwarded().orElse(false)) {
            List<String> hosts = config.proxy().host().map(h -> List.of(h.split(","))).orElse(List.of());
            TrustedForwarding trusted = new TrustedForwarding(config.proxy().headers(), config.proxy().trustedHops(), hosts);
            http.addCustomizer(trusted);
            http.addCustomizer(trusted.jettyCustomizer());
        }
        return new HttpConnectionFactory(http);
    }

    public static ServerConnector newConnector(Server server, HttpConnectionFactory http, BerthConfig config, int port) {
        // with h2c, HTTP/1.1 still comes first: Jetty hands a connection to HTTP/2 when it opens with HTTP/2's preface
        // (prior knowledge) or asks for "Upgrade: h2c", with the same configuration (customizers, header size)
        ServerConnector connector = config.http().h2c()
                ? new ServerConnector(server, http, new HTTP2CServerConnectionFactory(http.getHttpConfiguration()))
                : new ServerConnector(server, http);
        connector.setHost(config.host());
        connector.setPort(port);
        connector.setIdleTimeout(config.http().idleTimeout().toMillis());
        connector.setAcceptQueueSize(config.http().acceptQueue());
        return connector;
    }

    /**
     * The server of the management port: a pool of its own (so a busy application cannot starve a probe or a scrape),
     * one acceptor and one selector, quiet error pages, no access log.
     */
    public static Server newManagementServer() {
        QueuedThreadPool threads = new QueuedThreadPool(6, 1);
        threads.setName("berth-management");
        Server server = new Server(threads);
        server.setStopAtShutdown(false);
        server.setStopTimeout(0);
        server.setErrorHandler(QuietErrors.forServer());
        return server;
    }

    /** Stops {@code server} and closes its connectors: one opened before the server started is not closed by the stop. */
    public static void stop(Server server) {
        LifeCycle.stop(server);
        for (var connector : server.getConnectors()) {
            if (connector instanceof ServerConnector open) {
                open.close();
            }
        }
    }

    /** A connector of the management server on {@code port}. */
    public static ServerConnector newManagementConnector(Server server, BerthConfig config, int port) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(port);
        connector.setIdleTimeout(config.http().idleTimeout().toMillis());
        return connector;
    }

    /**
     * The application behind what stands before it (query limit, basic auth, gzip; see {@link ApplicationChain}),
     * for the hand-over.
     */
    public static Handler wrapApplication(Handler application, BerthConfig config, Server server) {
        return ApplicationChain.wrap(application, config, server);
    }

    /** A WAR's error pages without detail: no stack trace, no message, no servlet name. */
    public static ErrorPageErrorHandler newWebAppErrorHandler() {
        return QuietErrors.forWebApp();
    }

    /** A WAR's authenticators as Jetty makes them, except BASIC, which challenges a malformed header instead of failing. */
    public static Authenticator.Factory newAuthenticatorFactory() {
        return new ChallengingBasicAuthenticator.Factory();
    }
}
