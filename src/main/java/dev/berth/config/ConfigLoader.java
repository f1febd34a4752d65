package dev.berth.config;

import dev.berth.BerthException;
import dev.berth.ExitCode;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads Berth's configuration once, from the contract's sources in the contract's order: flags, system
 * properties, environment variables, {@code --config=FILE}, {@code config/berth.properties} in the working
 * directory, the platform's {@code PORT}, then the defaults on {@link BerthConfig}. The result is a private
 * {@link SmallRyeConfig}: it is never registered as the JVM's MicroProfile Config, which belongs to the WAR.
 */
public final class ConfigLoader {

    static final String WORKING_DIR_FILE = "config/berth.properties";

    /** Variables that mark a platform whose proxy terminates TLS and sets X-Forwarded-* (Render, Heroku, ...). */
    static final List<String> PROXY_PLATFORMS = List.of("RENDER", "DYNO", "FLY_APP_NAME", "RAILWAY_ENVIRONMENT", "KUBERNETES_SERVICE_HOST");

    private ConfigLoader() {
    }

    /** Configuration for a run of the launcher. */
    public static LoadedConfig load(CommandLine commandLine, Environment environment) throws BerthException {
        List<ConfigSource> sources = new ArrayList<>();
        sources.add(Sources.flags(commandLine.properties()));
        sources.add(Sources.systemProperties(onlyBerth(environment.systemProperties())));
        sources.add(Sources.environment(onlyBerthVariables(environment.variables())));
        if (commandLine.configFile().isPresent()) {
            Path file = environment.workingDirectory().resolve(commandLine.configFile().get());
            sources.add(Sources.file(readProperties(file, "--config=" + commandLine.configFile().get()),
                    file.toString(), Sources.CONFIG_FILE_ORDINAL));
        }
        Path local = environment.workingDirectory().resolve(WORKING_DIR_FILE);
        if (Files.isRegularFile(local)) {
            sources.add(Sources.file(readProperties(local, WORKING_DIR_FILE), WORKING_DIR_FILE, Sources.WORKING_DIR_FILE_ORDINAL));
        }
        String platformPort = environment.variables().get("PORT");
        if (platformPort != null && !platformPort.isBlank()) {
            sources.add(Sources.platformPort(platformPort));
        }
        PROXY_PLATFORMS.stream().filter(environment.variables()::containsKey).findFirst()
                .ifPresent(variable -> sources.add(Sources.platformProxy(variable)));
        return load(sources);
    }

    /** Configuration from properties alone, with Berth's defaults: for tests and programs embedding Berth. */
    public static BerthConfig fromMap(Map<String, String> properties) throws BerthException {
        return load(List.of(Sources.flags(properties))).config();
    }

    static LoadedConfig load(List<ConfigSource> sources) throws BerthException {
        Catalog catalog = Catalog.get();
        SmallRyeConfig config;
        try {
            config = builder(sources).withMapping(Catalog.MAPPING).withValidateUnknown(false).build();
        } catch (ConfigValidationException e) {
            // SmallRye's messages do not say which source a bad value came from: find it ourselves.
            SmallRyeConfig plain = builder(sources).withDefaultValues(defaults(catalog)).build();
            Validation.checkValues(plain, catalog);
            throw new BerthException(ExitCode.USAGE, "invalid configuration: " + e.getProblem(0).getMessage(),
                    "--print-config shows every value and where it came from");
        }
        Validation.checkUnknownKeys(config, catalog);
        Validation.checkValues(config, catalog);
        BerthConfig mapped = config.getConfigMapping(BerthConfig.class);
        Validation.checkCombinations(mapped, config);
        Validation.checkSettings(mapped, config);
        return new LoadedConfig(mapped, config, catalog);
    }

    private static SmallRyeConfigBuilder builder(List<ConfigSource> sources) {
        return new SmallRyeConfigBuilder()
                .withSources(sources)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(Boolean.class, 200, new StrictBooleanConverter());
    }

    private static Map<String, String> defaults(Catalog catalog) {
        Map<String, String> defaults = new HashMap<>();
        catalog.entries().forEach(e -> e.defaultValue().ifPresent(v -> defaults.put(e.name(), v)));
        return defaults;
    }

    private static Map<String, String> onlyBerth(Map<String, String> properties) {
        Map<String, String> berth = new HashMap<>();
        properties.forEach((k, v) -> {
            if (k.startsWith(Catalog.PREFIX)) {
                berth.put(k, v);
            }
        });
        return berth;
    }

    private static Map<String, String> onlyBerthVariables(Map<String, String> variables) {
        Map<String, String> berth = new HashMap<>();
        variables.forEach((k, v) -> {
            if (k.startsWith(Validation.ENV_PREFIX)) {
                berth.put(k, v);
            }
        });
        return berth;
    }

    private static Map<String, String> readProperties(Path file, String givenAs) throws BerthException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new BerthException(ExitCode.USAGE, "cannot read the configuration file " + file + " (" + givenAs + "): "
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()),
                    "check the path, or leave the option out");
        }
        Map<String, String> map = new HashMap<>();
        properties.forEach((k, v) -> map.put(String.valueOf(k), String.valueOf(v).strip()));
        return map;
    }
}
