package dev.berth.server;

import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which incoming id a request keeps, and the one Berth makes when it has none it can trust in a log line. */
class RequestIdsTest {

    private static String idOf(String... headers) {
        HttpFields.Mutable fields = HttpFields.build();
        for (int i = 0; i < headers.length; i += 2) {
            fields.add(headers[i], headers[i + 1]);
        }
        return RequestIds.incoming(fields);
    }

    @Test
    void theRoutersIdIsKept() {
        assertThat(idOf("X-Request-Id", "f03f9b6e-3c1d-4c8e-9b1e-2f8a4b7c6d5e")).isEqualTo("f03f9b6e-3c1d-4c8e-9b1e-2f8a4b7c6d5e");
        assertThat(idOf("x-request-id", "abc")).isEqualTo("abc");
        assertThat(idOf("X-Railway-Request-Id", "rw-9Kx2")).isEqualTo("rw-9Kx2");
    }

    @Test
    void aW3cTraceparentGivesItsTraceId() {
        assertThat(idOf("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(idOf("X-Request-Id", "router-id-1", "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
                .as("an X-Request-Id comes first").isEqualTo("router-id-1");
    }

    @Test
    void anIdThatCouldForgeALogLineOrATraceThatIsInvalidIsReplaced() {
        for (String[] headers : new String[][] {
                {"X-Request-Id", "abc def"}, {"X-Request-Id", "abc\"} {\"x"}, {"X-Request-Id", "a".repeat(201)}, {"X-Request-Id", ""},
                {"traceparent", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
                {"traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"},
                {"traceparent", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"}}) {
            assertThat(idOf(headers)).as(String.join(": ", headers)).matches("[0-9a-f]{32}");
        }
    }

    @Test
    void aNewIdIsThirtyTwoHexDigitsAndNeverTheSameTwice() {
        assertThat(RequestIds.newId()).matches("[0-9a-f]{32}").isNotEqualTo(RequestIds.newId());
    }
}
