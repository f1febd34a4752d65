package dev.berth.config;

import dev.berth.base.BerthException;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of Berth, read once at start from the sources {@link ConfigLoader} assembles.
 * Property names are these methods' names in kebab case under {@code berth.}; nested groups add a dot.
 */
@ConfigMapping(prefix = "berth")
public interface BerthConfig {

    @Doc(value = "first candidate port", defaultText = "value of PORT")
    Optional<@WithConverter(PortList.PortConverter.class) Integer> port();

    @Doc("further candidate ports in order; ranges like 9000-9009 allowed")
    @WithDefault("8080,8000")
    @WithConverter(PortList.Converter.class)
    PortList fallbackPorts();

    @Doc("address to bind")
    @WithDefault("0.0.0.0")
    String host();

    Bind bind();

    @Doc("WAR file or exploded directory (the positional argument); several, each at its context path, as /shop=shop.war,/api=api.war")
    Optional<String> war();

    @Doc("context path of the application")
    @WithDefault("/")
    @WithConverter(ContextPathConverter.class)
    String contextPath();

    Health health();

    Management management();

    Metrics metrics();

    Migrate migrate();

    Startup startup();

    Deploy deploy();

    Login login();

    @Doc(value = "Berth's folder for what a run unpacks and compiles, private to this user; folders of dead runs are removed at start",
            defaultText = "berth-USER under the JVM's temporary directory")
    Optional<String> workDir();

    @Doc("write the process id here")
    Optional<String> pidFile();

    @Doc("write the bound port here")
    Optional<String> portFile();

    @Doc("also listen on this unix-domain socket file")
    Optional<String> unixSocket();

    @Doc("permissions of the unix-domain socket file (octal)")
    @WithDefault("0660")
    @WithConverter(FileMode.OctalConverter.class)
    FileMode unixSocketMode();

    Shutdown shutdown();

    Proxy proxy();

    AccessLog accessLog();

    Log log();

    @Doc("list the files of a directory that has no welcome file (off: such a directory is 403)")
    @WithDefault("false")
    boolean dirListing();

    @Doc("gzip text responses of the application (never health, never already-compressed types)")
    @WithDefault("true")
    boolean compression();

    BasicAuth basicAuth();

    Http http();

    Threads threads();

    Sessions sessions();

    @Doc(value = "the platform's database: bound at the WAR's one DataSource resource-ref when no berth.datasource names it",
            defaultText = "value of DATABASE_URL")
    Optional<String> databaseUrl();

    Map<String, DataSource> datasource();

    @Doc("a Tomcat context.xml whose Resource, Environment and Parameter entries apply besides the WAR's META-INF/context.xml")
    Optional<String> contextXml();

    @Doc("jar files or folders (separated by the path separator) whose classes the WAR and its DataSources see, such as a JDBC driver")
    Optional<String> classpath();

    /** {@code berth.datasource.NAME}: a pooled DataSource at java:comp/env/jdbc/NAME. */
    interface DataSource {
        /** Small, for the few connections small database plans allow; also the size of a context.xml pool without one. */
        String DEFAULT_POOL_SIZE = "4";

        @Doc("JDBC URL, or postgres://user:password@host:port/db, of a DataSource at java:comp/env/jdbc/NAME")
        String url();

        @Doc(value = "database user", defaultText = "the URL's")
        Optional<String> username();

        @Doc(value = "database password; never printed", defaultText = "the URL's")
        Optional<String> password();

        @Doc("most connections of the pool")
        @WithDefault(DEFAULT_POOL_SIZE)
        @WithConverter(Counts.AtLeastOne.class)
        int poolSize();
    }

    /** How each candidate port is tried. */
    interface Bind {
        @Doc("tries per candidate before moving on")
        @WithDefault("3")
        @WithConverter(Counts.AtLeastOne.class)
        int attempts();

        @Doc("wait before the first retry, doubling after each")
        @WithDefault("250ms")
        Duration backoff();
    }

    /** Java EE 8 (javax) WARs. */
    interface Migrate {
        @Doc("auto: a WAR whose code references javax.servlet is converted to Jakarta before it deploys; off: never")
        @WithParentName
        @WithDefault("auto")
        MigrateMode mode();

        @Doc(value = "where converted WARs are kept, by SHA-256, so a restart does not convert again",
                defaultText = "migrated in berth.work-dir")
        Optional<String> cacheDir();
    }

