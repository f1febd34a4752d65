package dev.berth.config;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * A servlet context path: {@code /} or {@code /name}, without a trailing slash. Public: SmallRye's mapping makes a
 * {@code @WithConverter} class from outside the package.
 */
public final class ContextPathConverter implements Converter<String> {

    @Override
    public String convert(String value) {
        return normalise(value, "not a context path (examples: /, /shop)");
    }

    static String normalise(String value, String reason) {
        String text = value.strip();
        if (!text.startsWith("/") || text.contains("//") || text.chars().anyMatch(c -> c <= ' ' || c == '?' || c == '#' || c == '*')) {
            throw new IllegalArgumentException(reason);
        }
        while (text.length() > 1 && text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }
}
