package dev.berth.migrate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** isThreadSafe leaves a converted WAR's page directives, jsp:plugin gives way to its fallback, and nothing else changes. */
class RemovedPageSyntaxTest {

    @Test
    void theAttributeLeavesPageDirectivesInBothSyntaxesAndNothingElseChanges() {
        assertThat(RemovedPageSyntax.strip("<%@ page contentType=\"text/html\" isThreadSafe=\"false\" %>\n<p>isThreadSafe=\"false\"</p>"))
                .isEqualTo("<%@ page contentType=\"text/html\" %>\n<p>isThreadSafe=\"false\"</p>");
        assertThat(RemovedPageSyntax.strip("<%@page isThreadSafe='true'\n   import=\"java.util.*\"%>"))
                .isEqualTo("<%@page\n   import=\"java.util.*\"%>");
        assertThat(RemovedPageSyntax.strip("<jsp:directive.page isThreadSafe = \"true\" language=\"java\"/>"))
                .isEqualTo("<jsp:directive.page language=\"java\"/>");
        String untouched = "<%@ taglib prefix=\"c\" uri=\"http://java.sun.com/jsp/jstl/core\" %>é";
        assertThat(RemovedPageSyntax.strip(untouched)).isSameAs(untouched);
    }

    @Test
    void aPluginActionGivesWayToItsFallbackTextOrToNothing() {
        assertThat(RemovedPageSyntax.strip("before\n<jsp:plugin type=\"applet\" code=\"Clock.class\" width=\"160\">\n"
                + "  <jsp:params><jsp:param name=\"color\" value=\"red\"/></jsp:params>\n"
                + "  <jsp:fallback>No <b>clock</b> here.</jsp:fallback>\n</jsp:plugin>\nafter"))
                .isEqualTo("before\nNo <b>clock</b> here.\nafter");
        assertThat(RemovedPageSyntax.strip("a<jsp:plugin type=\"bean\" code=\"X.class\"/>b<jsp:plugin code=\"Y\"></jsp:plugin >c"))
                .isEqualTo("abc");
        assertThat(RemovedPageSyntax.strip("<%@ page isThreadSafe=\"false\" %><jsp:plugin code=\"Z\"><jsp:fallback>z</jsp:fallback></jsp:plugin>"))
                .isEqualTo("<%@ page %>z");
        // a quoted value may hold '>' (an expression); what follows an empty action is kept
        assertThat(RemovedPageSyntax.strip("A<jsp:plugin type=\"applet\" codebase=\"<%= base %>/x\" code=\"C\"/>KEPT"
                + "<jsp:plugin code=\"D\"><jsp:fallback>fallback</jsp:fallback></jsp:plugin>Z"))
                .isEqualTo("AKEPTfallbackZ");
        // a JSP comment is left as it is
        String commented = "<%-- <jsp:plugin code=\"old\"/> --%>text";
        assertThat(RemovedPageSyntax.strip(commented)).isEqualTo(commented);
    }

    @Test
    void aWarIsWrittenAgainOnlyWhenAPageDeclaresItWithEveryOtherEntryAsItWas(@TempDir Path dir) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("index.jsp", "<%@ page isThreadSafe=\"false\" pageEncoding=\"UTF-8\" %>Grüße");
        entries.put("WEB-INF/web.xml", "<web-app/>");
        entries.put("WEB-INF/lib/notes.jsp", "<%@ page isThreadSafe=\"false\" %>");
        Path war = zip(dir.resolve("app.war"), entries);
        assertThat(RemovedPageSyntax.stripFrom(war)).containsExactly("index.jsp");
        Map<String, String> read = read(war);
        assertThat(read.get("index.jsp")).isEqualTo("<%@ page pageEncoding=\"UTF-8\" %>Grüße");
        assertThat(read.get("WEB-INF/web.xml")).isEqualTo("<web-app/>");
        assertThat(read.get("WEB-INF/lib/notes.jsp")).as("not a page of the WAR").isEqualTo("<%@ page isThreadSafe=\"false\" %>");

        long written = Files.getLastModifiedTime(war).toMillis();
        Path plain = zip(dir.resolve("plain.war"), Map.of("index.jsp", "<%@ page session=\"false\" %>"));
        byte[] before = Files.readAllBytes(plain);
        assertThat(RemovedPageSyntax.stripFrom(plain)).isEmpty();
        assertThat(Files.readAllBytes(plain)).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(war).toMillis()).isEqualTo(written);
    }

    private static Path zip(Path file, Map<String, String> entries) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return file;
    }

    private static Map<String, String> read(Path war) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(war.toFile())) {
            zip.stream().forEach(entry -> {
                try {
                    entries.put(entry.getName(), new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        return entries;
    }
}
