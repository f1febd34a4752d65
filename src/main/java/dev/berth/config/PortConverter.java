package dev.berth.config;

import org.eclipse.microprofile.config.spi.Converter;

/** A TCP port, 1-65535, or 0 for "any free port" (used by tests and embedders). */
public final class PortConverter implements Converter<Integer> {

    static final String REASON = "not a port number (1-65535)";

    @Override
    public Integer convert(String value) {
        return parse(value.strip(), REASON);
    }

    static int parse(String text, String reason) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException(reason);
        }
        int port = Integer.parseInt(text);
        if (port > 65535) {
            throw new IllegalArgumentException(reason);
        }
        return port;
    }
}
