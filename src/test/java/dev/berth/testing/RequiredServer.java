package dev.berth.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when a real server it needs (PostgreSQL, Redis) is not installed: on a developer's
 * machine the test is skipped with the reason and the install command; in CI ({@code CI=true}) a missing
 * server is a failure, never a skip.
 */
public final class RequiredServer {

    private RequiredServer() {
    }

    /** Skips (or, in CI, fails) the calling test unless {@code found}. */
    public static void require(boolean found, String what, String install) {
        String reason = what + " is not installed here (" + install + "); .ci/run installs it";
        if (!found && inCi()) {
            throw new AssertionError("CI=true but " + reason);
        }
        Assumptions.assumeTrue(found, reason);
    }

    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
