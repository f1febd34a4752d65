package dev.berth.resources;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The resource-refs of a web.xml, found whatever encoding it is written in; none without one, with no parsing. */
class WebXmlResourceRefsTest {

    @TempDir
    Path dir;

    private static final String WITH_REF = "<web-app><resource-ref><res-ref-name>jdbc/app</res-ref-name>"
            + "<res-type>javax.sql.DataSource</res-type></resource-ref></web-app>";

    @Test
    void aRefIsFoundInUtf8AndInUtf16() throws IOException {
        Path utf8 = Files.writeString(dir.resolve("utf8.xml"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + WITH_REF);
        Path utf16 = Files.writeString(dir.resolve("utf16.xml"), "\uFEFF<?xml version=\"1.0\" encoding=\"UTF-16\"?>" + WITH_REF,
                StandardCharsets.UTF_16LE);
        for (Path webXml : new Path[] {utf8, utf16}) {
            assertThat(WebXmlResourceRefs.of(webXml)).as(webXml.getFileName().toString())
                    .containsExactly(new WebXmlResourceRefs.Ref("jdbc/app", WebXmlResourceRefs.DATA_SOURCE));
        }
    }

    @Test
    void aWebXmlWithoutRefsOrNoWebXmlHasNone() throws IOException {
        Path plain = Files.writeString(dir.resolve("web.xml"), "<web-app><servlet><servlet-name>a</servlet-name></servlet></web-app>");
        assertThat(WebXmlResourceRefs.of(plain)).isEmpty();
        assertThat(WebXmlResourceRefs.of(dir.resolve("absent.xml"))).isEmpty();
    }
}
