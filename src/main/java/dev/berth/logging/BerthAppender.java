package dev.berth.logging;

import org.eclipse.jetty.logging.JettyAppender;
import org.eclipse.jetty.logging.JettyLogger;
import org.eclipse.jetty.logging.JettyLoggerConfiguration;
import org.eclipse.jetty.logging.StdErrAppender;
import org.slf4j.event.Level;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * The one appender of every logger: Jetty's own {@link StdErrAppender} through a {@link MaskedStream} for text (so a
 * text line reads exactly as Jetty writes it, condensed logger names included), or a {@link JsonAppender}. Text to
 * stderr until {@link #to} says otherwise.
 */
final class BerthAppender implements JettyAppender {

    private final JettyLoggerConfiguration configuration;
    private volatile JettyAppender delegate;
    private volatile Supplier<LogContext> context = () -> null;

    BerthAppender(JettyLoggerConfiguration configuration) {
        this.configuration = configuration;
        this.delegate = new StdErrAppender(configuration, new MaskedStream(System.err));
    }

    void to(PrintStream out, boolean json) {
        delegate = json ? new JsonAppender(out, this::context) : new StdErrAppender(configuration, new MaskedStream(out));
    }

    void context(Supplier<LogContext> phaseAndPort) {
        context = phaseAndPort;
    }

    /** Berth's phase and port, or null while they are not known. */
    LogContext context() {
        return context.get();
    }

    @Override
    public void emit(JettyLogger logger, Level level, long timestamp, String threadName, Throwable throwable, String message, Object... args) {
        delegate.emit(logger, level, timestamp, threadName, throwable, message, args);
    }
}
