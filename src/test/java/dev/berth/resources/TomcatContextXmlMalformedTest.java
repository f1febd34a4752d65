package dev.berth.resources;

import dev.berth.testing.CountingHttpServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static dev.berth.resources.ContextXmlReading.at;
import static dev.berth.resources.ContextXmlReading.context;
import static dev.berth.resources.ContextXmlReading.read;
import static dev.berth.resources.ContextXmlReading.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * A file that is not well-formed XML, or not a context.xml, is an error with its line and the parser's reason;
 * and the parser reads nothing the file points to (no external entity, no DTD).
 */
class TomcatContextXmlMalformedTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final CountingHttpServer dtdServer = new CountingHttpServer();

    static Stream<Arguments> malformedFiles() {
        return Stream.of(
                arguments("an attribute without quotes", "<Context>\n<Resource name=jdbc/app/>\n</Context>", 2),
                arguments("a missing end tag", "<Context>\n<Parameter name=\"a\" value=\"b\">\n</Context>", 3),
                arguments("an undeclared entity", "<Context>\n\n<Parameter name=\"a\" value=\"&nbsp;\"/>\n</Context>", 3),
                arguments("a second root", "<Context/>\n<Context/>", 2),
                arguments("an empty file", "", 1),
                arguments("a DOCTYPE the JDK's parser throws an unchecked exception on", "<!DOCTYPE Context [\u0005]>\n<Context/>", 1));
    }

    @ParameterizedTest(name = "{0} is malformed")
    @MethodSource("malformedFiles")
    void malformedXmlIsAnErrorWithOriginLineAndTheParsersReason(String behaviour, String xml, int line) {
        ContextXmlReading.Refused refused = refused(xml);

        assertThat(refused.error()).satisfies(at(line));
        assertThat(refused.error().text()).startsWith("not well-formed XML: ").doesNotContain("ParseError");
    }

    @Test
    void aRootOtherThanContextIsAnError() {
        ContextXmlReading.Refused refused = refused("<?xml version=\"1.0\"?>\n<!-- a web.xml by mistake -->\n\n<web-app/>");

        assertThat(refused.error()).satisfies(at(4, "<web-app>", "not <Context>", "not a Tomcat context.xml"));
    }

    static Stream<Arguments> entityReferences() {
        return Stream.of(
                arguments("in an attribute Berth reads", "<Parameter name=\"leak\" value=\"&xxe;\"/>"),
                arguments("in an attribute Berth ignores", "<Valve className=\"x\" pattern=\"&xxe;\"/>"),
                arguments("in the text of an element Berth ignores", "<WatchedResource>&xxe;</WatchedResource>"));
    }

    @ParameterizedTest(name = "an external entity {0} is never read: the file is an error")
    @MethodSource("entityReferences")
    void anExternalEntityIsNeverRead(String where, String body) throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET");
        String xml = "<!DOCTYPE Context [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>\n" + context(body);

        ContextXmlReading.Refused refused = refused(xml);

        assertThat(refused.error()).satisfies(at(3, "not well-formed XML", "\"xxe\" was referenced, but not declared"));
        assertThat(refused.lines()).isEmpty();
    }

    @Test
    void aDoctypeWithADtdUrlIsReadWithoutFetchingIt() {
        String dtdUrl = dtdServer.url("context.dtd");

        TomcatContextXml xml = read("<!DOCTYPE Context SYSTEM \"" + dtdUrl + "\">\n" + context("<Parameter name=\"p\" value=\"v\"/>")).xml();

        assertThat(xml.parameters()).hasSize(1);
        assertThat(dtdServer.requests()).isZero();
    }
}
