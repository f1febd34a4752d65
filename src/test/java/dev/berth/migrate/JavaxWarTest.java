package dev.berth.migrate;

import dev.berth.Berth;
import dev.berth.base.BerthException;
import dev.berth.base.ExitCode;
import dev.berth.testing.Http;
import dev.berth.testing.Loopback;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A Java EE 8 WAR (the javax fixture) converted on the fly, cached, refused when asked to, and its removed calls bridged. */
class JavaxWarTest {

    @TempDir
    Path cache;

    private List<Path> cached() throws Exception {
        try (Stream<Path> files = Files.list(cache)) {
            return files.filter(f -> f.toString().endsWith(".war")).toList();
        }
    }

    @Test
    void theBytecodeSaysJavaxWhateverTheDescriptorSays() throws Exception {
        ServletNamespace javax = ServletNamespace.of(Wars.build("javax"));
        assertThat(javax.isJavax()).isTrue();
        assertThat(javax.describeJavax()).isEqualTo("1 in WEB-INF/classes");
        ServletNamespace jakarta = ServletNamespace.of(Wars.hello());
        assertThat(jakarta.isJavax()).isFalse();
        assertThat(jakarta.javaxClasses()).isZero();
    }

    @Test
    void aJavaxWarIsConvertedServesItsPageWithTheRemovedCallsBridgedAndTheNextStartUsesTheCache() throws Exception {
        try (Berth berth = Loopback.serving(Wars.build("javax"), "berth.migrate.cache-dir", cache.toString())) {
            HttpResponse<String> page = Http.get(berth.port(), "/legacy");
            assertThat(page.statusCode()).isEqualTo(202);
            // a new session has no cookie yet, so encodeUrl (bridged to encodeURL) adds the session id
            assertThat(page.body()).matches("javax servlet on Jakarta: visits=1 names=visits url=/next;jsessionid=\\S+");
            HttpResponse<String> jsp = Http.get(berth.port(), "/single.jsp");
            assertThat(jsp.statusCode()).as("Pages 4 refuses isThreadSafe: the conversion dropped it").isEqualTo(200);
            assertThat(jsp.body()).contains("a Java EE 8 page that asked for one request at a time");
            HttpResponse<String> applet = Http.get(berth.port(), "/applet.jsp");
            assertThat(applet.statusCode()).as("Pages 4 refuses jsp:plugin: the conversion put its fallback there").isEqualTo(200);
            assertThat(applet.body()).contains("the clock:\nthis browser cannot run the clock applet").doesNotContain("jsp:");
        }
        List<Path> entries = cached();
        assertThat(entries).singleElement().satisfies(e -> assertThat(e.getFileName().toString())
                .matches("[0-9a-f]{64}-" + Migrator.TOOL_VERSION + "-" + ContainerProfile.ID + "\\.war"));
        long converted = Files.getLastModifiedTime(entries.get(0)).toMillis();
        try (Berth berth = Loopback.serving(Wars.build("javax"), "berth.migrate.cache-dir", cache.toString())) {
            assertThat(Http.get(berth.port(), "/legacy").statusCode()).isEqualTo(202);
        }
        assertThat(cached()).as("the same WAR has the same entry").containsExactlyElementsOf(entries);
        assertThat(Files.getLastModifiedTime(entries.get(0)).toMillis()).as("taken from the cache, not written again").isEqualTo(converted);
    }

    @Test
    void aCorruptCacheEntryIsNeverUsedButMadeAgain() throws Exception {
        try (Berth berth = Loopback.serving(Wars.build("javax"), "berth.migrate.cache-dir", cache.toString())) {
            assertThat(Http.get(berth.port(), "/legacy").statusCode()).isEqualTo(202);
        }
        Path entry = cached().get(0);
        Files.writeString(entry, "half a zip");
        try (Berth berth = Loopback.serving(Wars.build("javax"), "berth.migrate.cache-dir", cache.toString())) {
            assertThat(Http.get(berth.port(), "/legacy").statusCode()).isEqualTo(202);
        }
        assertThat(Files.size(entry)).isGreaterThan(100);
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files).as("no temporary file left").allSatisfy(f -> assertThat(f.getFileName().toString()).doesNotStartWith("."));
        }
    }

    @Test
    void withMigrationOffAJavaxWarFailsAndTheActionSaysWhy() throws Exception {
        try (Berth berth = Loopback.start("berth.war", Wars.build("javax").toString(), "berth.migrate", "off", "berth.migrate.cache-dir", cache.toString())) {
            assertThatThrownBy(berth::awaitDeployment).isInstanceOfSatisfying(BerthException.class, e -> {
                assertThat(e.exitCode()).isEqualTo(ExitCode.SOFTWARE);
                assertThat(e.action()).hasValueSatisfying(a -> assertThat(a).contains("berth.migrate=off", "leave berth.migrate at auto"));
            });
        }
        assertThat(cached()).isEmpty();
    }
}
