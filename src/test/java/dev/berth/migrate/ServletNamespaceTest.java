package dev.berth.migrate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WAR's classes that name Tomcat's class loader, told apart from those that name another class of its package; and
 * whether a WAR uses JNDI, which decides whether Jetty's JNDI configurations run for it.
 */
class ServletNamespaceTest {

    @TempDir
    Path dir;

    @Test
    void onlyTheConstantThatNamesTomcatsLoaderItselfCounts() throws IOException {
        assertThat(ServletNamespace.of(war("casts.war", "org/apache/catalina/loader/WebappClassLoader")).castsToTomcatsLoader()).isTrue();
        assertThat(ServletNamespace.of(war("base.war", "org/apache/catalina/loader/WebappClassLoaderBase")).castsToTomcatsLoader()).isFalse();
        assertThat(ServletNamespace.of(war("none.war", "java/lang/Object")).castsToTomcatsLoader()).isFalse();
    }

    /** A WAR with one "class" whose constant pool holds {@code name} as a UTF-8 entry (its length, then its bytes). */
    private Path war(String file, String name) throws IOException {
        Path war = dir.resolve(file);
        byte[] text = name.getBytes(StandardCharsets.US_ASCII);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(war))) {
            out.putNextEntry(new ZipEntry("WEB-INF/classes/Plugins.class"));
            out.write(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 1, (byte) (text.length >> 8), (byte) text.length});
            out.write(text);
            out.closeEntry();
        }
        return war;
    }

    @Test
    void aWarUsesJndiWhenAClassAFragmentOrADescriptorSaysSo() throws IOException {
        assertThat(ServletNamespace.of(unpacked("plain", "WEB-INF/classes/Hello.class", "jakarta/servlet/http/HttpServlet")).usesNaming())
                .isFalse();
        for (String[] use : new String[][] {
            {"lookup", "WEB-INF/classes/Lookup.class", "javax/naming/InitialContext"},
            {"resource", "WEB-INF/classes/Injected.class", "Ljakarta/annotation/Resource;"},
            {"post-construct", "WEB-INF/classes/Started.class", "Ljakarta/annotation/PostConstruct;"},
            {"env-entry", "WEB-INF/web.xml", "<web-app><env-entry><env-entry-name>x</env-entry-name></env-entry></web-app>"},
            {"jetty-env", "WEB-INF/jetty-env.xml", "<Configure/>"},
            {"context-xml", "META-INF/context.xml", "<Context/>"}}) {
            assertThat(ServletNamespace.of(unpacked(use[0], use[1], use[2])).usesNaming()).as(use[0]).isTrue();
        }
        Path fragment = unpacked("fragment", "WEB-INF/classes/Hello.class", "jakarta/servlet/http/HttpServlet");
        try (ZipOutputStream jar = new ZipOutputStream(Files.newOutputStream(fragment.resolve("WEB-INF/lib/library.jar")))) {
            jar.putNextEntry(new ZipEntry("META-INF/web-fragment.xml"));
            jar.write("<web-fragment><resource-ref><res-ref-name>jdbc/x</res-ref-name></resource-ref></web-fragment>"
                    .getBytes(StandardCharsets.UTF_8));
        }
        assertThat(ServletNamespace.of(fragment).usesNaming()).as("a library's web-fragment.xml").isTrue();
        Path utf16 = unpacked("utf16", "WEB-INF/classes/Hello.class", "jakarta/servlet/http/HttpServlet");
        Files.writeString(utf16.resolve("WEB-INF/web.xml"), "\uFEFF<web-app/>", StandardCharsets.UTF_16LE);
        assertThat(ServletNamespace.of(utf16).usesNaming()).as("a web.xml whose element names cannot be searched").isTrue();
    }

    /** An unpacked WAR with one file holding {@code content}, and an empty WEB-INF/lib. */
    private Path unpacked(String name, String file, String content) throws IOException {
        Path root = dir.resolve(name);
        Files.createDirectories(root.resolve("WEB-INF/lib"));
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, content, StandardCharsets.UTF_8);
        return root;
    }
}
