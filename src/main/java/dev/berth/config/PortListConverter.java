package dev.berth.config;

import org.eclipse.microprofile.config.spi.Converter;

import java.util.ArrayList;
import java.util.List;

/** Reads {@code 8080,8000,9000-9009}; an empty value is an empty list (no fallbacks). */
public final class PortListConverter implements Converter<PortList> {

    private final PortRangeConverter range = new PortRangeConverter();

    @Override
    public PortList convert(String value) {
        List<PortRange> ranges = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                ranges.add(range.convert(item));
            }
        }
        return new PortList(ranges);
    }
}
