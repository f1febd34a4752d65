package dev.berth.logging;

import org.eclipse.jetty.logging.JettyLogger;
import org.slf4j.event.Level;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * {@code java.util.logging}'s records (a WAR's, a library's) through Berth's loggers, so they come out as every other
 * line does: masked, and as JSON when asked. It takes the place of the root's {@link ConsoleHandler}, which would print
 * each record a second time (as two lines of text); other handlers a JUL configuration adds stay. JUL's levels stay
 * JUL's (INFO unless its configuration says otherwise), so a record below them is dropped as cheaply as before, and
 * one that passes them is then held to Jetty's level for its logger's name.
 */
final class JulHandler extends Handler {

    private final BerthLoggerFactory loggers;
    /** Only its {@code formatMessage}: the record's resource bundle and {@code {0}} parameters. */
    private final Formatter messages = new SimpleFormatter();

    JulHandler(BerthLoggerFactory loggers) {
        this.loggers = loggers;
    }

    /** On JUL's root logger, instead of its console handler; once, however often it is called. */
    static void install(BerthLoggerFactory loggers) {
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            if (handler instanceof ConsoleHandler || handler instanceof JulHandler) {
                root.removeHandler(handler);
            }
        }
        root.addHandler(new JulHandler(loggers));
    }

    @Override
    public void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        String name = record.getLoggerName();
        JettyLogger logger = loggers.getJettyLogger(name == null || name.isEmpty() ? org.slf4j.Logger.ROOT_LOGGER_NAME : name);
        Level level = level(record.getLevel());
        if (logger.isEnabledForLevel(level)) {
            logger.log(null, JulHandler.class.getName(), level.toInt(), messages.formatMessage(record), null, record.getThrown());
        }
    }

    /** JUL's seven levels onto SLF4J's five, as SLF4J's own bridge maps them. */
    static Level level(java.util.logging.Level level) {
        int value = level.intValue();
        if (value <= java.util.logging.Level.FINEST.intValue()) {
            return Level.TRACE;
        } else if (value <= java.util.logging.Level.FINE.intValue()) {
            return Level.DEBUG;
        } else if (value <= java.util.logging.Level.INFO.intValue()) {
            return Level.INFO;
        } else if (value <= java.util.logging.Level.WARNING.intValue()) {
            return Level.WARN;
        }
        return Level.ERROR;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
