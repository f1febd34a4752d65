package dev.berth.resources;

import java.io.InputStream;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a Tomcat {@code context.xml} (a WAR's {@code META-INF/context.xml}, or {@code berth.context-xml}) declares
 * that Berth honours: pooled DataSources, environment entries and context parameters.
 *
 * <p>Everything else is reported, never dropped in silence: one warning per ignored element (with what it
 * contains), one per element listing its ignored attributes, and one per file for {@code <WatchedResource>}
 * and for each DBCP factory class. {@code auth}, {@code scope} and {@code description} are accepted without a
 * word: they change nothing in Berth.
 *
 * <p>{@code ${NAME}} and Tomcat's {@code ${NAME:-default}} in an attribute Berth reads are resolved through
 * {@link Placeholders}; one without a value is an error. Errors are {@link IllegalArgumentException}s that start
 * with {@code origin:line} and never quote a password.
 */
record TomcatContextXml(List<DataSourceDefinition> dataSources, List<EnvironmentEntry> environment,
        List<ContextParameter> parameters) {

    public TomcatContextXml {
        dataSources = List.copyOf(dataSources);
        environment = List.copyOf(environment);
        parameters = List.copyOf(parameters);
    }

    /**
     * Reads {@code in} (left open) as a Tomcat context.xml. {@code origin} names it in messages, such as
     * {@code app.war!/META-INF/context.xml}; {@code warnings} receives each warning line once the file is read.
     *
     * @throws IllegalArgumentException when the XML is malformed, a placeholder has no value, or what Berth would
     *                                  honour is incomplete or invalid (a DataSource without a url, a bad number)
     */
    public static TomcatContextXml read(InputStream in, String origin, Placeholders placeholders, Consumer<String> warnings) {
        return new ContextXmlReader(origin, placeholders).read(in, warnings);
    }
}
