package dev.berth.config;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The forwarding headers Berth believes ({@code berth.proxy.headers}): those the platform's proxy writes, and no
 * other. Each header tells one thing (the client's address, the scheme, the port, the host, or all of them for
 * RFC 7239's {@code Forwarded}), and only one header may tell each, so a header the proxy does not write cannot
 * contradict one it does. Every other forwarding header a request carries is removed before Jetty or the
 * application sees it.
 */
public record ProxyHeaders(Map<Role, String> believed) {

    /** What a header tells. */
    public enum Role {
        /** RFC 7239: the address, scheme and host in one header. */
        FORWARDED,
        /** The client's address. */
        CLIENT,
        /** The scheme, {@code http} or {@code https}. */
        SCHEME,
        /** {@code on} when the client came over HTTPS. */
        HTTPS,
        /** The port the client connected to. */
        PORT,
        /** The host the client asked for (honoured only for names on {@code berth.proxy.host}). */
        HOST
    }

    /** What a proxy that follows the de-facto standard writes (nginx, ingress-nginx, most load balancers). */
    static final String GENERIC = "X-Forwarded-For,X-Forwarded-Proto,X-Forwarded-Port,X-Forwarded-Host";

    /** Every forwarding header Berth knows, spelled as it lists them, with what each tells. */
    private static final Map<String, Role> KNOWN = Map.ofEntries(
            Map.entry("Forwarded", Role.FORWARDED),
            Map.entry("X-Forwarded-For", Role.CLIENT), Map.entry("X-Real-IP", Role.CLIENT), Map.entry("Fly-Client-IP", Role.CLIENT),
            Map.entry("CF-Connecting-IP", Role.CLIENT), Map.entry("True-Client-IP", Role.CLIENT),
            Map.entry("X-Forwarded-Proto", Role.SCHEME),
            Map.entry("X-Forwarded-Ssl", Role.HTTPS), Map.entry("X-Proxied-Https", Role.HTTPS), Map.entry("Front-End-Https", Role.HTTPS),
            Map.entry("X-Forwarded-Port", Role.PORT), Map.entry("Fly-Forwarded-Port", Role.PORT),
            Map.entry("X-Forwarded-Host", Role.HOST));

    /**
     * Headers that claim something about the connection which no setting can make Berth believe: Jetty would
     * take a proxy's server name, or a TLS session or certificate, from them.
     */
    private static final List<String> NEVER = List.of("X-Forwarded-Server", "Proxy-auth-cert", "Proxy-ssl-id");

    public ProxyHeaders {
        believed = Map.copyOf(believed);
    }

    /** Every header a request may carry that claims something about the client or its connection. */
    public static List<String> forwardingHeaders() {
        List<String> all = new ArrayList<>(KNOWN.keySet());
        all.addAll(NEVER);
        return all;
    }

    /** The header believed for {@code role}, if any. */
    public Optional<String> header(Role role) {
        return Optional.ofNullable(believed.get(role));
    }

    /** What {@code header} tells, when it is believed. */
    public Optional<Role> role(String header) {
        return believed.entrySet().stream().filter(e -> e.getValue().equalsIgnoreCase(header)).map(Map.Entry::getKey).findFirst();
    }

    @Override
    public String toString() {
        return believed.values().stream().sorted().collect(Collectors.joining(","));
    }

    /** A comma list of known header names, at most one for each thing a header tells. */
    public static final class Converter implements org.eclipse.microprofile.config.spi.Converter<ProxyHeaders> {
        @Override
        public ProxyHeaders convert(String value) {
            Map<Role, String> believed = new EnumMap<>(Role.class);
            for (String name : value.split(",")) {
                if (name.isBlank()) {
                    continue;
                }
                String header = spelled(name.strip());
                Role role = KNOWN.get(header);
                String other = believed.putIfAbsent(role, header);
                if (other != null && !other.equals(header)) {
                    throw new IllegalArgumentException(other + " and " + header + " both tell " + role.name().toLowerCase(Locale.ROOT)
                            + "; name one of them");
                }
            }
            return new ProxyHeaders(believed);
        }

        private static String spelled(String name) {
            return KNOWN.keySet().stream().filter(known -> known.equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(name + " is not a forwarding header Berth knows (known: "
                            + KNOWN.keySet().stream().sorted().collect(Collectors.joining(", ")) + ")"));
        }
    }
}
