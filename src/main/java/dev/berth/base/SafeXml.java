package dev.berth.base;

import java.io.InputStream;

import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** The JDK's StAX parser set up for a file from an untrusted WAR, and its failures made into one-line errors. */
public final class SafeXml {

    private SafeXml() {
    }

    /** A reader of {@code in} (bytes, so the parser honours the encoding the XML declaration names). */
    public static XMLStreamReader newReader(InputStream in) throws XMLStreamException {
        // The JDK's own parser, never one a WAR could supply through the thread's context class loader.
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        // A DOCTYPE is reported but never fetched, and the entities it declares are not expanded: an external
        // entity cannot pull a local file or a URL into a value, an entity bomb cannot grow.
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        // Belt and braces: should anything still try to load a DTD, fail instead of going to the network.
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        return factory.createXMLStreamReader(in);
    }

    public static void close(XMLStreamReader reader) {
        try {
            if (reader != null) {
                reader.close();
            }
        } catch (XMLStreamException e) {
            // the stream is the caller's and the file is read or already failed: nothing is lost
        }
    }

    /**
     * {@code origin:line: not well-formed XML: reason}. The JDK's parser also throws unchecked exceptions on some
     * malformed input (a control character in a DOCTYPE), hence any exception.
     */
    public static IllegalArgumentException malformed(String origin, XMLStreamReader reader, Exception e) {
        Location location = e instanceof XMLStreamException stax && stax.getLocation() != null ? stax.getLocation()
                : reader == null ? null : reader.getLocation();
        String line = location == null || location.getLineNumber() < 0 ? "" : ":" + location.getLineNumber();
        String reason = e instanceof XMLStreamException ? reason(e.getMessage()) : e.toString();
        return new IllegalArgumentException(origin + line + ": not well-formed XML: " + reason);
    }

    /**
     * Whether an XML file's element names can be searched for in its bytes as ASCII: not UTF-16 or UTF-32 (a byte-order
     * mark, or zero bytes in its first characters). Lets a reader skip parsing a file that cannot declare what it looks for.
     */
    public static boolean readsAsAscii(byte[] bytes) {
        for (int i = 0; i < Math.min(bytes.length, 4); i++) {
            if (bytes[i] == 0 || (bytes[i] & 0xFE) == 0xFE) {
                return false;
            }
        }
        return true;
    }

    /** The parser's reason without the position it starts with ("ParseError at [row,col]:[3,7]\nMessage: ..."). */
    private static String reason(String message) {
        String text = String.valueOf(message);
        int start = text.indexOf("Message: ");
        return start < 0 ? text : text.substring(start + "Message: ".length());
    }
}
