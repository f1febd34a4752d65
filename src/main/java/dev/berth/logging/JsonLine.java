package dev.berth.logging;

import dev.berth.base.Secrets;
import dev.berth.http.Json;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The fields every JSON log line starts with, in one order, built from values (never parsed back out of a text line):
 * {@code timestamp} in UTC with milliseconds and {@code Z} (as the access log writes it), {@code level}, the
 * {@code logger}'s full name, {@code thread}, {@code message}; the thread and message masked. {@link #context} adds
 * Berth's phase and port when they are known.
 */
final class JsonLine {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private JsonLine() {
    }

    static Json of(long timestamp, String level, String logger, String thread, String message) {
        return Json.object().put("timestamp", UTC.format(Instant.ofEpochMilli(timestamp))).put("level", level).put("logger", logger)
                .put("thread", Secrets.mask(thread)).put("message", message == null ? "" : Secrets.mask(message));
    }

    static Json context(Json line, LogContext context) {
        return context == null ? line : line.put("phase", context.phase()).put("port", context.port());
    }
}
