package dev.berth.config;

import java.util.stream.IntStream;

/** One entry of a port list: a single port ({@code 8080}) or an inclusive range ({@code 9000-9009}). */
public record PortRange(int first, int last) {

    public PortRange {
        if (first > last) {
            throw new IllegalArgumentException("range " + first + "-" + last + " runs backwards");
        }
    }

    public static PortRange of(int port) {
        return new PortRange(port, port);
    }

    public IntStream ports() {
        return IntStream.rangeClosed(first, last);
    }

    @Override
    public String toString() {
        return first == last ? Integer.toString(first) : first + "-" + last;
    }
}
