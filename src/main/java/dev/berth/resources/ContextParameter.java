package dev.berth.resources;

import java.util.Objects;

/**
 * A {@code <Parameter>}: a context init parameter, as {@code ServletContext.getInitParameter} returns it.
 *
 * @param webXmlMayOverride Tomcat's {@code override} (true unless the file says false): a {@code <context-param>}
 *                          of the same name in {@code web.xml} replaces this value
 */
record ContextParameter(String name, String value, boolean webXmlMayOverride) {

    public ContextParameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
