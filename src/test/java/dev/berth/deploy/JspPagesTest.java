package dev.berth.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which WARs get JSTL's TLDs: those with pages Jasper compiles that name JSTL, wherever Jetty serves them from. */
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
        assertThat(JspPages.in(war, List.of())).isEqualTo(JspPages.Use.NONE);
    }

    @Test
    void pagesAnywhereInTheWarCountWhateverTheirCase() throws IOException {
        file("WEB-INF/views/home.jsp");
        assertThat(JspPages.in(war, List.of())).isEqualTo(JspPages.Use.PAGES);
        Files.delete(war.resolve("WEB-INF/views/home.jsp"));
        file("legacy/PAGE.JSPX");
        assertThat(JspPages.in(war, List.of())).isEqualTo(JspPages.Use.PAGES);
    }

    @Test
    void filesInWebInfLibAndClassesAreNotPages() throws IOException {
        file("WEB-INF/lib/templates.jsp");
        file("WEB-INF/classes/templates/page.jsp");
        assertThat(JspPages.in(war, List.of())).isEqualTo(JspPages.Use.NONE);
    }

    @Test
    void aWebXmlThatMapsOtherFilesToJspCounts() throws IOException {
        Files.createDirectories(war.resolve("WEB-INF"));
        Files.writeString(war.resolve("WEB-INF/web.xml"),
                "<web-app><jsp-config><jsp-property-group><url-pattern>*.html</url-pattern></jsp-property-group></jsp-config></web-app>");
        assertThat(JspPages.in(war, List.of())).isEqualTo(JspPages.Use.JSTL);
    }

    @Test
    void pagesInAJarsMetaInfResourcesCount() throws IOException {
        Path jar = Files.createDirectories(war.resolve("WEB-INF/lib")).resolve("pages.jar");
        try (FileSystem zip = FileSystems.newFileSystem(jar, Map.of("create", "true"))) {
            Path page = zip.getPath("/META-INF/resources/admin/panel.jsp");
            Files.createDirectories(page.getParent());
            Files.writeString(page, "x");
            assertThat(JspPages.in(war, List.of(zip.getPath("/META-INF/resources")))).isEqualTo(JspPages.Use.PAGES);
            assertThat(JspPages.in(war, List.of(zip.getPath("/META-INF/resources/admin/missing")))).isEqualTo(JspPages.Use.NONE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "<%@ taglib prefix=\"c\" uri=\"jakarta.tags.core\" %>",
        "<%@ taglib uri='http://java.sun.com/jsp/jstl/fmt' prefix='fmt' %>",
        "<%@ taglib prefix=\"c\" uri=\"http://java.sun.com/jstl/core_rt\" %>",
        "<jsp:root xmlns:jsp=\"jakarta.tags.jsp\" xmlns:fn=\"jakarta.tags.functions\"/>"})
    void aPageThatNamesAJstlUriUsesJstl(String directive) throws IOException {
        file("index.jsp");
        Path page = war.resolve("WEB-INF/views/list.jsp");
        Files.createDirectories(page.getParent());
        Files.writeString(page, directive + "\n<p>list</p>\n");
        assertThat(JspPages.in(war, List.of())).isEqualTo(JspPages.Use.JSTL);
    }

    @Test
    void aTagFileThatNamesJstlCountsAndAnOwnTaglibDoesNot() throws IOException {
        Path page = war.resolve("index.jsp");
        Files.writeString(page, "<%@ taglib prefix=\"my\" tagdir=\"/WEB-INF/tags\" %><my:list/>");
        Path tag = Files.createDirectories(war.resolve("WEB-INF/tags")).resolve("list.tag");
        Files.writeString(tag, "<%@ taglib prefix=\"app\" uri=\"http://example.com/app\" %>");
        assertThat(JspPages.in(war, List.of())).isEqualTo(JspPages.Use.PAGES);
        Files.writeString(tag, "<%@ taglib prefix=\"c\" uri=\"jakarta.tags.core\" %><c:out value=\"x\"/>");
        assertThat(JspPages.in(war, List.of())).isEqualTo(JspPages.Use.JSTL);
    }

    @Test
    void aPageInUtf16MayUseJstl() throws IOException {
        Files.write(war.resolve("index.jsp"), "<%@ taglib prefix=\"c\" uri=\"jakarta.tags.core\" %>".getBytes(StandardCharsets.UTF_16));
        assertThat(JspPages.in(war, List.of())).isEqualTo(JspPages.Use.JSTL);
    }
}
