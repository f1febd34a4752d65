package dev.berth.logging;

import dev.berth.base.Secrets;
import dev.berth.http.Json;

import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Where every log line goes: Berth's, Jetty's, the libraries' and the WAR's {@code java.util.logging} records, on one
 * stream, each line masked ({@link Secrets#mask}), as Jetty's text or, with {@code berth.log.format=json}, as one
 * JSON object per line ({@code timestamp} in UTC, {@code level}, {@code logger} by its full name, {@code thread},
 * {@code message}, {@code stackTrace} when there is one, and {@code phase} and {@code port} once Berth knows them).
 */
public final class Logs {

    private Logs() {
    }

    /**
     * Sends every log line to {@code out}, as JSON lines or text, and {@code java.util.logging}'s records with them.
     * Returns false, changing nothing, when SLF4J's provider is not Berth's (on the tests' class path, or in a program
     * embedding Berth whose own provider SLF4J chose).
     */
    public static boolean install(PrintStream out, boolean json) {
        if (!(LoggerFactory.getILoggerFactory() instanceof BerthLoggerFactory loggers)) {
            return false;
        }
        loggers.appender().to(out, json);
        JulHandler.install(loggers);
        return true;
    }

    /** Adds Berth's phase and port, as the suppliers give them at each line, to every JSON line from now on. */
    public static void context(Supplier<String> phase, IntSupplier port) {
        if (LoggerFactory.getILoggerFactory() instanceof BerthLoggerFactory loggers) {
            loggers.appender().context(() -> new LogContext(phase.get(), port.getAsInt()));
        }
    }

    /**
     * The JSON line of a run that ends in failure: an ERROR entry of {@code logger} whose message is what went wrong,
     * with {@code action} (what to do about it) and {@code exitCode} fields, and the phase and port when known.
     */
    public static String failure(String logger, String description, Optional<String> action, int exitCode) {
        Json line = JsonLine.of(System.currentTimeMillis(), "ERROR", logger, Thread.currentThread().getName(), description);
        action.ifPresent(a -> line.put("action", Secrets.mask(a)));
        line.put("exitCode", exitCode);
        LogContext context = LoggerFactory.getILoggerFactory() instanceof BerthLoggerFactory loggers ? loggers.appender().context() : null;
        return JsonLine.context(line, context).toString();
    }
}
