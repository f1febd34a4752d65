package dev.berth.security;

import dev.berth.Berth;
import dev.berth.testing.Http;
import dev.berth.testing.Loopback;
import dev.berth.testing.RawHttp;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Only the WAR's public files are served: no listings, nothing under WEB-INF, nothing a link points to outside. */
class WhatIsServedTest {

    @TempDir
    Path dir;

    @Test
    void aDirectoryWithoutAWelcomeFileIsNotListedByDefault() throws Exception {
        try (Berth berth = Loopback.serving(Wars.build("exposed"))) {
            assertThat(Http.get(berth.port(), "/static/file.txt").statusCode()).isEqualTo(200);
            var listing = Http.get(berth.port(), "/static/");
            assertThat(listing.statusCode()).isEqualTo(403);
            assertThat(listing.body()).doesNotContain("file.txt");
        }
    }

    @Test
    void listingsAreServedWhenAskedFor() throws Exception {
        try (Berth berth = Loopback.serving(Wars.build("exposed"), "berth.dir-listing", "true")) {
            assertThat(Http.get(berth.port(), "/static/").body()).contains("file.txt");
        }
    }

    @ParameterizedTest(name = "GET {0} never answers with the WAR''s private files")
    @ValueSource(strings = {"/WEB-INF/web.xml", "/web-inf/web.xml", "/WEB-INF/", "/META-INF/MANIFEST.MF", "/%2e%2e/WEB-INF/web.xml",
        "/static/..%2fWEB-INF/web.xml", "/static/%2e%2e/WEB-INF/web.xml", "/./WEB-INF/web.xml", "/static/../WEB-INF/web.xml",
        "/WEB-INF%2fweb.xml", "/..;/WEB-INF/web.xml", "/%2e/WEB-INF/web.xml", "/static/..%5cWEB-INF%5cweb.xml", "/../../../../etc/passwd"})
    void traversalNeverReachesPrivateFiles(String path) throws Exception {
        try (Berth berth = Loopback.serving(Wars.build("exposed"))) {
            String response = RawHttp.exchange(berth.port(), "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(RawHttp.status(response)).isIn(400, 403, 404);
            assertThat(response).doesNotContain("<web-app", "Manifest-Version", "root:");
        }
    }

    @Test
    void aSymbolicLinkInAnExplodedWarIsServedOnlyWhenItStaysInside() throws Exception {
        Path exploded = Wars.explode(Wars.build("exposed"), dir.resolve("exposed"));
        Path secret = Files.writeString(dir.resolve("outside.txt"), "SECRET=outside the WAR\n");
        Files.createSymbolicLink(exploded.resolve("static/leak.txt"), secret);
        Files.createSymbolicLink(exploded.resolve("static/alias.txt"), exploded.resolve("static/file.txt"));
        try (Berth berth = Loopback.serving(exploded)) {
            var leak = Http.get(berth.port(), "/static/leak.txt");
            assertThat(leak.statusCode()).isEqualTo(404);
            assertThat(leak.body()).doesNotContain("SECRET");
            assertThat(Http.get(berth.port(), "/static/alias.txt").body()).contains("a static file");
        }
    }
}
