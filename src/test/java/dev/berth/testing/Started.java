package dev.berth.testing;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static {@link PostgresServer} or {@link RedisServer} field that the test class's tests share: the server
 * is started before the class's own {@code @BeforeAll} methods (which may use it) and closed after its
 * {@code @AfterAll} methods, by {@link StartedServers}. Where the server cannot run here, the class is skipped with
 * the reason (failed in CI), as for any field of those types: see {@link RequiredServerCondition}.
 *
 * <pre>{@code
 * @Started
 * private static PostgresServer postgres;
 * }</pre>
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(StartedServers.class)
public @interface Started {

    /**
     * Whether a restart keeps what the server acknowledged: a Redis then writes every change to its append-only
     * file before it answers ({@link RedisServer#startPersistent()}). A PostgreSQL always keeps its data.
     */
    boolean persistent() default false;
}
