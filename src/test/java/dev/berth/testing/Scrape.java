package dev.berth.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of Berth's metrics in the Prometheus text or OpenMetrics format, read into samples: a name, its labels
 * and its value. Enough of the format for the tests to ask "what is this family's value"; it does not check the
 * format itself (Prometheus's own parser would).
 */
public record Scrape(List<Sample> samples) {

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)(?: \\S+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    /** One line of the scrape. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    public static Scrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                throw new IllegalArgumentException("not a sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3))));
        }
        return new Scrape(samples);
    }

    /** The samples of {@code name} whose labels include {@code labels} (name, value, name, value...). */
    public List<Sample> find(String name, String... labels) {
        List<Sample> found = new ArrayList<>();
        for (Sample sample : samples) {
            if (sample.name.equals(name) && hasLabels(sample, labels)) {
                found.add(sample);
            }
        }
        return found;
    }

    /** The sum of the values of {@link #find}'s samples; fails when there is none, so a missing family is not a zero. */
    public double sum(String name, String... labels) {
        List<Sample> found = find(name, labels);
        if (found.isEmpty()) {
            throw new AssertionError("no sample " + name + " with labels " + List.of(labels) + " in the scrape");
        }
        return found.stream().mapToDouble(Sample::value).sum();
    }

    /** The names of every sample, once each. */
    public List<String> names() {
        return samples.stream().map(Sample::name).distinct().toList();
    }

    private static boolean hasLabels(Sample sample, String... labels) {
        for (int i = 0; i + 1 < labels.length; i += 2) {
            if (!labels[i + 1].equals(sample.labels.get(labels[i]))) {
                return false;
            }
        }
        return true;
    }
}
