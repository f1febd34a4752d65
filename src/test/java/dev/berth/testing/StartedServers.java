package dev.berth.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * Starts the servers of a test class's {@link Started} fields before its {@code @BeforeAll} methods and closes
 * them when the class is done, whether its tests passed, failed or never ran. A server that fails to start fails
 * the class; one that cannot run here never gets this far ({@link RequiredServerCondition} skips the class first,
 * except in CI, where the start fails with the reason).
 */
final class StartedServers implements BeforeAllCallback {

    private static final Namespace NAMESPACE = Namespace.create(StartedServers.class);

    @Override
    public void beforeAll(ExtensionContext context) throws IllegalAccessException {
        for (Field field : AnnotationSupport.findAnnotatedFields(context.getRequiredTestClass(), Started.class,
                field -> true, HierarchyTraversalMode.TOP_DOWN)) {
            if (!Modifier.isStatic(field.getModifiers())) {
                throw new ExtensionConfigurationException("@Started " + field + " must be static: its server is shared by the class's tests");
            }
            AutoCloseable server = start(field);
            // closed when the class's context closes, after its @AfterAll methods, even if a later start fails
            context.getStore(NAMESPACE).put(field, (ExtensionContext.Store.CloseableResource) server::close);
            field.setAccessible(true);
            field.set(null, server);
        }
    }

    private static AutoCloseable start(Field field) {
        boolean persistent = field.getAnnotation(Started.class).persistent();
        if (field.getType() == PostgresServer.class) {
            return PostgresServer.start();
        }
        if (field.getType() == RedisServer.class) {
            return persistent ? RedisServer.startPersistent() : RedisServer.start();
        }
        throw new ExtensionConfigurationException("@Started " + field + " is neither a PostgresServer nor a RedisServer");
    }
}
