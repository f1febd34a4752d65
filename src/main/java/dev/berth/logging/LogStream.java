package dev.berth.logging;

import dev.berth.config.Secrets;
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
 * Where every log line of Berth, Jetty and the libraries goes. Jetty's SLF4J provider stays the one provider;
 * its appender is pointed at this stream, which masks the passwords of URLs (a driver's message may quote
 * one) and, with {@code berth.log.format=json}, turns each entry it prints (timestamp:LEVEL:logger:thread:
 * message, then any stack trace) into one JSON object per line, adding Berth's current phase and port.
 */
public final class LogStream extends PrintStream {

    private static final Pattern ENTRY = Pattern.compile("(?s)(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}):(\\w+)\\s*:([^:]*):([^:]*): (.*)");

    private static volatile Supplier<String[]> context = () -> null;

    private final PrintStream out;
    private final boolean json;

    private LogStream(PrintStream out, boolean json) {
        super(OutputStream.nullOutputStream(), true);
        this.out = out;
        this.json = json;
    }

    /** Points Jetty's logging at {@code out}, as JSON lines or text. Returns false if another SLF4J provider is in use. */
    public static boolean install(PrintStream out, boolean json) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof JettyLoggerFactory jetty)) {
            return false;
        }
        JettyLogger root = jetty.getJettyLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (!(root.getAppender() instanceof StdErrAppender appender)) {
            return false;
        }
        appender.setStream(new LogStream(out, json));
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
        String masked = Secrets.mask(entry);
        out.println(json ? toJson(masked) : masked);
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
