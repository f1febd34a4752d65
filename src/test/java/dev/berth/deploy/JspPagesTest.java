package dev.berth.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which WARs get JSTL's TLDs: those with pages Jasper compiles, wherever Jetty serves them from. */
class JspPagesTest {

    @TempDir
    Path war;

    private void file(String path) throws IOException {
        Path file = war.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "x");
    }

    @Test
    void aWarOfServletsAndStaticFilesHasNone() throws IOException {
        file("index.html");
        file("js/app.js");
        file("WEB-INF/web.xml");
        file("WEB-INF/classes/app/Servlet.class");
        assertThat(JspPages.in(war, List.of())).isFalse();
    }

    @Test
    void pagesAnywhereInTheWarCountWhateverTheirCase() throws IOException {
        file("WEB-INF/views/home.jsp");
        assertThat(JspPages.in(war, List.of())).isTrue();
        Files.delete(war.resolve("WEB-INF/views/home.jsp"));
        file("legacy/PAGE.JSPX");
        assertThat(JspPages.in(war, List.of())).isTrue();
    }

    @Test
    void filesInWebInfLibAndClassesAreNotPages() throws IOException {
        file("WEB-INF/lib/templates.jsp");
        file("WEB-INF/classes/templates/page.jsp");
        assertThat(JspPages.in(war, List.of())).isFalse();
    }

    @Test
    void aWebXmlThatMapsOtherFilesToJspCounts() throws IOException {
        Files.createDirectories(war.resolve("WEB-INF"));
        Files.writeString(war.resolve("WEB-INF/web.xml"),
                "<web-app><jsp-config><jsp-property-group><url-pattern>*.html</url-pattern></jsp-property-group></jsp-config></web-app>");
        assertThat(JspPages.in(war, List.of())).isTrue();
    }

    @Test
    void pagesInAJarsMetaInfResourcesCount() throws IOException {
        Path jar = Files.createDirectories(war.resolve("WEB-INF/lib")).resolve("pages.jar");
        try (FileSystem zip = FileSystems.newFileSystem(jar, Map.of("create", "true"))) {
            Path page = zip.getPath("/META-INF/resources/admin/panel.jsp");
            Files.createDirectories(page.getParent());
            Files.writeString(page, "x");
            assertThat(JspPages.in(war, List.of(zip.getPath("/META-INF/resources")))).isTrue();
            assertThat(JspPages.in(war, List.of(zip.getPath("/META-INF/resources/admin/missing")))).isFalse();
        }
    }
}
