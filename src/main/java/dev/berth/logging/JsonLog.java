package dev.berth.logging;

import dev.berth.http.Json;

import org.eclipse.jetty.logging.JettyLogger;
import org.eclipse.jetty.logging.JettyLoggerFactory;
import org.eclipse.jetty.logging.StdErrAppender;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code berth.log.format=json}: every log line of Berth and Jetty as one JSON object per line, for log
 * pipelines. Jetty's SLF4J provider stays the one provider; its appender is pointed at a stream that
 * turns each entry it prints (timestamp:LEVEL:logger:thread: message, then any stack trace) into JSON,
 * adding Berth's current phase and port.
 */
public final class JsonLog extends PrintStream {

    private static final Pattern ENTRY = Pattern.compile("(?s)(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}):(\\w+)\\s*:([^:]*):([^:]*): (.*)");

    private static volatile Supplier<String[]> context = () -> null;

    private final PrintStream out;

    private JsonLog(PrintStream out) {
        super(OutputStream.nullOutputStream(), true);
        this.out = out;
    }

    /** Switches Jetty's logging to JSON lines on {@code out}. Returns false if another SLF4J provider is in use. */
    public static boolean install(PrintStream out) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof JettyLoggerFactory jetty)) {
            return false;
        }
        JettyLogger root = jetty.getJettyLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (!(root.getAppender() instanceof StdErrAppender appender)) {
            return false;
        }
        appender.setStream(new JsonLog(out));
        return true;
    }

    /** Adds {"phase":..., "port":...} to every line; the supplier returns {phase, port} or null. */
    public static void context(Supplier<String[]> phaseAndPort) {
        context = phaseAndPort;
    }

    @Override
    public void println(Object entry) {
        println(String.valueOf(entry));
    }

    @Override
    public void println(String entry) {
        out.println(toJson(entry));
    }

    static String toJson(String entry) {
        Json json = Json.object();
        Matcher m = ENTRY.matcher(entry);
        if (m.matches()) {
            String message = m.group(5);
            int newline = message.indexOf('\n');
            json.put("timestamp", m.group(1).replace(' ', 'T')).put("level", m.group(2)).put("logger", m.group(3))
                    .put("thread", m.group(4)).put("message", newline < 0 ? message : message.substring(0, newline));
            if (newline >= 0) {
                json.put("stackTrace", message.substring(newline + 1));
            }
        } else {
            json.put("message", entry);
        }
        String[] state = context.get();
        if (state != null) {
            json.put("phase", state[0]).put("port", Long.parseLong(state[1]));
        }
        return json.toString();
    }
}
