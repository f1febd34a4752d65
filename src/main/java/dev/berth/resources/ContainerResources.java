package dev.berth.resources;

import dev.berth.backing.BackingService;
import dev.berth.backing.BackingServices;
import dev.berth.backing.ConnectionPools;
import dev.berth.base.Secrets;
import dev.berth.config.BerthConfig;
import dev.berth.config.DatabaseUrl;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.plus.jndi.EnvEntry;
import org.eclipse.jetty.plus.jndi.Resource;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.naming.NamingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a WAR written for a full container expects it to provide, in Jetty's JNDI: pooled DataSources at
 * {@code java:comp/env/jdbc/NAME} from {@code berth.datasource.NAME}, from a Tomcat {@code context.xml} (the
 * WAR's {@code META-INF/context.xml} and {@code berth.context-xml}), and from {@code DATABASE_URL} for a WAR that
 * declares exactly one DataSource {@code resource-ref}; a context.xml's environment entries and context
 * parameters. An explicit setting wins over {@code berth.context-xml}, which wins over the WAR's own file.
 * Each pool is a backing service: readiness names it, and the WAR deploys once it answers (unless
 * {@code berth.startup.await-datasources=false}); pools close after the application stopped.
 */
public final class ContainerResources {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerResources.class);
    private static final String WAR_CONTEXT_XML = "META-INF/context.xml";
    /** berth.datasource.NAME.pool-size's default, for a context.xml resource that sets no maximum. */
    private static final int DEFAULT_POOL_SIZE = Integer.parseInt(BerthConfig.DataSource.DEFAULT_POOL_SIZE);

    private final String war;
    private final Path root;
    private final BerthConfig config;
    private final Placeholders placeholders;
    private final Map<String, DataSourceDefinition> dataSources = new LinkedHashMap<>();
    private final List<EnvironmentEntry> environment = new ArrayList<>();
    private final List<ContextParameter> parameters = new ArrayList<>();
    private String qualifier = "";
    private List<WebXmlResourceRefs.Ref> refs = List.of();

    private ContainerResources(String war, Path root, BerthConfig config, Placeholders placeholders) {
        this.war = war;
        this.root = root;
        this.config = config;
        this.placeholders = placeholders;
    }

    /**
     * Reads what {@code context} (the WAR unpacked at {@code root}) gets, builds its pools (their checks go to
     * {@code backing}) and registers the naming entries Jetty binds when the context starts. The {@code ${NAME}}
     * placeholders of a context.xml are read from system properties and environment variables. {@code qualifier} ends
     * the names of its pools and of their checks ({@code datasource-main@/shop}) when several WARs run; empty for one.
     */
    public static void prepare(WebAppContext context, String war, String qualifier, Path root, BerthConfig config, BackingServices backing)
            throws IOException {
        ContainerResources resources = new ContainerResources(war, root, config, Placeholders.fromEnvironment());
        resources.qualifier = qualifier;
        resources.collect();
        resources.register(context, backing);
    }

    private void collect() throws IOException {
        refs = WebXmlResourceRefs.of(root.resolve("WEB-INF/web.xml"));
        config.datasource().forEach((name, settings) -> dataSources.put("jdbc/" + name, fromSettings(name, settings)));
        Optional<Path> external = config.contextXml().map(Path::of);
        if (external.isPresent()) {
            read(external.get(), external.get().toString());
        }
        read(root.resolve(WAR_CONTEXT_XML), war + "!/" + WAR_CONTEXT_XML);
        config.databaseUrl().ifPresent(this::bindPlatformDatabase);
    }

    private static DataSourceDefinition fromSettings(String name, BerthConfig.DataSource settings) {
        DatabaseUrl url = DatabaseUrl.parse(settings.url(), settings.username(), settings.password());
        return new DataSourceDefinition("jdbc/" + name, url, Optional.empty(), OptionalInt.of(settings.poolSize()), OptionalInt.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty(), Map.of());
    }

    /** A context.xml's entries, except the DataSources a setting (or a file read before) already names. */
    private void read(Path file, String origin) throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        TomcatContextXml xml;
        try (InputStream in = Files.newInputStream(file)) {
            xml = TomcatContextXml.read(in, origin, placeholders, warning -> LOG.warn("{}", warning));
        }
        for (DataSourceDefinition definition : xml.dataSources()) {
            if (dataSources.putIfAbsent(definition.name(), definition) != null) {
                LOG.info("{}: {} is already defined by a setting or berth.context-xml; this one is not used", origin, definition.name());
            }
        }
        environment.addAll(xml.environment());
        parameters.addAll(xml.parameters());
    }

    /** DATABASE_URL goes to the WAR's one DataSource resource-ref, when nothing else provides it. */
    private void bindPlatformDatabase(String url) {
        List<String> declared = refs.stream().filter(WebXmlResourceRefs.Ref::isDataSource).map(ref -> withoutPrefix(ref.name())).toList();
        List<String> missing = declared.stream().filter(ref -> !dataSources.containsKey(ref)).toList();
        if (declared.isEmpty() && dataSources.isEmpty() && config.sessions().store() != BerthConfig.SessionStore.JDBC) {
            LOG.info("{} declares no DataSource resource-ref, so berth.database-url (DATABASE_URL) is bound nowhere: if the WAR looks "
                    + "a DataSource up by name, set berth.datasource.NAME.url", war);
            return;
        }
        if (declared.size() != 1 || missing.isEmpty()) {
            if (!missing.isEmpty()) {
                LOG.warn("{} declares {} DataSource resource-refs ({}); DATABASE_URL is bound to none of them: name each with berth.datasource.NAME.url",
                        war, declared.size(), String.join(", ", declared));
            }
            return;
        }
        String ref = missing.get(0);
        try {
            DatabaseUrl database = DatabaseUrl.parse(url, Optional.empty(), Optional.empty());
            dataSources.put(ref, new DataSourceDefinition(ref, database, Optional.empty(), OptionalInt.empty(), OptionalInt.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty(), Map.of()));
            LOG.info("Binding berth.database-url ({}) at java:comp/env/{}, the one DataSource resource-ref {} declares", database, ref, war);
        } catch (IllegalArgumentException e) {
            LOG.warn("berth.database-url={} cannot be bound at java:comp/env/{}: {}", Secrets.mask(url), ref, e.getMessage());
        }
    }

    /**
     * A resource-ref nothing provides would fail the deployment in Jetty ("Nothing to bind"); Tomcat deploys
     * such a WAR and fails the lookup. Berth binds a stand-in that says what to set when the WAR uses it.
     */
    private void registerStandIns(WebAppContext context) throws NamingException {
        for (WebXmlResourceRefs.Ref ref : refs) {
            String name = withoutPrefix(ref.name());
            if (dataSources.containsKey(name) || environment.stream().anyMatch(e -> e.name().equals(name))) {
                continue;
            }
            LOG.warn("{} declares the resource-ref {} ({}), which nothing provides: {}", war, name, ref.type(), ref.isDataSource()
                    ? "set berth.datasource." + name.replaceFirst("^jdbc/", "") + ".url, or DATABASE_URL" : "Berth provides DataSources only");
            new Resource(context, name, ref.isDataSource() ? new MissingDataSource(name) : new MissingResource(name, ref.type()));
        }
    }

    private static String withoutPrefix(String name) {
        return name.startsWith("java:comp/env/") ? name.substring("java:comp/env/".length()) : name;
    }

    private void register(WebAppContext context, BackingServices backing) {
        List<String> names = new ArrayList<>();
        List<HikariDataSource> pools = new ArrayList<>();
        List<BackingService> services = new ArrayList<>();
        try {
            for (DataSourceDefinition definition : dataSources.values()) {
                HikariDataSource pool = backing.own(newPool(definition, context.getClassLoader()));
                BackingService service = new BackingService("datasource-" + definition.name() + qualifier, ConnectionPools.probe(pool),
                        config.startup().awaitDatasources());
                backing.add(service);
                pools.add(pool);
                services.add(service);
                new Resource(context, definition.name(), pool);
                names.add(definition.name());
                LOG.info("{} at java:comp/env/{} ({} connections at most)", definition, definition.name(), pool.getMaximumPoolSize());
            }
            for (EnvironmentEntry entry : environment) {
                new EnvEntry(context, entry.name(), entry.value(), entry.webXmlMayOverride());
            }
            registerStandIns(context);
        } catch (NamingException e) {
            throw new IllegalStateException("cannot register " + war + "'s container resources in JNDI: " + e, e);
        }
        parameters.forEach(parameter -> context.setInitParameter(parameter.name(), parameter.value()));
        context.addConfiguration(new BoundResources(names));
        closeWhenStopped(context, backing, pools, services);
    }

    /**
     * The pools close once the context has stopped, after its contextDestroyed (on Berth's stop, and after a
     * failed deployment, so no connection outlives the application that opened it); their checks leave readiness.
     */
    private static void closeWhenStopped(WebAppContext context, BackingServices backing, List<HikariDataSource> pools,
                                         List<BackingService> services) {
        context.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStopped(LifeCycle event) {
                services.forEach(backing::remove);
                pools.forEach(HikariDataSource::close);
            }
        });
    }

    /** HikariCP takes the name of the java.sql.Connection constant. */
    private static String isolation(int level) {
        return switch (level) {
            case Connection.TRANSACTION_NONE -> "TRANSACTION_NONE";
            case Connection.TRANSACTION_READ_UNCOMMITTED -> "TRANSACTION_READ_UNCOMMITTED";
            case Connection.TRANSACTION_READ_COMMITTED -> "TRANSACTION_READ_COMMITTED";
            case Connection.TRANSACTION_REPEATABLE_READ -> "TRANSACTION_REPEATABLE_READ";
            default -> "TRANSACTION_SERIALIZABLE";
        };
    }

    /** A HikariCP pool as the definition says; its driver class, if named, may come from the WAR. */
    private HikariDataSource newPool(DataSourceDefinition definition, ClassLoader loader) {
        HikariConfig pool = ConnectionPools.config("berth-" + definition.name() + qualifier, definition.url(),
                definition.maxPoolSize().orElse(DEFAULT_POOL_SIZE));
        definition.driverClassName().ifPresent(pool::setDriverClassName);
        definition.minIdle().ifPresent(min -> pool.setMinimumIdle(Math.min(min, pool.getMaximumPoolSize())));
        definition.connectionTimeout().ifPresent(wait -> pool.setConnectionTimeout(Math.max(250, wait.toMillis())));
        definition.validationQuery().ifPresent(pool::setConnectionTestQuery);
        definition.autoCommit().ifPresent(pool::setAutoCommit);
        definition.readOnly().ifPresent(pool::setReadOnly);
        definition.transactionIsolation().ifPresent(level -> pool.setTransactionIsolation(isolation(level)));
        definition.connectionProperties().forEach(pool::addDataSourceProperty);
        return ContextClassLoader.with(loader, () -> new HikariDataSource(pool));
    }
}