    /** {@code berth.migrate}. */
    enum MigrateMode {
        AUTO, OFF
    }

    /** Where the health endpoints live. */
    interface Health {
        @Doc("base of the health endpoints; empty disables them")
        @WithDefault("/health")
        @WithConverter(EndpointPathConverter.Health.class)
        String path();

        @Doc("what the health JSON tells: never (each check's name and state) or always (with each check's data: "
                + "phase, port, what failed, which may name hosts)")
        @WithDefault("never")
        HealthDetails details();
    }

    /** Berth's endpoints on a port of their own, for probes and scrapes that should not cross the public port. */
    interface Management {
        @Doc(value = "also serve Berth's endpoints (health, with every check's data) on this port, on threads of their own; "
                + "the main port keeps health for platforms that probe it", defaultText = "none")
        Optional<@WithConverter(PortList.PortConverter.class) Integer> port();
    }

    /** Prometheus/OpenMetrics metrics, scraped or pushed over OTLP. */
    interface Metrics {
        @Doc("serve Prometheus/OpenMetrics metrics of Jetty, the JVM, the pools, the session store and Berth at "
                + "berth.metrics.path (and on berth.management.port)")
        @WithDefault("false")
        boolean enabled();

        @Doc("where metrics are served")
        @WithDefault("/metrics")
        @WithConverter(EndpointPathConverter.Metrics.class)
        String path();

        Otlp otlp();

        /** Pushing to an OpenTelemetry collector or a hosted backend, for platforms that do not scrape. */
        interface Otlp {
            @Doc(value = "push metrics to this OTLP/HTTP endpoint (for example https://otlp.example.com/v1/metrics), "
                    + "whether or not berth.metrics.enabled serves them", defaultText = "none")
            Optional<String> url();

            @Doc(value = "headers of each push, NAME=VALUE,NAME=VALUE (an API key); never printed",
                    defaultText = "OTEL_EXPORTER_OTLP_HEADERS", secret = true)
            Optional<String> headers();

            @Doc("how often metrics are pushed")
            @WithDefault("60s")
            Duration interval();
        }
    }

    /** What happens while the application deploys. */
    interface Startup {
        @Doc("how long an application request that arrives during deployment waits for the app")
        @WithDefault("30s")
        Duration hold();

        @Doc("most application requests held during deployment; beyond it, 503 at once")
        @WithDefault("1000")
        @WithConverter(Counts.AtLeastZero.class)
        int maxHeld();

        @Doc("deploy the WAR only once its DataSources answer (false: at once; readiness still reports them)")
        @WithDefault("true")
        boolean awaitDatasources();
    }

    /** What a failed deployment means. */
    interface Deploy {
        @Doc("when the WAR fails to deploy: exit (code 70) or stay (serve 503, health DOWN, for inspection)")
        @WithDefault("exit")
        OnFailure onFailure();

        @Doc("most entries a WAR file may have (a zip reader keeps every entry in memory; beyond it, exit 66 before anything loads)")
        @WithDefault("100000")
        @WithConverter(Counts.AtLeastOne.class)
        int maxEntries();

        @Doc("largest central directory (the table of entries) of a WAR file, in MiB; beyond it, exit 66 before anything loads")
        @WithDefault("32")
        @WithConverter(Counts.AtLeastOne.class)
        int maxDirectoryMib();
    }

    /** Users for WARs that declare a login-config. */
    interface Login {
        @Doc("Jetty HashLoginService users file (user: password,role,...) for the WAR's login-config")
        Optional<String> usersFile();
    }

    /** Running behind a platform's TLS-terminating proxy. */
    interface Proxy {
        @Doc(value = "honour forwarding headers (berth.proxy.headers) (only behind a proxy: clients could forge them)",
                defaultText = "true on Render, Heroku, Fly.io, Railway, Kubernetes; else false")
        Optional<Boolean> forwarded();

        @Doc(value = "the forwarding headers to believe, comma-separated: those the platform's proxy writes (any other is removed "
                + "from the request)", defaultText = "the platform's (docs/platforms.md); else X-Forwarded-For,X-Forwarded-Proto,X-Forwarded-Port,"
                + "X-Forwarded-Host")
        @WithDefault(ProxyHeaders.GENERIC)
        @WithConverter(ProxyHeaders.Converter.class)
        ProxyHeaders headers();

