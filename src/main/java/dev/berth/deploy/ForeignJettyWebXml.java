package dev.berth.deploy;

import dev.berth.base.SafeXml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Finds a {@code WEB-INF/jetty-web.xml} written for another Jetty environment (ee10, ee9, Jetty 9-11):
 * it configures a WebAppContext class that does not exist in ee11, so applying it would fail the
 * deployment. A WAR that also ships {@code jetty-ee11-web.xml} is fine: Jetty prefers that one.
 */
final class ForeignJettyWebXml {

    private static final String EE11_CONTEXT = "org.eclipse.jetty.ee11.webapp.WebAppContext";
    private static final String JETTY_WEB_XML = "WEB-INF/jetty-web.xml";
    private static final String JETTY_EE11_WEB_XML = "WEB-INF/jetty-ee11-web.xml";

    private ForeignJettyWebXml() {
    }

    /** The foreign class the jetty-web.xml of a WAR file or exploded WAR directory configures, if it names one. */
    static Optional<String> of(Path war) {
        try {
            return Files.isDirectory(war) ? ofDirectory(war) : ofArchive(war);
        } catch (IOException e) {
            // an unreadable WAR or file: Jetty's own deployment reports that properly
            return Optional.empty();
        }
    }

    private static Optional<String> ofDirectory(Path war) throws IOException {
        Path xml = war.resolve(JETTY_WEB_XML);
        if (Files.exists(war.resolve(JETTY_EE11_WEB_XML)) || !Files.isRegularFile(xml)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(xml)) {
            return foreign(in);
        }
    }

    private static Optional<String> ofArchive(Path war) throws IOException {
        try (ZipFile zip = new ZipFile(war.toFile())) {
            ZipEntry xml = zip.getEntry(JETTY_WEB_XML);
            if (xml == null || zip.getEntry(JETTY_EE11_WEB_XML) != null) {
                return Optional.empty();
            }
            try (InputStream in = zip.getInputStream(xml)) {
                return foreign(in);
            }
        }
    }

    /**
     * The class a Jetty XML document's root {@code <Configure>} names, unless it is ee11's own context.
     * Bytes, not text, so the parser honours the encoding the XML declaration or a byte order mark names.
     */
    static Optional<String> foreign(InputStream xml) {
        try {
            XMLStreamReader reader = SafeXml.newReader(xml);
            try {
                return configuredClass(reader).filter(c -> !c.equals(EE11_CONTEXT));
            } finally {
                SafeXml.close(reader);
            }
        } catch (XMLStreamException | RuntimeException e) {
            // Malformed: Jetty reports it when it applies the file. The JDK's parser also throws unchecked
            // exceptions on some malformed input (a control character in a DOCTYPE: MissingResourceException).
            return Optional.empty();
        }
    }

    private static Optional<String> configuredClass(XMLStreamReader reader) throws XMLStreamException {
        while (reader.hasNext()) {
            if (reader.next() == XMLStreamConstants.START_ELEMENT) {
                // The root decides: stop here, the body (and any error in it) is Jetty's to read.
                if (!reader.getLocalName().equals("Configure")) {
                    return Optional.empty();
                }
                return Optional.ofNullable(reader.getAttributeValue(null, "class")).filter(c -> !c.isBlank());
            }
        }
        return Optional.empty();
    }
}
