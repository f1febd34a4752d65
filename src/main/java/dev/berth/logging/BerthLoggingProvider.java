package dev.berth.logging;

import org.eclipse.jetty.logging.JettyLoggerConfiguration;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The launcher jar's SLF4J provider: Jetty's ({@code jetty-slf4j-impl}: its loggers, levels and
 * {@code jetty-logging.properties}) with Berth's appender ({@link BerthLoggerFactory}). The build registers it in
 * {@code berth.jar} in place of Jetty's provider, and only there: on the tests' class path Jetty's provider stays the
 * one SLF4J finds, and {@link Logs#install} leaves its output alone.
 */
public final class BerthLoggingProvider implements SLF4JServiceProvider {

    private BerthLoggerFactory loggerFactory;
    private IMarkerFactory markerFactory;
    private MDCAdapter mdcAdapter;

    @Override
    public void initialize() {
        loggerFactory = new BerthLoggerFactory(new JettyLoggerConfiguration().load(BerthLoggingProvider.class.getClassLoader()));
        markerFactory = new BasicMarkerFactory();
        mdcAdapter = new NOPMDCAdapter();
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggerFactory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markerFactory;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdcAdapter;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0";
    }
}
