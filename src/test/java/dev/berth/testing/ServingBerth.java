package dev.berth.testing;

import dev.berth.Berth;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Berth in the test's JVM serving a WAR on a free loopback port ({@link Loopback#serving(Path, String...)}), shared
 * by the tests of a class that only send it requests: started before the class's tests, once the application is
 * deployed, and closed after them (a start that failed leaves nothing to close).
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ServingBerth berth = new ServingBerth(() -> Wars.build("exposed"), "berth.access-log", "off");
 * }</pre>
 */
public final class ServingBerth implements BeforeAllCallback, AfterAllCallback {

    private final Supplier<Path> war;
    private final String[] properties;
    private Berth berth;

    /** {@code war} is built when the class starts; {@code properties} are Berth's, as keys and values. */
    public ServingBerth(Supplier<Path> war, String... properties) {
        this.war = war;
        this.properties = properties.clone();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        berth = Loopback.serving(war.get(), properties);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (berth != null) {
            berth.close();
            berth = null;
        }
    }

    /** The port it serves on. */
    public int port() {
        if (berth == null) {
            throw new IllegalStateException("Berth is not running: it starts before the class's tests and stops after them");
        }
        return berth.port();
    }
}
