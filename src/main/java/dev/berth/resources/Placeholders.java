package dev.berth.resources;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.util.Map;
import java.util.Optional;

/**
 * Where the {@code ${NAME}} placeholders of a {@code context.xml} find their values. Berth backs it with Java system
 * properties and environment variables (not Berth's own settings, nor its configuration files); tests with a map.
 */
@FunctionalInterface
interface Placeholders {

    /** The value of {@code name}, or empty when it is not set. */
    Optional<String> lookup(String name);

    /**
     * Java system properties and environment variables, read the MicroProfile way: {@code ${db.url}} also finds
     * {@code DB_URL}.
     */
    static Placeholders fromEnvironment() {
        // read on the first placeholder looked up: most WARs have no context.xml, and SmallRye's sources cost milliseconds
        return new Placeholders() {
            private SmallRyeConfig config;

            @Override
            public synchronized Optional<String> lookup(String name) {
                if (config == null) {
                    config = new SmallRyeConfigBuilder().addSystemSources().build();
                }
                return config.getOptionalValue(name, String.class);
            }
        };
    }

    /** Placeholders with exactly these values. */
    static Placeholders of(Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(values);
        return name -> Optional.ofNullable(copy.get(name));
    }
}