        @Doc("proxies in front of Berth that append to X-Forwarded-For; the client is the address the farthest of them saw")
        @WithDefault("1")
        @WithConverter(Counts.AtLeastOne.class)
        int trustedHops();

        @Doc("host names X-Forwarded-Host and Forwarded host= may name, comma-separated; unset, those headers are ignored")
        Optional<String> host();
    }

    /** One line per request on standard output. */
    interface AccessLog {
        @Doc("access log on stdout: off, text, json or combined (NCSA combined, with referer and user agent)")
        @WithParentName
        @WithDefault("text")
        AccessLogFormat format();

        @Doc("also log health-check requests")
        @WithDefault("false")
        boolean health();
    }

    /** Berth's own log lines. */
    interface Log {
        @Doc("Berth's and Jetty's log lines on stderr: text or json (one object per line)")
        @WithDefault("text")
        LogFormat format();
    }

    /** Staging protection for the whole application. */
    interface BasicAuth {
        @Doc("HTTP Basic user in front of the whole application (health stays open)")
        Optional<String> user();

        @Doc("HTTP Basic password; never printed")
        Optional<String> password();
    }

    /** HTTP limits and timeouts. */
    interface Http {
        @Doc("also speak HTTP/2 over cleartext (h2c) on the TCP port, to a client that starts with HTTP/2's preface or "
                + "asks to upgrade (Fly.io's h2_backend, Cloud Run, gRPC-web proxies); off by default, as the JDK's "
                + "HTTP client asks to upgrade unless told not to")
        @WithDefault("false")
        boolean h2c();

        @Doc("close a connection idle this long")
        @WithDefault("30s")
        Duration idleTimeout();

        @Doc("fail a request whose body the application reads as a stream slower than this many bytes per second on average "
                + "(408); 0 turns it off")
        @WithDefault("1024")
        @WithConverter(Counts.AtLeastZero.class)
        int minRequestDataRate();

        @Doc("largest request header block in bytes")
        @WithDefault("8192")
        @WithConverter(Counts.AtLeastOne.class)
        int requestHeaderSize();

        @Doc("largest form body (application/x-www-form-urlencoded) in bytes")
        @WithDefault("200000")
        @WithConverter(Counts.AtLeastOne.class)
        int formMaxSize();

        @Doc("most keys in one form")
        @WithDefault("1000")
        @WithConverter(Counts.AtLeastOne.class)
        int formMaxKeys();

        @Doc("most parameters in one query string; more is 400")
        @WithDefault("1000")
        @WithConverter(Counts.AtLeastOne.class)
        int queryMaxKeys();

        @Doc("connections the kernel queues for Berth to accept (listen backlog; the kernel caps it at net.core.somaxconn)")
        @WithDefault("4096")
        @WithConverter(Counts.AtLeastOne.class)
        int acceptQueue();
    }

    /** The request thread pool. */
    interface Threads {
        @Doc("most request threads (sized for small platform instances)")
        @WithDefault("64")
        @WithConverter(Counts.AtLeastOne.class)
        int max();

        @Doc("threads kept when idle")
        @WithDefault("4")
        @WithConverter(Counts.AtLeastOne.class)
        int min();
    }

    /** Where HTTP sessions live, and their cookie. */
    interface Sessions {
        @Doc("where HTTP sessions live: memory (this instance only), file (survives a restart), jdbc or redis (shared by instances)")
        @WithDefault("memory")
        SessionStore store();

        @Doc(value = "session timeout", defaultText = "the WAR's web.xml, else 30m")
        Optional<Duration> timeout();

        @Doc(value = "name of the session cookie", defaultText = "the WAR's web.xml, else JSESSIONID")
        Optional<String> cookieName();

        @Doc("SameSite attribute of the session cookie, unless the WAR's web.xml sets one: lax, strict or none")
        @WithDefault("lax")
        SameSite sameSite();

        @Doc("write back a session whose attributes did not change (to renew its expiry) at most this often, "
                + "and at least every quarter of its timeout (for the file store, of berth.sessions.timeout)")
        @WithDefault("60s")
        Duration savePeriod();

        File file();

        Jdbc jdbc();

        Redis redis();

