package dev.berth.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One check behind Berth's health endpoints: the phase, a backing service, and what may come. Its kind says which
 * endpoint reports it ({@code /live}, {@code /ready}, {@code /started}; {@code /health} reports live and ready);
 * a check that gates deployment also holds the application back until it is UP.
 */
public interface HealthCheck {

    /** Which probe reports the check. */
    enum Kind {
        LIVE, READY, STARTED
    }

    /** UP or DOWN, and what a reader of the check needs (shown only where the settings allow details), in its order. */
    record Result(boolean up, Map<String, Object> details) {

        public Result {
            details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
        }

        public static Result up(Map<String, Object> details) {
            return new Result(true, details);
        }

        public static Result down(Map<String, Object> details) {
            return new Result(false, details);
        }
    }

    /** The check's name in the health JSON: {@code berth-ready}, {@code sessions-redis}. */
    String name();

    Kind kind();

    /** Whether the application deploys only once this check is UP. */
    default boolean gatesDeployment() {
        return false;
    }

    /** The check's state now; cheap (a probe runs elsewhere), never throws. */
    Result check();
}
