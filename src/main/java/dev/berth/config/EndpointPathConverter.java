package dev.berth.config;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * The path of one of Berth's endpoints: empty turns it off (returned as ""); {@code /} is refused because the
 * application lives there. Public, like its two converters: SmallRye's mapping makes a {@code @WithConverter} class
 * from outside the package.
 */
public final class EndpointPathConverter {

    private EndpointPathConverter() {
    }

    /** {@code berth.health.path}. */
    public static final class Health implements Converter<String> {
        @Override
        public String convert(String value) {
            return EndpointPathConverter.convert(value, "/health", "health", "the health endpoints need a path of their own");
        }
    }

    /** {@code berth.metrics.path}. */
    public static final class Metrics implements Converter<String> {
        @Override
        public String convert(String value) {
            return EndpointPathConverter.convert(value, "/metrics", "metrics", "metrics need a path of their own");
        }
    }

    private static String convert(String value, String example, String what, String rootRefused) {
        if (value.isBlank()) {
            return "";
        }
        String path = ContextPathConverter.normalise(value, "not a path (example: " + example + "; empty disables " + what + ")");
        if (path.equals("/")) {
            throw new IllegalArgumentException(rootRefused + " (example: " + example + ")");
        }
        return path;
    }
}
