package dev.berth.deploy;

import dev.berth.BerthException;
import dev.berth.ExitCode;
import dev.berth.config.BerthConfig;

import org.eclipse.jetty.ee11.webapp.Configuration;
import org.eclipse.jetty.ee11.webapp.JettyWebXmlConfiguration;
import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.security.HashLoginService;
import org.eclipse.jetty.security.LoginService;
import org.eclipse.jetty.security.SecurityHandler;
import org.eclipse.jetty.security.UserStore;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The user's WAR, checked and turned into a Jetty {@link WebAppContext} with annotations, container
 * initializers, web fragments, JSP and websockets (the ee11 configurations Jetty discovers on the class path).
 */
public final class Application {

    private static final Logger LOG = LoggerFactory.getLogger(Application.class);

    private final Path war;
    private final String contextPath;
    private final Optional<Path> usersFile;
    private final BerthConfig.Http http;

    private Application(Path war, String contextPath, Optional<Path> usersFile, BerthConfig.Http http) {
        this.war = war;
        this.contextPath = contextPath;
        this.usersFile = usersFile;
        this.http = http;
    }

    /** The configured WAR, if any; exit 66 naming the path when it cannot be read. */
    public static Optional<Application> of(BerthConfig config) throws BerthException {
        if (config.war().isEmpty()) {
            return Optional.empty();
        }
        Path path = Path.of(config.war().get()).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new BerthException(ExitCode.NO_INPUT, "the WAR " + path + " does not exist",
                    "give the path of a .war file or an exploded WAR directory");
        }
        if (!Files.isReadable(path) || (Files.isDirectory(path) && !Files.isExecutable(path))) {
            throw new BerthException(ExitCode.NO_INPUT, "the WAR " + path + " cannot be read (permission denied)",
                    "make it readable by the user running Berth");
        }
        if (!Files.isDirectory(path) && !Files.isRegularFile(path)) {
            throw new BerthException(ExitCode.NO_INPUT, "the WAR " + path + " is neither a file nor a directory",
                    "give the path of a .war file or an exploded WAR directory");
        }
        Optional<Path> users = config.login().usersFile().map(f -> Path.of(f).toAbsolutePath().normalize());
        if (users.isPresent() && !Files.isReadable(users.get())) {
            throw new BerthException(ExitCode.USAGE, "berth.login.users-file=" + users.get() + " cannot be read",
                    "give a readable Jetty users file (lines of user: password,role,...) or leave the setting out");
        }
        return Optional.of(new Application(path, config.contextPath(), users, config.http()));
    }

    public String name() {
        return war.getFileName().toString();
    }

    /** A new, unstarted context for the WAR, attached to the server (which owns sessions, temp dirs, threads). */
    public WebAppContext newWebAppContext(Server server) {
        WebAppContext context = new WebAppContext();
        context.setServer(server);
        context.setContextPath(contextPath);
        context.setWar(war.toString());
        context.setDisplayName(name());
        context.setMaxFormContentSize(http.formMaxSize());
        context.setMaxFormKeys(http.formMaxKeys());
        Optional<String> foreign = ForeignJettyWebXml.of(war);
        if (foreign.isPresent()) {
            LOG.warn("{}: WEB-INF/jetty-web.xml configures {}, a class of another Jetty environment; Berth runs ee11 "
                    + "and skips that file (ship WEB-INF/jetty-ee11-web.xml for ee11 settings)", name(), foreign.get());
            // Configurations.remove(Class) leaves the list unchanged in 12.1.14: set the filtered list instead
            context.setConfigurations(Arrays.stream(context.getConfigurations().toArray())
                    .filter(c -> !(c instanceof JettyWebXmlConfiguration)).toArray(Configuration[]::new));
        }
        // Berth reports a failed start itself (Deployment), so Jetty keeps the context and its cause.
        context.setThrowUnavailableOnStartupException(false);
        // A WAR with a <login-config> needs a LoginService to start: the users file, or nobody (401s).
        SecurityHandler security = context.getSecurityHandler();
        security.setLoginService(newLoginService(server, security));
        return context;
    }

    private LoginService newLoginService(Server server, SecurityHandler security) {
        HashLoginService service = new RealmLoginService(security);
        if (usersFile.isPresent()) {
            service.setConfig(ResourceFactory.of(server).newResource(usersFile.get()));
        } else {
            service.setUserStore(new UserStore());
        }
        return service;
    }

    /** Takes the realm name the WAR declares in its login-config (known only once web.xml is read). */
    private static final class RealmLoginService extends HashLoginService {
        private final SecurityHandler security;

        RealmLoginService(SecurityHandler security) {
            this.security = security;
        }

        @Override
        public String getName() {
            String realm = security.getRealmName();
            return realm == null ? "berth" : realm;
        }
    }
}
