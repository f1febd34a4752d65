package dev.berth.testing;

import dev.berth.Berth;
import dev.berth.base.BerthException;
import dev.berth.config.ConfigLoader;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Berth in the test's JVM on a free loopback port, with no fallback: the one way tests embed it. */
public final class Loopback {

    /** The flags that put a subprocess on a free loopback port with no fallback. */
    public static final List<String> FLAGS = List.of("--host=127.0.0.1", "--port=0", "--fallback-ports=");

    private Loopback() {
    }

    /** Loopback properties plus {@code more} (keys and values). */
    public static Map<String, String> properties(String... more) {
        Map<String, String> properties = new HashMap<>(Map.of("berth.host", "127.0.0.1", "berth.port", "0", "berth.fallback-ports", ""));
        for (int i = 0; i < more.length; i += 2) {
            properties.put(more[i], more[i + 1]);
        }
        return properties;
    }

    /** Starts Berth; the caller closes it. */
    public static Berth start(String... more) throws BerthException {
        return Berth.start(ConfigLoader.fromMap(properties(more)));
    }

    /** Starts Berth serving {@code war}, with {@code more} properties, and waits for the application. */
    public static Berth serving(Path war, String... more) throws BerthException, InterruptedException {
        String[] all = new String[more.length + 2];
        all[0] = "berth.war";
        all[1] = war.toString();
        System.arraycopy(more, 0, all, 2, more.length);
        return serving(all);
    }

    /** Starts Berth and waits for the application. */
    public static Berth serving(String... more) throws BerthException, InterruptedException {
        Berth berth = start(more);
        try {
            berth.awaitDeployment();
        } catch (BerthException | InterruptedException | RuntimeException e) {
            berth.close();
            throw e;
        }
        return berth;
    }
}
