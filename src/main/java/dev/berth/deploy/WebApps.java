package dev.berth.deploy;

import dev.berth.backing.BackingServices;
import dev.berth.base.Timeline;
import dev.berth.config.BerthConfig;
import dev.berth.files.WorkDirectory;
import dev.berth.migrate.JavaxWars;
import dev.berth.resources.ContainerResources;
import dev.berth.server.Servers;

import org.eclipse.jetty.ee.webapp.WebAppClassLoader;
import org.eclipse.jetty.ee11.annotations.AnnotationConfiguration;
import org.eclipse.jetty.ee11.plus.webapp.EnvConfiguration;
import org.eclipse.jetty.ee11.plus.webapp.PlusConfiguration;
import org.eclipse.jetty.ee11.webapp.Configuration;
import org.eclipse.jetty.ee11.webapp.JettyWebXmlConfiguration;
import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.security.HashLoginService;
import org.eclipse.jetty.security.LoginService;
import org.eclipse.jetty.security.SecurityHandler;
import org.eclipse.jetty.security.UserStore;
import org.eclipse.jetty.server.AllowedResourceAliasChecker;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.ClassMatcher;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Turns an {@link Application} into a Jetty {@link WebAppContext} with annotations, container initializers,
 * web fragments, JSP and websockets (the ee11 configurations Jetty discovers on the class path), and with
 * Berth's hardening: the WAR unpacked by Berth into its work directory, only the WAR's own files served (no
 * symbolic links out of it, no directory listings unless asked), error pages without stack traces or
 * exception messages, and a malformed Basic authorization header answered 401 rather than 500.
 */
final class WebApps {

    private static final Logger LOG = LoggerFactory.getLogger(WebApps.class);
    private static final String DIR_ALLOWED = "org.eclipse.jetty.servlet.Default.dirAllowed";

    private WebApps() {
    }

    /**
     * A new, unstarted context, attached to the server (which owns sessions and threads). Unpacks a WAR file
     * first; the pools of its DataSources go to {@code backing}.
     */
    static WebAppContext newContext(Application application, Server server, WorkDirectory work, BackingServices backing, Timeline timeline)
            throws IOException {
        WebAppContext context = new UnpackedWebAppContext();
        context.setServer(server);
        context.setContextPath(application.contextPath());
        context.setDisplayName(application.name());
        context.setTempDirectory(work.newDirectory("jetty" + application.folder()).toFile());
        defaultsDescriptor(context, application, work);
        timeline.mark("context");
        Path cache = migrationCache(application, work);
        Path war = application.war();
        BerthConfig.MigrateMode mode = application.config().migrate().mode();
        JavaxWars.Prepared prepared;
        Path root;
        if (Files.isDirectory(war)) {
            prepared = JavaxWars.forJakarta(application.name(), war, war, mode, cache);
            root = war;
            timeline.mark("scan");
        } else {
            // one pass over the WAR's bytes: unpacked, then its code read from the files; a javax WAR is converted and unpacked again
            Path unpacked = unpack(application, war, work);
            timeline.mark("unpack");
            prepared = JavaxWars.forJakarta(application.name(), war, unpacked, mode, cache);
            root = prepared.war().equals(war) ? unpacked : unpack(application, prepared.war(), work);
            timeline.mark("scan");
        }
        context.setWar(root.toString());
        ForeignContainerJars.initializerExclusion(application.name(), application.war(), root.resolve("WEB-INF/lib"))
                .ifPresent(pattern -> context.setAttribute(AnnotationConfiguration.SERVLET_CONTAINER_INITIALIZER_EXCLUSION_PATTERN, pattern));
        // classes compiled against Servlet 5 or older may call methods Servlet 6 removed: bridge them as they load
        ClassLoader parent = ExtraClassPath.parent(application.config().classpath(), application.config().migrate().mode(), cache);
        WebAppClassLoader loader = prepared.castsToTomcatsLoader() ? tomcatsLoader(application, parent, context)
                : new ParallelWebAppClassLoader(parent, context);
        loader.addTransformer(JavaxWars.removedMethodBridges());
        context.setClassLoader(loader);
        // a WAR sees the Jakarta APIs and what is documented as provided, none of Berth's own libraries or service files
        context.addHiddenClassMatcher(ContainerClasses.hidden());
        if (usesNaming(application, prepared)) {
            ContainerResources.prepare(context, application.name(), application.qualifier(), root, application.config(), backing);
        } else {
            withoutNaming(context);
        }
        context.setMaxFormContentSize(application.config().http().formMaxSize());
        context.setMaxFormKeys(application.config().http().formMaxKeys());
        context.setInitParameter(DIR_ALLOWED, String.valueOf(application.config().dirListing()));
        // Jetty's default on Unix follows a symbolic link to anywhere: only targets inside the WAR are served
        context.clearAliasChecks();
        context.addAliasCheck(new AllowedResourceAliasChecker(context));
        context.setErrorHandler(Servers.newWebAppErrorHandler());
        // JSPs find the JSTL Berth carries, after the WAR's own taglibs
        context.addConfiguration(new ContainerTaglibs());
        skipForeignJettyWebXml(application, context);
        // Berth reports a failed start itself (Deployment), so Jetty keeps the context and its cause.
        context.setThrowUnavailableOnStartupException(false);
        // A WAR with a <login-config> needs a LoginService to start: the users file, or nobody (401s).
        SecurityHandler security = context.getSecurityHandler();
        security.setLoginService(newLoginService(server, security, application.usersFile()));
        security.setAuthenticatorFactory(Servers.newAuthenticatorFactory());
        timeline.mark("configure");
        return context;
    }

