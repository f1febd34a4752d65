package dev.berth.config;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The platforms Berth recognises by a variable they set. On each, a TLS-terminating proxy writes forwarding
 * headers (so forwarding is on, believing those its documentation names), and SIGTERM is followed by SIGKILL
 * after a known grace period.
 */
enum Platform {
    // Render documents no header list; its proxy sets these two (docs/platforms.md says what is known)
    RENDER("RENDER", "30s", "X-Forwarded-For,X-Forwarded-Proto"),
    // devcenter.heroku.com/articles/http-routing: X-Forwarded-For (appended), -Proto, -Port; Host is "not trusted"
    HEROKU("DYNO", "30s", "X-Forwarded-For,X-Forwarded-Proto,X-Forwarded-Port"),
    // fly.io/docs/networking/request-headers: Fly-Client-IP and Fly-Forwarded-Port; X-Forwarded-Port "may be set by the client"
    FLY("FLY_APP_NAME", "5s", "Fly-Client-IP,X-Forwarded-Proto,Fly-Forwarded-Port"),
    // docs.railway.com/networking/public-networking/specs-and-limits: X-Real-IP, X-Forwarded-Proto, X-Forwarded-Host
    RAILWAY("RAILWAY_ENVIRONMENT", null, "X-Real-IP,X-Forwarded-Proto,X-Forwarded-Host"),
    // ingress-nginx by default replaces the X-Forwarded-* a client sent with what it saw
    KUBERNETES("KUBERNETES_SERVICE_HOST", "30s", ProxyHeaders.GENERIC);

    /** The variable whose presence marks the platform. */
    final String variable;
    /** SIGTERM to SIGKILL when not configured otherwise (Fly.io's kill_timeout, Kubernetes' terminationGracePeriodSeconds). */
    private final String grace;
    /** The forwarding headers its proxy writes, as its documentation lists them. */
    private final String proxyHeaders;

    Platform(String variable, String grace, String proxyHeaders) {
        this.variable = variable;
        this.grace = grace;
        this.proxyHeaders = proxyHeaders;
    }

    static Optional<Platform> detect(Map<String, String> variables) {
        return Arrays.stream(values()).filter(p -> variables.containsKey(p.variable)).findFirst();
    }

    /** The defaults the platform implies. */
    Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("berth.proxy.forwarded", "true");
        defaults.put("berth.proxy.headers", proxyHeaders);
        if (grace != null) {
            defaults.put("berth.shutdown.grace", grace);
        }
        return defaults;
    }
}
