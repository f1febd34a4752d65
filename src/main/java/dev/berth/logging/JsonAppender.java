package dev.berth.logging;

import dev.berth.base.Secrets;
import dev.berth.http.Json;

import org.eclipse.jetty.logging.JettyAppender;
import org.eclipse.jetty.logging.JettyLogger;
import org.slf4j.event.Level;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MessageFormatter;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Supplier;

/**
 * One JSON object per log entry, from the entry's fields: the message formatted by SLF4J's own
 * {@link MessageFormatter}, the whole stack trace in one {@code stackTrace} field (or, for a logger Jetty hides stacks
 * of, the throwable after the message, as Jetty's text does), then Berth's phase and port.
 */
final class JsonAppender implements JettyAppender {

    private final PrintStream out;
    private final Supplier<LogContext> context;

    JsonAppender(PrintStream out, Supplier<LogContext> context) {
        this.out = out;
        this.context = context;
    }

    @Override
    public void emit(JettyLogger logger, Level level, long timestamp, String threadName, Throwable throwable, String message, Object... args) {
        FormattingTuple formatted = MessageFormatter.arrayFormat(message, args);
        Throwable cause = throwable != null ? throwable : formatted.getThrowable();
        boolean hidden = cause != null && JettyLogger.isStackHidden(logger);
        String text = hidden ? formatted.getMessage() + ": " + cause : formatted.getMessage();
        Json line = JsonLine.of(timestamp, level.name(), logger.getName(), threadName, text);
        if (cause != null && !hidden) {
            line.put("stackTrace", Secrets.mask(stackTrace(cause)));
        }
        out.println(JsonLine.context(line, context.get()));
    }

    private static String stackTrace(Throwable cause) {
        StringWriter trace = new StringWriter();
        cause.printStackTrace(new PrintWriter(trace));
        return trace.toString().stripTrailing();
    }
}
