package dev.berth.config;

import dev.berth.base.BerthException;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Berth's configuration once, from the contract's sources in the contract's order: flags, system
 * properties, environment variables, {@code --config=FILE}, {@code config/berth.properties} in the working
 * directory, the platform's variables ({@code PORT}, {@code DATABASE_URL}, {@code REDIS_URL}), then the defaults on {@link BerthConfig}. The result is a private
 * {@link SmallRyeConfig}: it is never registered as the JVM's MicroProfile Config, which belongs to the WAR.
 */
public final class ConfigLoader {

    static final String WORKING_DIR_FILE = "config/berth.properties";

    /**
     * The variables platforms set, and the property each fills when nothing else sets it. A URL only fills
     * its setting: the session store is never chosen because a variable happens to exist.
     */
    static final List<String[]> PLATFORM_VARIABLES = List.of(
            new String[] {"PORT", "berth.port"},
            new String[] {"DATABASE_URL", "berth.database-url"},
            new String[] {"DATABASE_URL", "berth.sessions.jdbc.url"},
            new String[] {"REDIS_URL", "berth.sessions.redis.url"});

    private ConfigLoader() {
    }

    private static final String GRACE = "berth.shutdown.grace";
    private static final String TIMEOUT = "berth.shutdown.timeout";
    private static final String LOG_FORMAT = "berth.log.format";

    /** Configuration for a run of the launcher. */
    public static LoadedConfig load(CommandLine commandLine, Environment environment) throws BerthException {
        List<ConfigSource> sources = sources(commandLine, environment);
        Optional<Platform> platform = Platform.detect(environment.variables());
        if (platform.isEmpty()) {
            return load(sources);
        }
        String detected = "platform detection (" + platform.get().variable + " is set)";
        LoadedConfig loaded = load(with(sources, Source.PLATFORM_DETECTION.with(detected, platform.get().defaults())));
        Optional<Duration> fitted = fittedTimeout(loaded);
        if (fitted.isEmpty()) {
            return loaded;
        }
        Map<String, String> defaults = new HashMap<>(platform.get().defaults());
        defaults.put(TIMEOUT, fitted.get().toMillis() + "ms");
        return load(with(sources, Source.PLATFORM_DETECTION.with(detected, defaults)));
    }

    /**
     * The log format the sources ask for, read without mapping or validating the rest, so that a run ending on a bad
     * setting still reports in JSON when JSON was asked for. Text when the sources cannot be read or say nothing.
     */
    public static BerthConfig.LogFormat logFormat(CommandLine commandLine, Environment environment) {
        try {
            String format = new SmallRyeConfigBuilder().withSources(sources(commandLine, environment, true)).build().getRawValue(LOG_FORMAT);
            return format != null && format.trim().equalsIgnoreCase("json") ? BerthConfig.LogFormat.JSON : BerthConfig.LogFormat.TEXT;
        } catch (BerthException | RuntimeException e) {
            return BerthConfig.LogFormat.TEXT;
        }
    }

    private static List<ConfigSource> sources(CommandLine commandLine, Environment environment) throws BerthException {
        return sources(commandLine, environment, false);
    }

    /** The sources, highest first; {@code lenient} leaves out a --config file that cannot be read instead of failing. */
    private static List<ConfigSource> sources(CommandLine commandLine, Environment environment, boolean lenient) throws BerthException {
        List<ConfigSource> sources = new ArrayList<>();
        sources.add(Source.COMMAND_LINE.with("command line", commandLine.properties()));
        sources.add(Source.SYSTEM_PROPERTY.with("system properties", startingWith(Catalog.PREFIX, environment.systemProperties())));
        sources.add(Source.ENVIRONMENT.with("environment", startingWith(Validation.ENV_PREFIX, environment.variables())));
        if (commandLine.configFile().isPresent()) {
            String given = commandLine.configFile().get();
            Path file = environment.workingDirectory().resolve(given);
            if (!lenient || Files.isReadable(file)) {
                sources.add(Source.CONFIG_FILE.file(file, file.toString(), "--config=" + given));
            }
        }
        Path local = environment.workingDirectory().resolve(WORKING_DIR_FILE);
        if (Files.isRegularFile(local)) {
            sources.add(Source.WORKING_DIR_FILE.file(local, WORKING_DIR_FILE, WORKING_DIR_FILE));
        }
        for (String[] fill : PLATFORM_VARIABLES) {
            String value = environment.variables().get(fill[0]);
            if (value != null && !value.isBlank()) {
                sources.add(Source.PLATFORM_VARIABLE.with("environment variable " + fill[0], Map.of(fill[1], value)));
            }
        }
        return sources;
    }

    /**
     * A drain timeout that fits the platform's grace period, when both come from Berth's defaults and the
     * default timeout would not fit: a stop past the grace period ends in SIGKILL, with nothing drained and
     * files left behind. A timeout or grace period set by the user is left as it is (Berth warns at start).
     */
    private static Optional<Duration> fittedTimeout(LoadedConfig loaded) {
        BerthConfig.Shutdown shutdown = loaded.config().shutdown();
        if (shutdown.grace().isEmpty() || loaded.source(GRACE) != Source.PLATFORM_DETECTION || loaded.source(TIMEOUT) != Source.DEFAULT) {
            return Optional.empty();
        }
        Duration fits = shutdown.grace().get().minus(shutdown.delay()).minus(BerthConfig.Shutdown.STOP_MARGIN);
        if (fits.compareTo(shutdown.timeout()) >= 0) {
            return Optional.empty();
        }
        return Optional.of(fits.isNegative() ? Duration.ZERO : fits);
    }

    private static List<ConfigSource> with(List<ConfigSource> sources, ConfigSource more) {
        List<ConfigSource> all = new ArrayList<>(sources);
        all.add(more);
        return all;
    }

    /** Configuration from properties alone, with Berth's defaults: for tests and programs embedding Berth. */
    public static BerthConfig fromMap(Map<String, String> properties) throws BerthException {
        return load(List.of(Source.COMMAND_LINE.with("properties", properties))).config();
    }

    private static LoadedConfig load(List<ConfigSource> sources) throws BerthException {
        Map<String, String> defaults = new HashMap<>();
        // a map's defaults apply to each of its keys: SmallRye's defaults take berth.datasource.*.pool-size
        Catalog.get().entries().forEach(e -> e.defaultValue().ifPresent(v -> defaults.put(e.name().replace(Catalog.KEY, "*"), v)));
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(sources)
                .withDefaultValues(defaults)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(Boolean.class, 200, new StrictBooleanConverter())
                .build();
        return new LoadedConfig(Validation.validated(config), config);
    }

    private static Map<String, String> startingWith(String prefix, Map<String, String> properties) {
        Map<String, String> berth = new HashMap<>();
        properties.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                berth.put(k, v);
            }
        });
        return berth;
    }
}
