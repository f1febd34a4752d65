package dev.berth.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** Finds the valid name closest to a mistyped one, so an error can say "did you mean ...". */
final class Suggestions {

    private Suggestions() {
    }

    static Optional<String> closest(String typed, Collection<String> valid) {
        String needle = typed.toLowerCase(Locale.ROOT);
        int limit = Math.max(2, needle.length() / 3);
        return valid.stream()
                .map(name -> new Scored(name, distance(needle, name.toLowerCase(Locale.ROOT))))
                .filter(s -> s.distance <= limit)
                .min(Comparator.comparingInt(Scored::distance))
                .map(Scored::name);
    }

    private record Scored(String name, int distance) {
    }

    /** Levenshtein distance with two rows. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
