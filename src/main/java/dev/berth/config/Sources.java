package dev.berth.config;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.common.MapBackedConfigSource;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Map;

/**
 * The configuration sources in the contract's order, and how each names a property in messages: a flag
 * reads {@code --port}, an environment variable {@code BERTH_PORT}, a file {@code berth.port}.
 */
final class Sources {

    static final String FLAGS = "command line";
    static final String SYSTEM_PROPERTIES = "system property";
    static final String PLATFORM_PORT = "environment variable PORT";
    static final String DEFAULTS = "default";
    static final String PLATFORM_PREFIX = "platform detection (";

    static final int FLAGS_ORDINAL = 600;
    static final int SYSTEM_PROPERTIES_ORDINAL = 400;
    static final int ENV_ORDINAL = 300;
    static final int CONFIG_FILE_ORDINAL = 275;
    static final int WORKING_DIR_FILE_ORDINAL = 250;
    /** Below every file, so any explicit berth.port wins over the platform's PORT. */
    static final int PLATFORM_PORT_ORDINAL = 10;

    private Sources() {
    }

    static ConfigSource flags(Map<String, String> properties) {
        return new Named(FLAGS, properties, FLAGS_ORDINAL);
    }

    static ConfigSource systemProperties(Map<String, String> properties) {
        return new Named(SYSTEM_PROPERTIES, properties, SYSTEM_PROPERTIES_ORDINAL);
    }

    static ConfigSource environment(Map<String, String> variables) {
        return new EnvConfigSource(variables, ENV_ORDINAL);
    }

    static ConfigSource file(Map<String, String> properties, String path, int ordinal) {
        return new Named("file " + path, properties, ordinal);
    }

    /** berth.proxy.forwarded=true because a platform's variable is set; as low as PORT. */
    static ConfigSource platformProxy(String variable) {
        return new Named(PLATFORM_PREFIX + variable + " is set)", Map.of("berth.proxy.forwarded", "true"), PLATFORM_PORT_ORDINAL);
    }

    static ConfigSource platformPort(String value) {
        return new Named(PLATFORM_PORT, Map.of("berth.port", value), PLATFORM_PORT_ORDINAL);
    }

    /** Where a value came from: "command line", "environment variable BERTH_PORT", "file x", "default". */
    static String describe(String property, String sourceName) {
        if (sourceName == null) {
            return DEFAULTS;
        }
        if (sourceName.equals(FLAGS) || sourceName.equals(SYSTEM_PROPERTIES)) {
            return sourceName;
        }
        if (sourceName.startsWith(EnvConfigSource.NAME)) {
            return "environment variable " + Catalog.envName(property);
        }
        if (sourceName.equals(PLATFORM_PORT)) {
            return PLATFORM_PORT;
        }
        if (sourceName.startsWith("file ") || sourceName.startsWith(PLATFORM_PREFIX)) {
            return sourceName;
        }
        return DEFAULTS;
    }

    /** The key as the user wrote it in that source, for "KEY=VALUE from SOURCE" messages. */
    static String keyAsWritten(String property, String sourceName) {
        if (sourceName == null) {
            return property;
        }
        if (sourceName.equals(FLAGS)) {
            return "--" + property.substring(Catalog.PREFIX.length());
        }
        if (sourceName.startsWith(EnvConfigSource.NAME)) {
            return Catalog.envName(property);
        }
        if (sourceName.equals(PLATFORM_PORT)) {
            return "PORT";
        }
        return property;
    }

    /** A map of properties under the exact name messages show (SmallRye's own sources decorate theirs). */
    private static final class Named extends MapBackedConfigSource {
        private static final long serialVersionUID = 1L;

        Named(String name, Map<String, String> properties, int ordinal) {
            super(name, properties, ordinal);
        }
    }
}
