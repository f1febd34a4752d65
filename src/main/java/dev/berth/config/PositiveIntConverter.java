package dev.berth.config;

import org.eclipse.microprofile.config.spi.Converter;

/** A whole number of at least 1. */
public final class PositiveIntConverter implements Converter<Integer> {

    @Override
    public Integer convert(String value) {
        String text = value.strip();
        try {
            int n = Integer.parseInt(text);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the one message below
        }
        throw new IllegalArgumentException("not a whole number of at least 1");
    }
}