    /**
     * Jetty's default descriptor (webdefault-ee11.xml) given as a file of this run: read where it is, in berth.jar, Jetty
     * would mount the whole jar (some 14,000 entries) as a zip file system for it, about 20 ms of every deployment
     * (bench/results/startup-profile.md).
     */
    private static void defaultsDescriptor(WebAppContext context, Application application, WorkDirectory work) throws IOException {
        try (InputStream in = WebAppContext.class.getClassLoader().getResourceAsStream(context.getDefaultsDescriptor())) {
            if (in != null) {
                Path file = work.newDirectory("defaults" + application.folder()).resolve(Path.of(context.getDefaultsDescriptor()).getFileName());
                Files.copy(in, file);
                context.setDefaultsDescriptor(file.toString());
            }
        }
    }

    /** Unpacks a WAR file (or its Jakarta conversion) into this run's folder for it, which it empties first. */
    private static Path unpack(Application application, Path war, WorkDirectory work) throws IOException {
        Path unpacked = work.newDirectory("war" + application.folder());
        long begin = System.nanoTime();
        WarArchive.extract(war, unpacked);
        LOG.info("Unpacked {} into {} in {} ms", application.name(), unpacked, (System.nanoTime() - begin) / 1_000_000);
        return unpacked;
    }

    /** For a WAR whose code casts its loader to Tomcat's: the same loader under that name (WebGoat 7 does). */
    private static WebAppClassLoader tomcatsLoader(Application application, ClassLoader parent, WebAppContext context) {
        LOG.info("{}: its classes name Tomcat's class loader (org.apache.catalina.loader.WebappClassLoader), so its loader "
                + "is given that name and Tomcat's addRepository", application.name());
        context.addHiddenClassMatcher(new ClassMatcher("-" + org.apache.catalina.loader.WebappClassLoader.class.getName()));
        return new org.apache.catalina.loader.WebappClassLoader(parent, context);
    }

    /** Where Java EE 8 WARs and berth.classpath jars are converted to, once. */
    private static Path migrationCache(Application application, WorkDirectory work) throws IOException {
        BerthConfig.Migrate migrate = application.config().migrate();
        return migrate.cacheDir().isPresent() ? Path.of(migrate.cacheDir().get()) : work.shared("migrated");
    }

    /**
     * Whether the WAR uses JNDI: its classes, its libraries' fragments or its descriptors do (read in the javax pass), or
     * Berth's settings give it resources (DataSources, a context.xml, DATABASE_URL) or libraries (berth.classpath, not read).
     */
    private static boolean usesNaming(Application application, JavaxWars.Prepared prepared) {
        BerthConfig config = application.config();
        return prepared.usesNaming() || !config.datasource().isEmpty() || config.contextXml().isPresent() || config.databaseUrl().isPresent()
                || config.classpath().filter(paths -> !paths.isBlank()).isPresent();
    }

    /**
     * Leaves out JNDI's configurations (java:comp/env, its entries, {@code @Resource} and the lifecycle callbacks they run)
     * for a WAR that uses none of it: about 70 classes and their work at every deployment.
     */
    private static void withoutNaming(WebAppContext context) {
        LOG.debug("{} uses no JNDI: deployed without Jetty's EnvConfiguration and PlusConfiguration", context.getDisplayName());
        context.setConfigurations(Arrays.stream(context.getConfigurations().toArray())
                .filter(c -> !(c instanceof EnvConfiguration) && !(c instanceof PlusConfiguration)).toArray(Configuration[]::new));
    }

    private static void skipForeignJettyWebXml(Application application, WebAppContext context) {
        Optional<String> foreign = ForeignJettyWebXml.of(application.war());
        if (foreign.isPresent()) {
            LOG.warn("{}: WEB-INF/jetty-web.xml configures {}, a class of another Jetty environment; Berth runs ee11 "
                    + "and skips that file (ship WEB-INF/jetty-ee11-web.xml for ee11 settings)", application.name(), foreign.get());
            // Configurations.remove(Class) leaves the list unchanged in 12.1.14: set the filtered list instead
            context.setConfigurations(Arrays.stream(context.getConfigurations().toArray())
                    .filter(c -> !(c instanceof JettyWebXmlConfiguration)).toArray(Configuration[]::new));
        }
    }

    private static LoginService newLoginService(Server server, SecurityHandler security, Optional<Path> usersFile) {
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
