package dev.berth.config;

import dev.berth.base.BerthException;
import dev.berth.base.ExitCode;

import io.smallrye.config.ConfigValue;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.MapBackedConfigValueConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.common.MapBackedConfigSource;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The kinds of configuration source, highest first. Each kind has an ordinal of its own, so the ordinal a
 * {@link ConfigValue} carries says where a value came from; messages name the key as the user wrote it
 * there ({@code --port}, {@code BERTH_PORT}, {@code berth.port}) and the place ("file x, line 3").
 */
enum Source {
    COMMAND_LINE(600),
    SYSTEM_PROPERTY(400),
    ENVIRONMENT(300),
    CONFIG_FILE(275),
    WORKING_DIR_FILE(250),
    /** The platform's PORT, DATABASE_URL, REDIS_URL: below every file, so any explicit setting wins. */
    PLATFORM_VARIABLE(20),
    /** The defaults a detected platform implies: forwarding and its headers, the grace period, a timeout that fits it. */
    PLATFORM_DETECTION(10),
    DEFAULT(Integer.MIN_VALUE);

    private final int ordinal;

    Source(int ordinal) {
        this.ordinal = ordinal;
    }

    static Source of(int ordinal) {
        return Arrays.stream(values()).filter(s -> s.ordinal == ordinal).findFirst().orElse(DEFAULT);
    }

    static Source of(ConfigValue value) {
        return value.getRawValue() == null ? DEFAULT : of(value.getSourceOrdinal());
    }

    /** A source of this kind holding {@code properties}; {@code name} is what messages call it. */
    ConfigSource with(String name, Map<String, String> properties) {
        return this == ENVIRONMENT ? new EnvConfigSource(properties, ordinal) : new Named(name, properties, ordinal);
    }

    /** A properties file read by SmallRye, so each value knows its line; values are stripped like flags'. */
    ConfigSource file(Path path, String name, String givenAs) throws BerthException {
        Map<String, ConfigValue> values = new HashMap<>();
        try {
            PropertiesConfigSource.urlToConfigValueMap(path.toUri().toURL(), name, ordinal)
                    .forEach((key, value) -> values.put(key, value.withValue(value.getValue().strip())));
        } catch (IOException | IllegalArgumentException e) {
            String why = e instanceof NoSuchFileException || e instanceof java.io.FileNotFoundException ? "no such file" : e.getMessage();
            throw new BerthException(ExitCode.USAGE, "cannot read the configuration file " + path + " (" + givenAs + "): " + why,
                    "check the path, or leave the option out");
        }
        return new NamedFile(name, values, ordinal);
    }

    /** Where a value came from: "command line", "environment variable BERTH_PORT", "file x, line 3", "default". */
    static String describe(ConfigValue value) {
        return switch (of(value)) {
            case COMMAND_LINE -> "command line";
            case SYSTEM_PROPERTY -> "system property";
            case ENVIRONMENT -> "environment variable " + Catalog.envName(value.getName());
            case CONFIG_FILE, WORKING_DIR_FILE -> "file " + value.getSourceName()
                    + (value.getLineNumber() > 0 ? ", line " + value.getLineNumber() : "");
            case PLATFORM_VARIABLE, PLATFORM_DETECTION -> value.getSourceName();
            case DEFAULT -> "default";
        };
    }

    /** The key as the user wrote it in its source, for "KEY=VALUE from SOURCE" messages. */
    static String keyAsWritten(ConfigValue value) {
        String property = value.getName();
        return switch (of(value)) {
            case COMMAND_LINE -> "--" + property.substring(Catalog.PREFIX.length());
            case ENVIRONMENT -> Catalog.envName(property);
            case PLATFORM_VARIABLE -> value.getSourceName().substring(value.getSourceName().lastIndexOf(' ') + 1);
            default -> property;
        };
    }

    /** A map of properties under the exact name messages show (SmallRye's own sources decorate theirs). */
    private static final class Named extends MapBackedConfigSource {
        private static final long serialVersionUID = 1L;

        Named(String name, Map<String, String> properties, int ordinal) {
            super(name, properties, ordinal);
        }
    }

    private static final class NamedFile extends MapBackedConfigValueConfigSource {
        private static final long serialVersionUID = 1L;

        NamedFile(String name, Map<String, ConfigValue> values, int ordinal) {
            super(name, values, ordinal);
        }
    }
}
