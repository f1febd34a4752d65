package dev.berth.resources;

import java.util.Map;
import java.util.Set;

import static java.util.Map.entry;

/**
 * Why Berth ignores the Tomcat elements it does not use. Each ignored element is one warning; an element that
 * files commonly repeat and that is harmless to drop ({@code <WatchedResource>}) is one warning per file.
 */
final class IgnoredElements {

    private static final Map<String, String> REASONS = Map.ofEntries(
            entry("Valve", "Tomcat valves do not run in Berth"),
            entry("Realm", "Tomcat realms do not run in Berth; users for the WAR's <login-config> come from berth.login.users-file"),
            entry("Manager", "sessions are set with the berth.sessions.* settings"),
            entry("Loader", "Berth loads the WAR's classes with Jetty's web application class loader"),
            entry("JarScanner", "Jetty scans the WAR's jars itself"),
            entry("CookieProcessor", "Jetty's cookie handling applies"),
            entry("Resources", "Berth serves the WAR's own files"),
            entry("Listener", "Tomcat lifecycle listeners do not run in Berth"),
            entry("WrapperLifecycle", "Tomcat container listeners do not run in Berth"),
            entry("WrapperListener", "Tomcat container listeners do not run in Berth"),
            entry("InstanceListener", "Tomcat container listeners do not run in Berth"),
            entry("ResourceLink", "Berth has no server-wide resources to link to; declare the <Resource> in context.xml instead"),
            entry("Transaction", "Berth provides no UserTransaction"),
            entry("WatchedResource", "Berth does not redeploy a WAR when its files change"));

    private static final Set<String> ONCE_PER_FILE = Set.of("WatchedResource");

    private IgnoredElements() {
    }

    /** An element inside {@code <Context>} that Berth does not use, skipped with what it contains. */
    static void report(Attributes element, Warnings warnings) {
        String reason = REASONS.getOrDefault(element.element(), "Berth does not know this element");
        if (ONCE_PER_FILE.contains(element.element())) {
            warnings.addOncePer(element.element(), element, "<" + element.element() + "> ignored: " + reason);
        } else {
            warnings.add(element, element.describe() + " ignored: " + reason);
        }
    }

    /** An element inside one Berth reads only the attributes of. */
    static void reportNested(Attributes element, Attributes parent, Warnings warnings) {
        warnings.add(element, element.describe() + " inside " + parent.describe() + " ignored: Berth reads only the attributes of <"
                + parent.element() + ">");
    }
}
