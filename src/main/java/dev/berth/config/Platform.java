package dev.berth.config;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The platforms Berth recognises by a variable they set. On each, a TLS-terminating proxy sets
 * X-Forwarded-* (so forwarding is on), and SIGTERM is followed by SIGKILL after a known grace period.
 */
enum Platform {
    RENDER("RENDER", "30s"),
    HEROKU("DYNO", "30s"),
    FLY("FLY_APP_NAME", "5s"),
    RAILWAY("RAILWAY_ENVIRONMENT", null),
    KUBERNETES("KUBERNETES_SERVICE_HOST", "30s");

    /** The variable whose presence marks the platform. */
    final String variable;
    /** SIGTERM to SIGKILL when not configured otherwise (Fly.io's kill_timeout, Kubernetes' terminationGracePeriodSeconds). */
    private final String grace;

    Platform(String variable, String grace) {
        this.variable = variable;
        this.grace = grace;
    }

    static Optional<Platform> detect(Map<String, String> variables) {
        return Arrays.stream(values()).filter(p -> variables.containsKey(p.variable)).findFirst();
    }

    /** The defaults the platform implies. */
    Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("berth.proxy.forwarded", "true");
        if (grace != null) {
            defaults.put("berth.shutdown.grace", grace);
        }
        return defaults;
    }
}
