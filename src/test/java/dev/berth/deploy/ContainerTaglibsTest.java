package dev.berth.deploy;

import dev.berth.testing.Http;
import dev.berth.testing.ServingBerth;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JSPs use the JSTL Berth carries, under its Jakarta and its old URIs, with no JSTL jar in the WAR; a TLD the WAR
 * brings in a WEB-INF/lib jar wins over the container's for the same URI.
 */
class ContainerTaglibsTest {

    @RegisterExtension
    static final ServingBerth berth = new ServingBerth(() -> Wars.build("taglibs"));

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
