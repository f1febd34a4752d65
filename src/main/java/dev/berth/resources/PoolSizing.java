package dev.berth.resources;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The pool sizing of a DataSource {@code <Resource>}, read from DBCP 2's names (Tomcat 8 and later) or DBCP 1's
 * and Tomcat jdbc-pool's older ones ({@code maxActive}, {@code maxWait}).
 */
final class PoolSizing {

    /** What DBCP's "wait forever" becomes: HikariCP's own default wait. */
    static final Duration FOREVER_BOUND = Duration.ofSeconds(30);

    private PoolSizing() {
    }

    static OptionalInt maxPoolSize(Attributes resource, Warnings warnings) {
        String name = eitherName(resource, "maxTotal", "maxActive", warnings);
        OptionalInt max = resource.integer(name);
        if (max.isPresent() && max.getAsInt() < 0) {
            warnings.add(resource, resource.quoted(name) + " (no limit) of " + resource.describe()
                    + " not honoured: a HikariCP pool needs a bound, so Berth's default pool size applies");
            return OptionalInt.empty();
        }
        if (max.isPresent() && max.getAsInt() == 0) {
            throw resource.error(resource.quoted(name) + " of " + resource.describe() + " allows no connection at all; give 1 or more");
        }
        return max;
    }

    /** {@code minIdle}; without it {@code initialSize}, the connections DBCP opens at start. */
    static OptionalInt minIdle(Attributes resource, Warnings warnings) {
        OptionalInt minIdle = notNegative(resource, "minIdle");
        OptionalInt initialSize = notNegative(resource, "initialSize");
        if (minIdle.isEmpty()) {
            return initialSize;
        }
        // an initialSize up to minIdle is honoured anyway: HikariCP opens minIdle connections at start
        if (initialSize.isPresent() && initialSize.getAsInt() > minIdle.getAsInt()) {
            warnings.add(resource, resource.quoted("initialSize") + " of " + resource.describe() + " ignored: HikariCP keeps "
                    + resource.quoted("minIdle") + " connections open and opens more only when they are needed");
        }
        return minIdle;
    }

    static Optional<Duration> connectionTimeout(Attributes resource, Warnings warnings) {
        String name = eitherName(resource, "maxWaitMillis", "maxWait", warnings);
        OptionalLong millis = resource.longInteger(name);
        if (millis.isEmpty()) {
            return Optional.empty();
        }
        if (millis.getAsLong() < 0) {
            warnings.add(resource, resource.quoted(name) + " (wait forever) of " + resource.describe() + " bounded to "
                    + FOREVER_BOUND.toSeconds() + " s: a request waits at most that long for a free connection, then fails");
            return Optional.of(FOREVER_BOUND);
        }
        return Optional.of(Duration.ofMillis(millis.getAsLong()));
    }

    /** HikariCP keeps between minimumIdle and maximumPoolSize connections and retires idle ones by age. */
    static void maxIdle(Attributes resource, Warnings warnings) {
        if (resource.has("maxIdle")) {
            resource.accept("maxIdle");
            warnings.addOncePer("maxIdle", resource, "maxIdle ignored: HikariCP has no maxIdle;"
                    + " connections beyond minIdle close once they have been idle for HikariCP's idle timeout");
        }
    }

    /** Which of a setting's two names to read: DBCP 2's wins, and DBCP 1's given beside it is reported. */
    private static String eitherName(Attributes resource, String dbcp2, String dbcp1, Warnings warnings) {
        if (!resource.has(dbcp2) && resource.has(dbcp1)) {
            return dbcp1;
        }
        if (resource.has(dbcp1)) {
            resource.accept(dbcp1);
            warnings.add(resource, dbcp1 + " of " + resource.describe() + " ignored: " + dbcp2 + ", its DBCP 2 name, is also given and wins");
        }
        return dbcp2;
    }

    private static OptionalInt notNegative(Attributes resource, String name) {
        OptionalInt value = resource.integer(name);
        if (value.isPresent() && value.getAsInt() < 0) {
            throw resource.error(resource.quoted(name) + " of " + resource.describe() + " is negative; give 0 or more");
        }
        return value;
    }
}
