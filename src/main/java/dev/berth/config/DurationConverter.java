package dev.berth.config;

import org.eclipse.microprofile.config.spi.Converter;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them ({@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}) or as ISO-8601
 * ({@code PT30S}). A bare number is refused: "30" could mean seconds or milliseconds.
 */
final class DurationConverter implements Converter<Duration> {

    private static final Pattern SHORT = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h)");
    static final String REASON = "not a duration (examples: 500ms, 30s, 2m, PT30S)";

    @Override
    public Duration convert(String value) {
        String text = value.strip();
        Matcher m = SHORT.matcher(text);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        try {
            Duration duration = Duration.parse(text);
            if (duration.isNegative()) {
                throw new IllegalArgumentException("a negative duration makes no sense here");
            }
            return duration;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(REASON);
        }
    }
}
