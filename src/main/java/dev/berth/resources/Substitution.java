package dev.berth.resources;

import java.util.function.Function;

/**
 * Replaces {@code ${NAME}} and Tomcat's {@code ${NAME:-default}} in an attribute value. A value that comes
 * from a placeholder is not searched again, so it cannot pull in further placeholders; a {@code ${} without
 * its closing brace stays as it is, as in Tomcat.
 */
final class Substitution {

    private static final String DEFAULT_SEPARATOR = ":-";

    private Substitution() {
    }

    /** {@code value} with its placeholders replaced; {@code unset} builds the error for a placeholder that has no value. */
    static String resolve(String value, Placeholders placeholders, Function<String, IllegalArgumentException> unset) {
        StringBuilder resolved = new StringBuilder(value.length());
        int from = 0;
        while (true) {
            int start = value.indexOf("${", from);
            int end = start < 0 ? -1 : value.indexOf('}', start + 2);
            if (end < 0) {
                return resolved.append(value, from, value.length()).toString();
            }
            resolved.append(value, from, start).append(lookup(value.substring(start + 2, end), placeholders, unset));
            from = end + 1;
        }
    }

    private static String lookup(String expression, Placeholders placeholders, Function<String, IllegalArgumentException> unset) {
        int separator = expression.indexOf(DEFAULT_SEPARATOR);
        String name = separator < 0 ? expression : expression.substring(0, separator);
        if (separator >= 0) {
            return placeholders.lookup(name).orElse(expression.substring(separator + DEFAULT_SEPARATOR.length()));
        }
        return placeholders.lookup(name).orElseThrow(() -> unset.apply(name));
    }
}
