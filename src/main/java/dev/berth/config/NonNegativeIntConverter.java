package dev.berth.config;

import org.eclipse.microprofile.config.spi.Converter;

/** A whole number of at least 0. */
public final class NonNegativeIntConverter implements Converter<Integer> {

    @Override
    public Integer convert(String value) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the one message below
        }
        throw new IllegalArgumentException("not a whole number of at least 0");
    }
}
