package dev.berth.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * Every setting of Berth, read once at start from the sources {@link ConfigLoader} assembles.
 * Property names are these methods' names in kebab case under {@code berth.}; nested groups add a dot.
 */
@ConfigMapping(prefix = "berth")
public interface BerthConfig {

    @Doc(value = "first candidate port", defaultText = "value of PORT")
    Optional<@WithConverter(PortConverter.class) Integer> port();

    @Doc("further candidate ports in order; ranges like 9000-9009 allowed")
    @WithDefault("8080,8000")
    @WithConverter(PortListConverter.class)
    PortList fallbackPorts();

    @Doc("address to bind")
    @WithDefault("0.0.0.0")
    String host();

    Bind bind();

    @Doc("WAR file or exploded directory (the positional argument)")
    Optional<String> war();

    @Doc("context path of the application")
    @WithDefault("/")
    @WithConverter(ContextPathConverter.class)
    String contextPath();

    Health health();

    Startup startup();

    Deploy deploy();

    Login login();

    @Doc("write the process id here")
    Optional<String> pidFile();

    @Doc("write the bound port here")
    Optional<String> portFile();

    @Doc("also listen on this unix-domain socket file")
    Optional<String> unixSocket();

    @Doc("permissions of the unix-domain socket file (octal)")
    @WithDefault("0660")
    @WithConverter(FileModeConverter.class)
    String unixSocketMode();

    Shutdown shutdown();

    /** How each candidate port is tried. */
    interface Bind {
        @Doc("tries per candidate before moving on")
        @WithDefault("3")
        @WithConverter(PositiveIntConverter.class)
        int attempts();

        @Doc("wait before the first retry, doubling after each")
        @WithDefault("250ms")
        Duration backoff();
    }

    /** Where the health endpoints live. */
    interface Health {
        @Doc("base of the health endpoints; empty disables them")
        @WithDefault("/health")
        @WithConverter(HealthPathConverter.class)
        String path();
    }

    /** What happens while the application deploys. */
    interface Startup {
        @Doc("how long an application request that arrives during deployment waits for the app")
        @WithDefault("30s")
        Duration hold();

        @Doc("most application requests held during deployment; beyond it, 503 at once")
        @WithDefault("1000")
        @WithConverter(NonNegativeIntConverter.class)
        int maxHeld();
    }

    /** What a failed deployment means. */
    interface Deploy {
        @Doc("when the WAR fails to deploy: exit (code 70) or stay (serve 503, health DOWN, for inspection)")
        @WithDefault("exit")
        OnFailure onFailure();
    }

    /** Users for WARs that declare a login-config. */
    interface Login {
        @Doc("Jetty HashLoginService users file (user: password,role,...) for the WAR's login-config")
        Optional<String> usersFile();
    }

    /** {@code berth.deploy.on-failure}. */
    enum OnFailure {
        EXIT, STAY
    }

    /** How Berth stops. */
    interface Shutdown {
        @Doc("how long to let in-flight requests finish on stop")
        @WithDefault("25s")
        Duration timeout();

        @Doc("after readiness turns DOWN on stop, keep accepting this long so load balancers notice")
        @WithDefault("0s")
        Duration delay();
    }
}
