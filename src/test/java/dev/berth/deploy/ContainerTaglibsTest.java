package dev.berth.deploy;

import dev.berth.Berth;
import dev.berth.testing.Http;
import dev.berth.testing.Loopback;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JSPs use the JSTL Berth carries, under its Jakarta and its old URIs, with no JSTL jar in the WAR; a TLD the WAR
 * brings in a WEB-INF/lib jar wins over the container's for the same URI.
 */
class ContainerTaglibsTest {

    private static Berth berth;

    @BeforeAll
    static void start() throws Exception {
        berth = Loopback.serving(Wars.build("taglibs"));
    }

    @AfterAll
    static void stop() {
        berth.close();
    }

    @Test
    void jakartaTagsLoopAndFunctionsRender() {
        HttpResponse<String> page = Http.get(berth.port(), "/jakarta.jsp");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body().strip()).isEqualTo("3 names: 1=ADA 2=BOB 3=CY");
    }

    @Test
    void theOldJavaSunComUrisStillResolve() {
        HttpResponse<String> page = Http.get(berth.port(), "/javax.jsp");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body().strip()).isEqualTo("total 1,234.50");
    }

    @Test
    void aTldInTheWarsOwnJarWinsOverTheContainersForTheSameUri() {
        HttpResponse<String> page = Http.get(berth.port(), "/own.jsp");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body().strip()).isEqualTo("own length, 3");
    }
}
