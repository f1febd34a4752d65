package dev.berth.logging;

import org.eclipse.jetty.logging.JettyLogger;
import org.eclipse.jetty.logging.JettyLoggerConfiguration;
import org.eclipse.jetty.logging.JettyLoggerFactory;
import org.slf4j.Logger;

import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Jetty's logger factory, with {@link BerthAppender} as the appender of every logger. Jetty's factory gives its loggers
 * the {@code StdErrAppender} its constructor makes, and neither it nor {@code JettyLogger} lets the appender be changed;
 * so this factory keeps the loggers in a map of its own (the inherited map holds only an unused root). The loggers are
 * still Jetty's {@link JettyLogger}s, with their levels from {@code jetty-logging.properties} and system properties,
 * and the factory is still a {@link JettyLoggerFactory}, as Jetty's {@code StacklessLogging} and JMX expect.
 */
final class BerthLoggerFactory extends JettyLoggerFactory {

    private final JettyLoggerConfiguration configuration;
    private final BerthAppender appender;
    private final ConcurrentMap<String, JettyLogger> loggers = new ConcurrentHashMap<>();

    BerthLoggerFactory(JettyLoggerConfiguration configuration) {
        super(configuration);
        this.configuration = configuration;
        this.appender = new BerthAppender(configuration);
        loggers.put(Logger.ROOT_LOGGER_NAME, newLogger(Logger.ROOT_LOGGER_NAME));
    }

    BerthAppender appender() {
        return appender;
    }

    @Override
    public JettyLogger getJettyLogger(String name, boolean create) {
        return create ? loggers.computeIfAbsent(name, this::newLogger) : loggers.get(name);
    }

    private JettyLogger newLogger(String name) {
        return new JettyLogger(this, name, appender, configuration.getLevel(name), configuration.getHideStacks(name));
    }

    @Override
    public String[] getLoggerNames() {
        return new TreeSet<>(loggers.keySet()).toArray(new String[0]);
    }

    @Override
    public int getLoggerCount() {
        return loggers.size();
    }

    /** The level of the logger, or of its nearest parent that exists, as Jetty's factory answers. */
    @Override
    public String getLoggerLevel(String name) {
        String n = name;
        while (!loggers.containsKey(n) && n.lastIndexOf('.') > 0) {
            n = n.substring(0, n.lastIndexOf('.'));
        }
        return loggers.getOrDefault(n, loggers.get(Logger.ROOT_LOGGER_NAME)).getLevel().name();
    }

    /** Sets the level of the logger and of its children, as Jetty's factory does for the loggers in its own map. */
    @Override
    public boolean setLoggerLevel(String name, String level) {
        if (!super.setLoggerLevel(name, level)) {
            return false;
        }
        JettyLogger parent = getJettyLogger(name);
        String prefix = name.endsWith(".") ? name : name + ".";
        loggers.values().stream().filter(child -> child.getName().startsWith(prefix)).forEach(child -> child.setLevel(parent.getLevel()));
        return true;
    }
}
