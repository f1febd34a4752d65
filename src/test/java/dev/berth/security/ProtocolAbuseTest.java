package dev.berth.security;

import dev.berth.testing.RawHttp;
import dev.berth.testing.ServingBerth;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests built to confuse a server: each is refused and the connection is not left to a second, hidden request. */
class ProtocolAbuseTest {

    @RegisterExtension
    static final ServingBerth berth = new ServingBerth(() -> Wars.build("exposed"), "berth.http.idle-timeout", "1s",
            "berth.access-log", "off");

    @ParameterizedTest(name = "{0} is refused with {2}")
    @CsvSource(delimiter = '|', value = {
        "Content-Length and chunked together | POST /parameters HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 4\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\nGET /WEB-INF/web.xml HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 400",
        "two different Content-Lengths | POST /parameters HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 4\\r\\nContent-Length: 40\\r\\n\\r\\nabcd | 400",
        "an obfuscated Transfer-Encoding | POST /parameters HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: xchunked\\r\\n\\r\\n0\\r\\n\\r\\n | 400",
        "a folded header | GET /parameters HTTP/1.1\\r\\nHost: x\\r\\nX-Folded: a\\r\\n b\\r\\n\\r\\n | 400",
        "a header without a colon | GET /parameters HTTP/1.1\\r\\nHost: x\\r\\nNoColon\\r\\n\\r\\n | 400",
        "two Host headers | GET /parameters HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n | 400",
        "no Host header | GET /parameters HTTP/1.1\\r\\n\\r\\n | 400",
        "an 8 KiB header block and more | GET /parameters HTTP/1.1\\r\\nHost: x\\r\\nX-Filler: {filler}\\r\\n\\r\\n | 431"})
    void aConfusingRequestIsRefused(String name, String request, int status) {
        String raw = request.replace("\\r\\n", "\r\n").replace("{filler}", "x".repeat(10_000));
        String response = RawHttp.exchange(berth.port(), raw);
        assertThat(RawHttp.status(response)).isEqualTo(status);
        assertThat(response).doesNotContain("<web-app", "HTTP/1.1 200");
    }

    @Test
    void aClientThatSendsItsHeadersSlowerThanTheIdleTimeoutIsDisconnected() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", berth.port()), 5000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /parameters HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // the request never ends: with a 1 s idle timeout the server closes; the 20 s read timeout bounds the test
            InputStream in = socket.getInputStream();
            byte[] answer = in.readAllBytes();
            assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotContain("HTTP/1.1 200");
        }
    }
}
