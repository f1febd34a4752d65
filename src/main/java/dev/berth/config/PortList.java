package dev.berth.config;

import java.util.List;
import java.util.stream.Collectors;

/** A comma list of ports and ranges, such as {@code 8080,8000,9000-9009}; may be empty. */
public record PortList(List<PortRange> ranges) {

    public PortList {
        ranges = List.copyOf(ranges);
    }

    @Override
    public String toString() {
        return ranges.isEmpty() ? "none" : ranges.stream().map(PortRange::toString).collect(Collectors.joining(","));
    }
}
