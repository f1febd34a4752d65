package dev.berth.testing;

import java.lang.reflect.Field;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a test class before it runs when a server it keeps in a field ({@link PostgresServer}, {@link RedisServer},
 * podman for a {@link BerthImage}) cannot run here. Such a class starts its server before its tests (a
 * {@link Started} field, or in {@code @BeforeAll}), and an assumption that fails there aborts the class: JUnit then
 * reports none of its tests, and Surefire and Failsafe print {@code Tests run: 0} with no reason. A class this
 * condition disables is reported test by test as skipped, with the reason (printed too: Maven's summary shows only
 * the count). In CI the condition never disables: the class runs, and the start of its server fails with the
 * reason ({@link RequiredServer}).
 *
 * <p>Registered for every test class through JUnit's extension auto-detection (META-INF/services), which
 * pom.xml turns on for Surefire and Failsafe.
 */
public final class RequiredServerCondition implements ExecutionCondition {

    private static final Map<Class<?>, Server> SERVERS = Map.of(
            PostgresServer.class, new Server("PostgreSQL", ServerBinaries::postgresBin),
            RedisServer.class, new Server("Redis", ServerBinaries::redisServer),
            BerthImage.class, new Server("podman", Podman::tools));

    private record Server(String name, Supplier<Binaries> binaries) {
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isPresent() || context.getTestClass().isEmpty() || RequiredServer.inCi()) {
            return ConditionEvaluationResult.enabled("decided for the class, or in CI");
        }
        Set<String> reasons = new LinkedHashSet<>();
        for (Class<?> type = context.getRequiredTestClass(); type != null; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                Server server = SERVERS.get(field.getType());
                Binaries binaries = server == null ? null : server.binaries().get();
                if (binaries != null && !binaries.found()) {
                    reasons.add(RequiredServer.reason(binaries, server.name()));
                }
            }
        }
        if (reasons.isEmpty()) {
            return ConditionEvaluationResult.enabled("the servers its fields hold can run here");
        }
        String reason = String.join("; ", reasons);
        RequiredServer.sayOnce("Skipping " + context.getRequiredTestClass().getName() + ": " + reason);
        return ConditionEvaluationResult.disabled(reason);
    }
}
