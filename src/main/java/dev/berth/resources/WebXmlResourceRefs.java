package dev.berth.resources;

import dev.berth.base.SafeXml;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code <resource-ref>}s a WAR's {@code WEB-INF/web.xml} declares: the names (and types) it will look up
 * under {@code java:comp/env}. Read before Jetty reads the file, so Berth can decide what to bind before the
 * WAR starts.
 */
final class WebXmlResourceRefs {

    static final String DATA_SOURCE = "javax.sql.DataSource";

    /** One {@code <resource-ref>}: its name under java:comp/env and its {@code res-type}. */
    record Ref(String name, String type) {
        boolean isDataSource() {
            return DATA_SOURCE.equals(type);
        }
    }

    private WebXmlResourceRefs() {
    }

    /** The refs, in file order; none when there is no web.xml. Malformed XML is Jetty's to report: none here. */
    static List<Ref> of(Path webXml) throws IOException {
        if (!Files.isRegularFile(webXml)) {
            return List.of();
        }
        byte[] bytes = Files.readAllBytes(webXml);
        if (SafeXml.readsAsAscii(bytes) && !new String(bytes, StandardCharsets.ISO_8859_1).contains(ELEMENT)) {
            return List.of(); // no XML parser for the many web.xml files that declare none (the element name is never escaped)
        }
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            XMLStreamReader reader = SafeXml.newReader(in);
            try {
                return read(reader);
            } finally {
                SafeXml.close(reader);
            }
        } catch (XMLStreamException | RuntimeException e) {
            return List.of();
        }
    }

    private static final String ELEMENT = "resource-ref";

    private static List<Ref> read(XMLStreamReader reader) throws XMLStreamException {
        List<Ref> refs = new ArrayList<>();
        String name = null;
        String type = null;
        String element = "";
        while (reader.hasNext()) {
            int event = reader.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                element = reader.getLocalName();
                if (element.equals("resource-ref")) {
                    name = null;
                    type = null;
                } else if (element.equals("res-ref-name")) {
                    name = reader.getElementText().strip();
                } else if (element.equals("res-type")) {
                    type = reader.getElementText().strip();
                }
            } else if (event == XMLStreamConstants.END_ELEMENT && reader.getLocalName().equals("resource-ref")) {
                if (name != null) {
                    refs.add(new Ref(name, type == null ? "java.lang.Object" : type));
                }
            }
        }
        return refs;
    }
}
