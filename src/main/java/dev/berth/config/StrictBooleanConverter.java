package dev.berth.config;

import org.eclipse.microprofile.config.spi.Converter;

import java.util.Locale;

/** Only {@code true} and {@code false}: a typo such as "ture" must not quietly mean false. */
public final class StrictBooleanConverter implements Converter<Boolean> {

    @Override
    public Boolean convert(String value) {
        return parse(value);
    }

    /** {@code true} or {@code false}, in any case and with blanks around; anything else is an IllegalArgumentException. */
    public static Boolean parse(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("not true or false");
        };
    }
}
