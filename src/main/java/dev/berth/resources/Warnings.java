package dev.berth.resources;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The warnings of one file, each a line {@code origin:line: text}. A warning given once per kind (a DBCP
 * factory, {@code <WatchedResource>}) names its first place and lists the others, so a file that repeats
 * it gets one line, not one per repetition. They are handed on in document order once the file is read.
 */
final class Warnings {

    private final String origin;
    private final Map<Object, Warning> warnings = new LinkedHashMap<>();

    Warnings(String origin) {
        this.origin = origin;
    }

    void add(Attributes at, String text) {
        warnings.put(new Object(), new Warning(at.line(), text));
    }

    /** A warning that appears once however often {@code kind} occurs; later occurrences add their line. */
    void addOncePer(String kind, Attributes at, String text) {
        Warning first = warnings.get(kind);
        if (first == null) {
            warnings.put(kind, new Warning(at.line(), text));
        } else {
            first.alsoAt.add(at.line());
        }
    }

    void handTo(Consumer<String> sink) {
        warnings.values().forEach(warning -> sink.accept(origin + ":" + warning.line + ": " + warning.text + warning.others()));
    }

    private static final class Warning {
        final int line;
        final String text;
        final List<Integer> alsoAt = new ArrayList<>();

        Warning(int line, String text) {
            this.line = line;
            this.text = text;
        }

        String others() {
            if (alsoAt.isEmpty()) {
                return "";
            }
            return " (also at line" + (alsoAt.size() == 1 ? " " : "s ") + alsoAt.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
        }
    }
}
