package dev.berth.deploy;

import dev.berth.testing.CountingHttpServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ForeignJettyWebXmlTest {

    private static final String EE10 = "org.eclipse.jetty.ee10.webapp.WebAppContext";
    private static final String EE11 = "org.eclipse.jetty.ee11.webapp.WebAppContext";
    private static final String JETTY_PROLOG = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + doctype("https://www.eclipse.org/jetty/configure_10_0.dtd");

    @TempDir
    Path dir;

    @RegisterExtension
    final CountingHttpServer dtdServer = new CountingHttpServer();

    private static String configure(String className) {
        return "<Configure id=\"wac\" class=\"" + className + "\"><Set name=\"contextPath\">/app</Set></Configure>";
    }

    private static String doctype(String dtdUrl) {
        return "<!DOCTYPE Configure PUBLIC \"-//Jetty//Configure//EN\" \"" + dtdUrl + "\">\n";
    }

    private static Optional<String> foreign(String xml) {
        return ForeignJettyWebXml.foreign(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    static Stream<Arguments> foreignFiles() {
        return Stream.of(
                arguments("an ee10 context is foreign", configure(EE10), EE10),
                arguments("Jetty 9's org.eclipse.jetty.webapp.WebAppContext is foreign",
                        configure("org.eclipse.jetty.webapp.WebAppContext"), "org.eclipse.jetty.webapp.WebAppContext"),
                arguments("single-quoted attributes", "<Configure id='wac' class='" + EE10 + "'/>", EE10),
                arguments("Jetty's XML declaration and DOCTYPE come before the root", JETTY_PROLOG + configure(EE10), EE10),
                arguments("a DOCTYPE with an unreachable DTD URL is read without failing",
                        doctype("http://jetty.invalid/configure_10_0.dtd") + configure(EE10), EE10),
                arguments("the ee11 context named in a comment does not hide the foreign root",
                        "<!-- <Configure class=\"" + EE11 + "\"> -->" + configure(EE10), EE10),
                arguments("a malformed body after the root does not hide the foreign root",
                        "<Configure class=\"" + EE10 + "\"><Set name=\"contextPath\">/app</Configure>", EE10));
    }

    static Stream<Arguments> filesThatAreNotForeign() {
        return Stream.of(
                arguments("the ee11 context is not foreign", JETTY_PROLOG + configure(EE11)),
                arguments("a Configure inside a comment is ignored", "<!-- " + configure(EE10) + " -->" + configure(EE11)),
                arguments("a root element that is not Configure is not foreign", "<New class=\"" + EE10 + "\"/>"),
                arguments("a Configure without a class is not foreign", "<Configure id=\"wac\"/>"),
                arguments("malformed XML is not foreign", "<Configure class=\"" + EE10 + "\""),
                arguments("an empty file is not foreign", ""),
                arguments("an unknown encoding is not foreign", "<?xml version=\"1.0\" encoding=\"x-berth\"?>" + configure(EE10)),
                arguments("an entity the DOCTYPE declares is not expanded",
                        "<!DOCTYPE Configure [<!ENTITY context \"" + EE10 + "\">]><Configure class=\"&context;\"/>"),
                arguments("an external entity is not read",
                        "<!DOCTYPE Configure [<!ENTITY context SYSTEM \"file:///etc/hostname\">]><Configure class=\"&context;\"/>"),
                arguments("a DOCTYPE the JDK's parser throws an unchecked exception on is not foreign",
                        "<!DOCTYPE Configure [\u0005]>" + configure(EE10)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("foreignFiles")
    void foreign(String behaviour, String xml, String configuredClass) {
        assertThat(foreign(xml)).contains(configuredClass);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filesThatAreNotForeign")
    void notForeign(String behaviour, String xml) {
        assertThat(foreign(xml)).isEmpty();
    }

    @Test
    void aDoctypeWithADtdUrlIsReadWithoutFetchingIt() {
        String dtdUrl = dtdServer.url("configure_10_0.dtd");

        assertThat(foreign(doctype(dtdUrl) + configure(EE10))).contains(EE10);
        assertThat(dtdServer.requests()).isZero();
    }

    @Test
    void theEncodingTheXmlDeclarationNamesIsHonoured() {
        byte[] utf16 = ("<?xml version=\"1.0\" encoding=\"UTF-16\"?>" + configure(EE10)).getBytes(StandardCharsets.UTF_16);
        assertThat(ForeignJettyWebXml.foreign(new ByteArrayInputStream(utf16))).contains(EE10);
    }

    @Test
    void aWarFileOrExplodedDirectoryIsReadAndItsJettyEe11WebXmlWins() throws IOException {
        String jettyWebXml = JETTY_PROLOG + configure(EE10);
        Map<String, String> foreignWar = Map.of("WEB-INF/web.xml", "<web-app/>", "WEB-INF/jetty-web.xml", jettyWebXml);
        Map<String, String> ee11War = Map.of("WEB-INF/jetty-web.xml", jettyWebXml,
                "WEB-INF/jetty-ee11-web.xml", JETTY_PROLOG + configure(EE11));

        assertThat(ForeignJettyWebXml.of(zip("foreign.war", foreignWar))).contains(EE10);
        assertThat(ForeignJettyWebXml.of(zip("ee11.war", ee11War))).isEmpty();
        assertThat(ForeignJettyWebXml.of(explode("foreign", foreignWar))).contains(EE10);
        assertThat(ForeignJettyWebXml.of(explode("ee11", ee11War))).isEmpty();
        assertThat(ForeignJettyWebXml.of(zip("plain.war", Map.of("WEB-INF/web.xml", "<web-app/>")))).isEmpty();
        assertThat(ForeignJettyWebXml.of(Files.writeString(dir.resolve("not-a-zip.war"), jettyWebXml))).isEmpty();
    }

    private Path zip(String name, Map<String, String> entries) throws IOException {
        Path war = dir.resolve(name);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(war))) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return war;
    }

    private Path explode(String name, Map<String, String> entries) throws IOException {
        Path war = dir.resolve(name);
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            Path file = war.resolve(entry.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, entry.getValue());
        }
        return war;
    }
}
