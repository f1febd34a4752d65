package dev.berth.config;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Everything about ports in configuration: a comma list of single ports and inclusive ranges, such as
 * {@code 8080,8000,9000-9009} (may be empty), and the converters that read a port, a range and a list.
 * A port is 1-65535, or 0 for "any free port" (tests and embedders).
 */
public record PortList(List<Range> ranges) {

    static final String NOT_A_PORT = "not a port number (1-65535)";

    public PortList {
        ranges = List.copyOf(ranges);
    }

    @Override
    public String toString() {
        return ranges.isEmpty() ? "none" : ranges.stream().map(Range::toString).collect(Collectors.joining(","));
    }

    /** One entry of the list: a single port ({@code 8080}) or an inclusive range ({@code 9000-9009}). */
    public record Range(int first, int last) {

        public Range {
            if (first > last) {
                throw new IllegalArgumentException("range " + first + "-" + last + " runs backwards");
            }
        }

        public static Range of(int port) {
            return new Range(port, port);
        }

        public IntStream ports() {
            return IntStream.rangeClosed(first, last);
        }

        @Override
        public String toString() {
            return first == last ? Integer.toString(first) : first + "-" + last;
        }

        static Range parse(String item) {
            String text = item.strip();
            int dash = text.indexOf('-', 1);
            if (dash < 0) {
                return of(port(text, "'" + text + "' is " + NOT_A_PORT));
            }
            String reason = "'" + text + "' is not a port range (FIRST-LAST, each 1-65535)";
            return new Range(port(text.substring(0, dash).strip(), reason), port(text.substring(dash + 1).strip(), reason));
        }
    }

    static int port(String text, String reason) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit) || Integer.parseInt(text) > 65535) {
            throw new IllegalArgumentException(reason);
        }
        return Integer.parseInt(text);
    }

    /** Reads one port. */
    public static final class PortConverter implements org.eclipse.microprofile.config.spi.Converter<Integer> {
        @Override
        public Integer convert(String value) {
            return port(value.strip(), NOT_A_PORT);
        }
    }

    /** Reads a list; an empty value is an empty list. */
    public static final class Converter implements org.eclipse.microprofile.config.spi.Converter<PortList> {
        @Override
        public PortList convert(String value) {
            List<Range> ranges = new ArrayList<>();
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    ranges.add(Range.parse(item));
                }
            }
            return new PortList(ranges);
        }
    }
}