        /** {@code berth.sessions.store=file}. */
        interface File {
            @Doc("folder of the file session store (created when missing)")
            Optional<String> dir();
        }

        /** {@code berth.sessions.store=jdbc}: Jetty's JDBC session store. */
        interface Jdbc {
            @Doc(value = "JDBC URL, or postgres://user:password@host:port/db", defaultText = "value of DATABASE_URL")
            Optional<String> url();

            @Doc(value = "database user", defaultText = "the URL's")
            Optional<String> username();

            @Doc(value = "database password; never printed", defaultText = "the URL's")
            Optional<String> password();

            @Doc("most connections the session store opens")
            @WithDefault("4")
            @WithConverter(Counts.AtLeastOne.class)
            int poolSize();

            @Doc("table of the sessions (created on first use)")
            @WithDefault("berth_sessions")
            String table();
        }

        /** {@code berth.sessions.store=redis}: Redis or Valkey. */
        interface Redis {
            /** A few more than a database pool: a Redis command is one short round trip. */
            String DEFAULT_POOL_SIZE = "8";

            @Doc(value = "redis://[:password@]host:port[/db], or rediss:// for TLS", defaultText = "value of REDIS_URL")
            Optional<String> url();

            @Doc("most connections the session store opens")
            @WithDefault(DEFAULT_POOL_SIZE)
            @WithConverter(Counts.AtLeastOne.class)
            int poolSize();
        }
    }

    /**
     * {@code berth.sessions.store}. Each store checks the settings it needs before anything is bound; the store itself
     * is made by its {@code SessionStoreType} in {@code dev.berth.sessions}. A new store is a constant here, a type
     * there, and a line in the documentation: the compiler asks for each.
     */
    enum SessionStore {
        /** Jetty's default: this instance's memory. */
        MEMORY {
            @Override
            void check(Sessions settings, SettingChecks checks) {
                // nothing to reach
            }
        },
        /** Jetty's file store, written atomically. */
        FILE {
            @Override
            void check(Sessions settings, SettingChecks checks) throws BerthException {
                checks.require(this, settings.file().dir(), "berth.sessions.file.dir", "a folder on a persistent disk");
            }
        },
        /** Jetty's JDBC store on a pool of Berth's. */
        JDBC {
            @Override
            void check(Sessions settings, SettingChecks checks) throws BerthException {
                String property = "berth.sessions.jdbc.url";
                checks.databaseUrl(property, checks.require(this, settings.jdbc().url(), property, "a database URL (or DATABASE_URL)"));
            }
        },
        /** Berth's Redis store. */
        REDIS {
            @Override
            void check(Sessions settings, SettingChecks checks) throws BerthException {
                String property = "berth.sessions.redis.url";
                checks.redisUrl(property, checks.require(this, settings.redis().url(), property, "a redis:// or rediss:// URL (or REDIS_URL)"));
            }
        };

        abstract void check(Sessions settings, SettingChecks checks) throws BerthException;
    }

    /** {@code berth.health.details}. */
    enum HealthDetails {
        NEVER, ALWAYS
    }

    /** The session cookie's SameSite attribute. */
    enum SameSite {
        LAX, STRICT, NONE
    }

    /** Formats of the access log. */
    enum AccessLogFormat {
        OFF, TEXT, JSON, COMBINED
    }

    /** Formats of Berth's log. */
    enum LogFormat {
        TEXT, JSON
    }

    /** {@code berth.deploy.on-failure}. */
    enum OnFailure {
        EXIT, STAY
    }

    /** How Berth stops. */
    interface Shutdown {
        /** The most a stop may run past delay + timeout: the application's stop when the drain used all the time. */
        Duration STOP_MARGIN = Duration.ofMillis(500);

        @Doc(value = "how long to let in-flight requests finish on stop",
                defaultText = "25s; on a platform whose grace period is shorter, what fits in it (4.5s on Fly.io)")
        @WithDefault("25s")
        Duration timeout();

        @Doc("after readiness turns DOWN on stop, keep accepting this long so load balancers notice")
        @WithDefault("0s")
        Duration delay();

        @Doc(value = "the platform's time from SIGTERM to SIGKILL; Berth warns at start when delay + timeout + 0.5 s does not fit",
                defaultText = "30s on Render, Heroku and Kubernetes, 5s on Fly.io; else none")
        Optional<Duration> grace();
    }
}
