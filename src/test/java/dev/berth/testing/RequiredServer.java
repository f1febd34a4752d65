package dev.berth.testing;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when a real server it needs (PostgreSQL, Redis) cannot run here (another OS, no artifact for
 * it, an override naming nothing): on a developer's machine the test is skipped with the reason; in CI
 * ({@code CI=true}) that is a failure, never a skip. A class that keeps its server in a field is skipped before it
 * starts, by {@link RequiredServerCondition}; this covers a test that starts one itself.
 */
final class RequiredServer {

    private static final Set<String> SAID = ConcurrentHashMap.newKeySet();

    private RequiredServer() {
    }

    /** The binaries' path; skips (or, in CI, fails) the calling test when {@code binaries} were not found. */
    static Path require(Binaries binaries, String server) {
        if (!binaries.found()) {
            String reason = reason(binaries, server);
            if (inCi()) {
                throw new AssertionError("CI=true but " + reason);
            }
            sayOnce("Skipping tests that start " + server + ": " + reason);
            Assumptions.abort(reason);
        }
        return binaries.path().orElseThrow();
    }

    /** Maven's summary counts the skipped tests but does not say why (the reports do): this says it, once. */
    static void sayOnce(String line) {
        if (SAID.add(line)) {
            System.out.println(line);
        }
    }

    static String reason(Binaries binaries, String server) {
        return server + " cannot run here: " + binaries.absence();
    }

    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
