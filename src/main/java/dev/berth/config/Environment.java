package dev.berth.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What Berth reads from outside the command line: environment variables, system properties and the
 * working directory. {@link #fromSystem()} is where Berth reads its settings' sources, so tests can pass any
 * environment they like; a context.xml's placeholders and the default work directory also read the real ones.
 */
public record Environment(Map<String, String> variables, Map<String, String> systemProperties, Path workingDirectory) {

    public Environment {
        variables = Map.copyOf(variables);
        systemProperties = Map.copyOf(systemProperties);
    }

    /** The environment of this process. */
    public static Environment fromSystem() {
        Map<String, String> properties = new HashMap<>();
        System.getProperties().forEach((k, v) -> properties.put(String.valueOf(k), String.valueOf(v)));
        return new Environment(System.getenv(), properties, Path.of(System.getProperty("user.dir")));
    }
}
