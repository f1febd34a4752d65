package dev.berth.image;

import dev.berth.testing.BerthImage;
import dev.berth.testing.Container;
import dev.berth.testing.Http;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The images users build on Berth's, with the README's Dockerfiles: an application image whose AOT cache is trained
 * again with its WAR, and a Java EE 8 (javax) WAR converted at build time. Each is built, then run under Render's
 * Starter limits with the image's own command.
 */
class ApplicationImageIT {

    private static BerthImage image;

    @TempDir
    Path context;

    @BeforeAll
    static void build() {
        image = BerthImage.build();
    }

    @Test
    void anApplicationImageRetrainsTheAotCacheWithItsWarAndStartsFromIt() throws Exception {
        copy(Wars.hello(), "target/app.war");
        BerthImage app = image.derive("berth-it-app", """
                FROM berth
                COPY target/app.war /app/app.war
                RUN java -XX:AOTCacheOutput=/app/berth.aot -jar /opt/berth/berth.jar --train --host=127.0.0.1 \\
                        --port=0 --fallback-ports= --access-log=off /app/app.war
                """, context);
        try (Container container = app.container().env("JDK_JAVA_OPTIONS", "-Xlog:aot -Xlog:class+load").start()) {
            container.awaitOk("/health");
            HttpResponse<String> page = Http.get(container.port(), "/annotated");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(container.logs())
                    .contains("Opened AOT cache /app/berth.aot.", "Using AOT-linked classes: true", "app.war deployed in")
                    .doesNotContain("Unable to map shared spaces")
                    .as("the WAR's own classes come from the cache the image trained")
                    .containsPattern("dev\\.berth\\.fixture\\.hello\\.AnnotatedServlet source: shared objects file");
        } finally {
            app.remove();
        }
    }

    @Test
    void aJavaxWarConvertedAtBuildTimeServesWithoutAConversionAtStart() throws Exception {
        copy(Wars.build("javax"), "target/legacy.war");
        BerthImage legacy = image.derive("berth-it-javax", """
                FROM berth
                COPY target/legacy.war /app/legacy.war
                RUN java -jar /opt/berth/berth.jar --convert /app/legacy.war /app/app.war && rm /app/legacy.war
                """, context);
        try (Container container = legacy.container().start()) {
            container.awaitOk("/health");
            HttpResponse<String> page = Http.get(container.port(), "/legacy");
            assertThat(page.statusCode()).isEqualTo(202);
            assertThat(page.body()).startsWith("javax servlet on Jakarta: visits=1");
            assertThat(container.logs()).contains("app.war deployed in").doesNotContain("is a Java EE 8 (javax.servlet) WAR");
            assertThat(container.exec("ls", "/app").lines()).contains("app.war").doesNotContain("legacy.war");
        } finally {
            legacy.remove();
        }
    }

    /** Puts a copy of {@code war} in the build context, readable by anyone as a build's WAR is (COPY keeps the mode). */
    private void copy(Path war, String to) throws Exception {
        Path file = context.resolve(to);
        Files.createDirectories(file.getParent());
        Files.copy(war, file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }
}
