package dev.berth.config;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * The base of the health endpoints. Empty turns them off (returned as ""); {@code /} is refused because
 * the application lives there. Public: SmallRye's mapping makes a {@code @WithConverter} class from outside the
 * package.
 */
public final class HealthPathConverter implements Converter<String> {

    @Override
    public String convert(String value) {
        if (value.isBlank()) {
            return "";
        }
        String path = ContextPathConverter.normalise(value, "not a path (example: /health; empty disables health)");
        if (path.equals("/")) {
            throw new IllegalArgumentException("the health endpoints need a path of their own (example: /health)");
        }
        return path;
    }
}
