package dev.berth.config;

import org.eclipse.microprofile.config.spi.Converter;

/** Whole numbers with a lower bound: tries, threads, sizes. */
public final class Counts {

    private Counts() {
    }

    static int atLeast(int min, String value) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the one message below says what is expected
        }
        throw new IllegalArgumentException("not a whole number of at least " + min);
    }

    /** A whole number of at least 1. */
    public static final class AtLeastOne implements Converter<Integer> {
        @Override
        public Integer convert(String value) {
            return atLeast(1, value);
        }
    }

    /** A whole number of at least 0. */
    public static final class AtLeastZero implements Converter<Integer> {
        @Override
        public Integer convert(String value) {
            return atLeast(0, value);
        }
    }
}
