package dev.berth.deploy;

import dev.berth.config.BerthConfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loader over berth.classpath: a library Berth carries but hides from WARs comes from the jar given, classes and
 * resources alike; the JDK's classes, the Jakarta APIs and the PostgreSQL driver stay Berth's, whatever the jar holds.
 */
class ExtraClassPathTest {

    @TempDir
    Path dir;

    @Test
    void aHiddenLibraryComesFromTheJarAndWhatBerthProvidesOrTheJdkHasDoesNot() throws Exception {
        Path jar = dir.resolve("libs.jar");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            for (Class<?> type : new Class<?>[] {org.apache.commons.lang3.StringUtils.class, javax.sql.DataSource.class,
                    jakarta.servlet.Servlet.class, org.postgresql.Driver.class}) {
                String resource = type.getName().replace('.', '/') + ".class";
                out.putNextEntry(new ZipEntry(resource));
                try (InputStream in = type.getClassLoader() == null ? ClassLoader.getSystemResourceAsStream(resource)
                        : type.getClassLoader().getResourceAsStream(resource)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        ClassLoader loader = ExtraClassPath.parent(Optional.of(jar.toString()), BerthConfig.MigrateMode.AUTO, dir.resolve("cache"));

        Class<?> own = loader.loadClass("org.apache.commons.lang3.StringUtils");
        assertThat(own.getClassLoader()).isSameAs(loader);
        URL resource = loader.getResource("org/apache/commons/lang3/StringUtils.class");
        assertThat(resource.toString()).contains(jar.getFileName().toString());
        assertThat(Collections.list(loader.getResources("org/apache/commons/lang3/StringUtils.class")).get(0)).isEqualTo(resource);

        assertThat(loader.loadClass("javax.sql.DataSource")).isSameAs(javax.sql.DataSource.class);
        assertThat(loader.loadClass("jakarta.servlet.Servlet")).isSameAs(jakarta.servlet.Servlet.class);
        assertThat(loader.loadClass("org.postgresql.Driver")).isSameAs(org.postgresql.Driver.class);
    }

    @Test
    void withoutEntriesTheParentIsBerthsOwnLoader() throws IOException {
        assertThat(ExtraClassPath.parent(Optional.empty(), BerthConfig.MigrateMode.AUTO, dir)).isSameAs(ExtraClassPath.class.getClassLoader());
    }
}
