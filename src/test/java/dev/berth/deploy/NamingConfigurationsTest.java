package dev.berth.deploy;

import dev.berth.Berth;
import dev.berth.testing.Http;
import dev.berth.testing.Loopback;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jetty's JNDI configurations run only for a WAR that uses JNDI; one that only has a {@code @PostConstruct} method
 * uses them too (Plus runs it), and a WAR that uses none of it serves all the same.
 */
class NamingConfigurationsTest {

    @Test
    void aPostConstructMethodRunsBeforeTheServletServes() throws Exception {
        try (Berth berth = Loopback.serving(Wars.build("lifecycle"))) {
            assertThat(Http.get(berth.port(), "/started").body()).isEqualTo("post-construct ran: true");
        }
    }

    @Test
    void aWarWithoutJndiServesItsAnnotatedServletsPagesAndFiles() throws Exception {
        try (Berth berth = Loopback.serving(Wars.hello())) {
            assertThat(Http.get(berth.port(), "/annotated").statusCode()).isEqualTo(200);
            assertThat(Http.get(berth.port(), "/hello.jsp").statusCode()).isEqualTo(200);
            assertThat(Http.get(berth.port(), "/index.html").statusCode()).isEqualTo(200);
        }
    }
}
