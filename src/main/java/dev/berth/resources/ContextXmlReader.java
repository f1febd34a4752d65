package dev.berth.resources;

import dev.berth.base.SafeXml;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** Walks one {@code context.xml}: the {@code <Context>} root and the elements directly inside it. */
final class ContextXmlReader {

    private static final String DATA_SOURCE = "javax.sql.DataSource";

    private final String origin;
    private final Placeholders placeholders;
    private final Warnings warnings;
    private final List<DataSourceDefinition> dataSources = new ArrayList<>();
    private final List<EnvironmentEntry> environment = new ArrayList<>();
    private final List<ContextParameter> parameters = new ArrayList<>();
    /** Resources and environment entries share java:comp/env; context parameters have names of their own. */
    private final Map<String, Integer> jndiNames = new HashMap<>();
    private final Map<String, Integer> parameterNames = new HashMap<>();
    /** The line the markup of the current event starts on (the parser reports where it ends). */
    private int startLine = 1;

    ContextXmlReader(String origin, Placeholders placeholders) {
        this.origin = origin;
        this.placeholders = placeholders;
        this.warnings = new Warnings(origin);
    }

    TomcatContextXml read(InputStream in, Consumer<String> sink) {
        XMLStreamReader reader = null;
        try {
            reader = SafeXml.newReader(in);
            readContext(reader);
        } catch (IllegalArgumentException e) {
            // Berth's own errors, already naming origin and line
            throw e;
        } catch (XMLStreamException | RuntimeException e) {
            throw SafeXml.malformed(origin, reader, e);
        } finally {
            SafeXml.close(reader);
        }
        warnings.handTo(sink);
        return new TomcatContextXml(dataSources, environment, parameters);
    }

    private void readContext(XMLStreamReader reader) throws XMLStreamException {
        while (reader.next() != XMLStreamConstants.START_ELEMENT) {
            // the prolog: declaration, comments, a DOCTYPE that is never fetched
        }
        // The parser reports no whitespace before the root, so the line its start tag ends on stands for it.
        Attributes context = Attributes.of(reader, reader.getLocation().getLineNumber(), origin, placeholders);
        if (!context.element().equals("Context")) {
            throw context.error("the root element is <" + context.element() + ">, not <Context>: this is not a Tomcat context.xml");
        }
        reportUnused(context);
        readChildren(reader, this::contextChild);
        while (reader.hasNext()) {
            // what follows the root may only be comments: a malformed rest fails here, as it does in Tomcat
            reader.next();
        }
    }

    private void contextChild(XMLStreamReader reader, Attributes element) throws XMLStreamException {
        switch (element.element()) {
            case "Resource" -> resource(element);
            case "Environment" -> environment(element);
            case "Parameter" -> parameter(element);
            default -> {
                IgnoredElements.report(element, warnings);
                skip(reader);
                return;
            }
        }
        reportUnused(element);
        readChildren(reader, (nestedReader, nested) -> {
            IgnoredElements.reportNested(nested, element, warnings);
            skip(nestedReader);
        });
    }

    private void resource(Attributes element) {
        String name = element.required("name");
        String type = element.required("type").strip();
        if (!type.equals(DATA_SOURCE)) {
            element.acceptAll();
            warnings.add(element, element.describe() + " of type " + type + " skipped: Berth binds only " + DATA_SOURCE
                    + " resources, so java:comp/env/" + name + " will not be found");
            return;
        }
        claim(jndiNames, name, element);
        dataSources.add(DataSourceReader.read(element, name, warnings));
    }

    private void environment(Attributes element) {
        String name = element.required("name");
        claim(jndiNames, name, element);
        environment.add(EnvironmentReader.read(element, name));
    }

    private void parameter(Attributes element) {
        String name = element.required("name");
        claim(parameterNames, name, element);
        element.accept("description");
        String value = element.text("value").orElseThrow(() -> element.error(element.describe() + " has no value"));
        parameters.add(new ContextParameter(name, value, element.bool("override").orElse(true)));
    }

    private static void claim(Map<String, Integer> names, String name, Attributes element) {
        Integer first = names.putIfAbsent(name, element.line());
        if (first != null) {
            throw element.error(element.describe() + ": " + name + " is already declared at line " + first);
        }
    }

    private void reportUnused(Attributes element) {
        List<String> unused = element.unused();
        if (!unused.isEmpty()) {
            warnings.add(element, "attributes of " + element.describe() + " ignored, Berth does not use them: " + String.join(", ", unused));
        }
    }

    /** Reads the child elements up to the end of the current one. */
    private void readChildren(XMLStreamReader reader, Child child) throws XMLStreamException {
        while (reader.hasNext()) {
            int event = next(reader);
            if (event == XMLStreamConstants.START_ELEMENT) {
                child.read(reader, Attributes.of(reader, startLine, origin, placeholders));
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                return;
            }
        }
    }

    /** The next event; a start tag spread over lines is named by its first line. */
    private int next(XMLStreamReader reader) throws XMLStreamException {
        startLine = Math.max(1, reader.getLocation().getLineNumber());
        return reader.next();
    }

    /** Skips the rest of the current element, what it contains included. */
    private static void skip(XMLStreamReader reader) throws XMLStreamException {
        for (int depth = 1; depth > 0 && reader.hasNext(); ) {
            int event = reader.next();
            depth += event == XMLStreamConstants.START_ELEMENT ? 1 : event == XMLStreamConstants.END_ELEMENT ? -1 : 0;
        }
    }

    @FunctionalInterface
    private interface Child {
        void read(XMLStreamReader reader, Attributes element) throws XMLStreamException;
    }
}
