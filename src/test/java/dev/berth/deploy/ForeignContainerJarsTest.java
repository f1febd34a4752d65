package dev.berth.deploy;

import dev.berth.Berth;
import dev.berth.testing.Http;
import dev.berth.testing.Loopback;
import dev.berth.testing.Wars;

import org.eclipse.jetty.websocket.server.OldJettyInitializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A WAR that carries an old Jetty's websocket jar deploys: that jar's initializer is skipped. */
class ForeignContainerJarsTest {

    @TempDir
    Path dir;

    /** The hello fixture plus WEB-INF/lib/websocket-server-9.4.jar declaring {@link OldJettyInitializer}. */
    private Path warWithOldJettyJar() throws Exception {
        Path war = dir.resolve("with-old-jetty.war");
        try (ZipFile hello = new ZipFile(Wars.hello().toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(war))) {
            for (ZipEntry entry : java.util.Collections.list(hello.entries())) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                try (InputStream in = hello.getInputStream(entry)) {
                    in.transferTo(out);
                }
            }
            out.putNextEntry(new ZipEntry("WEB-INF/lib/websocket-server-9.4.jar"));
            out.write(oldJettyJar());
        }
        return war;
    }

    private static byte[] oldJettyJar() throws Exception {
        String path = OldJettyInitializer.class.getName().replace('.', '/') + ".class";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream jar = new ZipOutputStream(bytes); InputStream clazz = OldJettyInitializer.class.getClassLoader().getResourceAsStream(path)) {
            jar.putNextEntry(new ZipEntry(path));
            clazz.transferTo(jar);
            jar.putNextEntry(new ZipEntry("META-INF/services/jakarta.servlet.ServletContainerInitializer"));
            jar.write((OldJettyInitializer.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    @Test
    void anOldJettyJarsInitializerIsSkippedAndTheWarServes() throws Exception {
        try (Berth berth = Loopback.serving(warWithOldJettyJar())) {
            assertThat(Http.get(berth.port(), "/annotated").body()).isEqualTo("annotated servlet at /annotated");
        }
    }
}
