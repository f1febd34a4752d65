package dev.berth.migrate;

import dev.berth.config.BerthConfig;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A javax jar of berth.classpath: converted to Jakarta, cached, and its calls to methods Servlet 6 removed rewritten
 * into the bridges in the jar itself (its loader takes no class-load transformer, unlike a WAR's).
 */
class LibraryConversionTest {

    @TempDir
    Path dir;

    @Test
    void aJavaxLibraryIsConvertedWithItsRemovedCallsBridgedAndAJakartaOneIsLeftAsItIs() throws IOException {
        Path javax = plainJar("legacy-lib.jar", Wars.build("javax"));
        Path cache = dir.resolve("cache");
        Path converted = JavaxWars.libraryForJakarta(javax, BerthConfig.MigrateMode.AUTO, cache);
        assertThat(converted).isNotEqualTo(javax).startsWith(cache);
        assertThat(converted.getFileName().toString()).endsWith("-" + ContainerProfile.ID + ".jar");
        String classes = allClasses(converted);
        assertThat(classes).doesNotContain("javax/servlet/").contains("jakarta/servlet/")
                .as("encodeUrl is a call to the bridge").contains("dev/berth/migrate/ServletBridges");
        assertThat(JavaxWars.libraryForJakarta(javax, BerthConfig.MigrateMode.AUTO, cache)).as("from the cache").isEqualTo(converted);

        assertThat(JavaxWars.libraryForJakarta(javax, BerthConfig.MigrateMode.OFF, cache)).isEqualTo(javax);
        Path jakarta = plainJar("modern-lib.jar", Wars.hello());
        assertThat(JavaxWars.libraryForJakarta(jakarta, BerthConfig.MigrateMode.AUTO, cache)).isEqualTo(jakarta);
    }

    /** The classes of a fixture WAR's WEB-INF/classes as a plain jar. */
    private Path plainJar(String name, Path war) throws IOException {
        Path jar = dir.resolve(name);
        try (ZipFile in = new ZipFile(war.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            for (ZipEntry entry : Collections.list(in.entries())) {
                if (entry.getName().startsWith("WEB-INF/classes/") && entry.getName().endsWith(".class")) {
                    out.putNextEntry(new ZipEntry(entry.getName().substring("WEB-INF/classes/".length())));
                    in.getInputStream(entry).transferTo(out);
                    out.closeEntry();
                }
            }
        }
        return jar;
    }

    private static String allClasses(Path jar) throws IOException {
        StringBuilder text = new StringBuilder();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                text.append(new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.ISO_8859_1));
            }
        }
        return text.toString();
    }
}
