package dev.berth.config;

import org.eclipse.microprofile.config.spi.Converter;

/** Reads {@code 8080} or {@code 9000-9009}. */
public final class PortRangeConverter implements Converter<PortRange> {

    @Override
    public PortRange convert(String value) {
        String text = value.strip();
        int dash = text.indexOf('-', 1);
        if (dash < 0) {
            return PortRange.of(PortConverter.parse(text, "'" + text + "' is " + PortConverter.REASON));
        }
        String reason = "'" + text + "' is not a port range (FIRST-LAST, each 1-65535)";
        int first = PortConverter.parse(text.substring(0, dash).strip(), reason);
        int last = PortConverter.parse(text.substring(dash + 1).strip(), reason);
        return new PortRange(first, last);
    }
}
