package dev.berth.server;

import dev.berth.config.ProxyHeaders;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs before Jetty's {@code ForwardedRequestCustomizer} and leaves it, and the application, only what the
 * trusted proxies wrote. A forwarding header the platform's proxy does not write ({@code berth.proxy.headers})
 * is removed: a client wrote it. Of a header the proxies do write, each proxy appends what it saw (or replaces
 * the value), so only the last {@code berth.proxy.trusted-hops} entries are theirs; what stands left of them
 * the client wrote itself. Of addresses, scheme, port and host the value kept is the one the farthest trusted proxy
 * wrote; of any other header (X-Real-IP, Fly-Client-IP, the HTTPS flags), the last. Forwarded host and port
 * are honoured only for hosts on {@code berth.proxy.host}: a client must not steer absolute redirects to a site
 * of its choosing.
 */
final class TrustedForwarding implements HttpConfiguration.Customizer {

    private static final String FORWARDED_HOST = "host=";
    private static final String X_FORWARDED_FOR = "X-Forwarded-For";

    private final ProxyHeaders believed;
    private final List<String> forwarding = ProxyHeaders.forwardingHeaders();
    private final Set<String> forwardingLowerCase = forwarding.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    private final int trustedHops;
    private final Set<String> allowedHosts;

    TrustedForwarding(ProxyHeaders believed, int trustedHops, List<String> allowedHosts) {
        this.believed = believed;
        this.trustedHops = trustedHops;
        this.allowedHosts = allowedHosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).collect(Collectors.toSet());
    }

    /** Jetty's customizer, reading exactly the believed headers and nothing it would otherwise take on its own. */
    ForwardedRequestCustomizer jettyCustomizer() {
        ForwardedRequestCustomizer jetty = new ForwardedRequestCustomizer();
        jetty.setForwardedHeader(believed.header(ProxyHeaders.Role.FORWARDED).orElse(null));
        jetty.setForwardedForHeader(believed.header(ProxyHeaders.Role.CLIENT).orElse(null));
        jetty.setForwardedProtoHeader(believed.header(ProxyHeaders.Role.SCHEME).orElse(null));
        jetty.setForwardedHttpsHeader(believed.header(ProxyHeaders.Role.HTTPS).orElse(null));
        jetty.setForwardedPortHeader(believed.header(ProxyHeaders.Role.PORT).orElse(null));
        jetty.setForwardedHostHeader(believed.header(ProxyHeaders.Role.HOST).orElse(null));
        jetty.setForwardedServerHeader(null);
        jetty.setForwardedCipherSuiteHeader(null);
        jetty.setForwardedSslSessionIdHeader(null);
        return jetty;
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        HttpFields original = request.getHeaders();
        // one pass over the request's fields, not one per known header: most requests carry none
        if (original.stream().noneMatch(field -> forwardingLowerCase.contains(field.getLowerCaseName()))) {
            return request;
        }
        HttpFields.Mutable headers = HttpFields.build(original);
        for (String header : forwarding) {
            if (original.contains(header)) {
                headers.remove(header);
                if (believed.role(header).isPresent()) {
                    trusted(header, original.getValuesList(header)).ifPresent(value -> headers.add(header, value));
                }
            }
        }
        HttpFields trusted = headers.asImmutable();
        return new Request.Wrapper(request) {
            @Override
            public HttpFields getHeaders() {
                return trusted;
            }
        };
    }

    /**
     * The element the farthest trusted proxy wrote. Of a list of addresses ({@code X-Forwarded-For},
     * {@code Forwarded}), none when it has fewer entries than there are trusted proxies (the chain is not what
     * the setting says); of the scheme, port and host, the entry {@code trusted-hops} from the end (the only one
     * when a proxy replaced the header); of any other header, the last.
     * A host, or a {@code Forwarded} host=, only when it is allowed.
     */
    private Optional<String> trusted(String header, List<String> values) {
        List<String> elements = values.stream().flatMap(value -> Arrays.stream(value.split(","))).map(String::strip)
                .filter(e -> !e.isEmpty()).toList();
        ProxyHeaders.Role role = believed.role(header).orElseThrow();
        boolean addresses = role == ProxyHeaders.Role.FORWARDED || header.equalsIgnoreCase(X_FORWARDED_FOR);
        if (elements.isEmpty() || (addresses && elements.size() < trustedHops)) {
            return Optional.empty();
        }
        String element = elements.get(addresses || role == ProxyHeaders.Role.SCHEME || role == ProxyHeaders.Role.PORT
                || role == ProxyHeaders.Role.HOST ? Math.max(0, elements.size() - trustedHops) : elements.size() - 1);
        if (role == ProxyHeaders.Role.HOST) {
            return allowed(element) ? Optional.of(element) : Optional.empty();
        }
        if (role == ProxyHeaders.Role.FORWARDED) {
            element = Arrays.stream(element.split(";")).map(String::strip)
                    .filter(pair -> !pair.toLowerCase(Locale.ROOT).startsWith(FORWARDED_HOST) || allowed(pair.substring(FORWARDED_HOST.length())))
                    .collect(Collectors.joining(";"));
        }
        return Optional.of(element);
    }

    private boolean allowed(String host) {
        String name = host.strip().replace("\"", "").toLowerCase(Locale.ROOT);
        int colon = name.lastIndexOf(':');
        String withoutPort = colon > 0 && name.indexOf(']') < colon ? name.substring(0, colon) : name;
        return allowedHosts.contains(name) || allowedHosts.contains(withoutPort);
    }
}
