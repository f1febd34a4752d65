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

/** A WAR's classes that name Tomcat's class loader, told apart from those that name another class of its package. */
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
}
