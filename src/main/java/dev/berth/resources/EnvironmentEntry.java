package dev.berth.resources;

import java.util.Objects;

/**
 * An {@code <Environment>} entry: a value the application looks up under {@code java:comp/env}.
 *
 * @param name              the name under {@code java:comp/env}
 * @param value             the value, already of the declared type ({@code java.lang.Integer}, ...)
 * @param webXmlMayOverride Tomcat's {@code override} (true unless the file says false): an {@code <env-entry>}
 *                          of the same name in {@code web.xml} replaces this value
 */
record EnvironmentEntry(String name, Object value, boolean webXmlMayOverride) {

    public EnvironmentEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    /** The declared type. */
    public Class<?> type() {
        return value.getClass();
    }
}
