package dev.berth.server;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs before Jetty's {@code ForwardedRequestCustomizer} and leaves it only what the trusted proxies wrote.
 * Each proxy appends the address it saw to {@code X-Forwarded-For} (and a {@code Forwarded} element), so
 * only the last {@code berth.proxy.trusted-hops} entries are theirs; what stands left of them the client
 * wrote itself. The client is the leftmost trusted entry. Forwarded host and port are honoured only for
 * hosts on {@code berth.proxy.host}: a client must not steer absolute redirects to a site of its choosing.
 */
final class TrustedForwarding implements HttpConfiguration.Customizer {

    private static final String FORWARDED_HOST = "host=";

    private final int trustedHops;
    private final Set<String> allowedHosts;

    TrustedForwarding(int trustedHops, List<String> allowedHosts) {
        this.trustedHops = trustedHops;
        this.allowedHosts = allowedHosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).collect(Collectors.toSet());
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        HttpFields original = request.getHeaders();
        if (!original.contains(HttpHeader.X_FORWARDED_FOR) && !original.contains(HttpHeader.FORWARDED)
                && !original.contains(HttpHeader.X_FORWARDED_HOST) && !original.contains(HttpHeader.X_FORWARDED_SERVER)) {
            return request;
        }
        HttpFields.Mutable headers = HttpFields.build(original);
        trust(headers, HttpHeader.X_FORWARDED_FOR);
        trust(headers, HttpHeader.FORWARDED);
        String host = original.get(HttpHeader.X_FORWARDED_HOST);
        if (host != null && !allowed(host)) {
            headers.remove(HttpHeader.X_FORWARDED_HOST);
            headers.remove(HttpHeader.X_FORWARDED_PORT);
        }
        headers.remove(HttpHeader.X_FORWARDED_SERVER);
        HttpFields trusted = headers.asImmutable();
        return new Request.Wrapper(request) {
            @Override
            public HttpFields getHeaders() {
                return trusted;
            }
        };
    }

    /** Keeps the element the farthest trusted proxy added, and of a Forwarded element only an allowed host. */
    private void trust(HttpFields.Mutable headers, HttpHeader header) {
        List<String> elements = headers.getValuesList(header).stream()
                .flatMap(value -> Arrays.stream(value.split(","))).map(String::strip).filter(e -> !e.isEmpty()).toList();
        headers.remove(header);
        if (elements.size() < trustedHops) {
            return;
        }
        String element = elements.get(elements.size() - trustedHops);
        if (header == HttpHeader.FORWARDED) {
            element = Arrays.stream(element.split(";")).map(String::strip)
                    .filter(pair -> !pair.toLowerCase(Locale.ROOT).startsWith(FORWARDED_HOST) || allowed(pair.substring(FORWARDED_HOST.length())))
                    .collect(Collectors.joining(";"));
        }
        headers.add(header, element);
    }

    private boolean allowed(String host) {
        String name = host.strip().replace("\"", "").toLowerCase(Locale.ROOT);
        int colon = name.lastIndexOf(':');
        String withoutPort = colon > 0 && name.indexOf(']') < colon ? name.substring(0, colon) : name;
        return allowedHosts.contains(name) || allowedHosts.contains(withoutPort);
    }
}
