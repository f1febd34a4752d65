package dev.berth.deploy;

import dev.berth.migrate.ServletBridges;

import org.eclipse.jetty.util.ClassMatcher;
import org.eclipse.jetty.util.URIUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a WAR sees of the container: the Jakarta APIs Berth provides (Servlet, Pages, EL, WebSocket, Annotations)
 * with the implementations a page or a listener reaches through them (Jasper's runtime, the EL implementation,
 * JSTL), the PostgreSQL driver (documented as bundled, as a driver in Tomcat's {@code lib/}), and nothing else of
 * Berth's jar: not Berth's own classes, not SmallRye Config, SLF4J, Micrometer, HikariCP, Jedis, the commons
 * libraries or Tomcat's migration tool, and not their service files, through which a WAR's own SLF4J, MicroProfile
 * Config or CDI container would otherwise find Berth's providers (and fail on them, or register them twice).
 * <p>
 * Berth is one jar, so a name alone cannot say what is Berth's: everything loaded from where Berth was loaded
 * (berth.jar; in tests, every jar of the class path) is hidden, except the names provided here. Jars given with
 * {@code berth.classpath} are elsewhere and stay visible, as does the JDK. Jetty's own rule, which hides
 * {@code org.eclipse.jetty} except what its configurations expose, is kept.
 */
final class ContainerClasses {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerClasses.class);

    /** Classes, packages and resources of Berth's jar that a WAR sees, as Jetty's class-matcher patterns. */
    private static final List<String> PROVIDED = List.of(
            "jakarta.",
            // what compiled pages and tag files reference, and the EL and JSTL implementations they run on
            "org.apache.jasper.", "org.apache.el.", "org.apache.juli.", "org.apache.taglibs.", "org.eclipse.tags.shaded.",
            "org.apache.tomcat.InstanceManager", "org.apache.tomcat.InstanceManagerBindings",
            "org.apache.tomcat.SimpleInstanceManager", "org.apache.tomcat.util.",
            "org.postgresql.",
            // the calls a conversion rewrites go here (migrate.RemovedServletMethods)
            ServletBridges.class.getName(),
            "META-INF.services.jakarta.servlet.ServletContainerInitializer",
            "META-INF.services.jakarta.el.ExpressionFactory",
            "META-INF.services.jakarta.websocket.ContainerProvider",
            "META-INF.services.jakarta.websocket.server.ServerEndpointConfig$Configurator",
            "META-INF.services.java.sql.Driver",
            "META-INF.services.org.apache.juli.logging.Log",
            // Jetty's own services, which its websocket and compression code looks up through the WAR's loader
            "META-INF.services.org.eclipse.jetty.");

    private static final ClassMatcher PROVIDED_NAMES = new ClassMatcher(PROVIDED.toArray(String[]::new));
    /** Names only the JDK has: a jar beside Berth never replaces them. */
    private static final List<String> JDK = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.", "org.w3c.", "org.xml.", "org.ietf.");

    private static volatile ClassMatcher hidden;

    private ContainerClasses() {
    }

    /** The rule to add to each WAR's hidden classes (built once per JVM; Jetty copies the patterns). */
    static ClassMatcher hidden() {
        ClassMatcher matcher = hidden;
        if (matcher == null) {
            List<String> patterns = new ArrayList<>();
            berthLocations().forEach(location -> patterns.add(location.toString()));
            PROVIDED.forEach(name -> patterns.add("-" + name));
            matcher = new ClassMatcher(patterns.toArray(String[]::new));
            hidden = matcher;
        }
        return matcher;
    }

    /**
     * Whether {@code name} (a class, or a resource with its slashes as dots) may be a copy berth.jar carries but hides:
     * neither provided to WARs nor the JDK's, so a jar of {@code berth.classpath} that has it should be asked first.
     */
    static boolean isHiddenCopy(String name) {
        return !PROVIDED_NAMES.match(name) && JDK.stream().noneMatch(name::startsWith) && !name.startsWith("org.eclipse.jetty.");
    }

    /**
     * Where Berth's classes come from: its own jar, and every other jar its class loader holds (one with
     * {@code java -jar berth.jar}, each dependency's when run from a build).
     */
    private static Set<URI> berthLocations() {
        Set<URI> locations = new LinkedHashSet<>();
        CodeSource own = ContainerClasses.class.getProtectionDomain().getCodeSource();
        try {
            if (own != null && own.getLocation() != null) {
                locations.add(own.getLocation().toURI());
            }
            ClassLoader loader = ContainerClasses.class.getClassLoader();
            Enumeration<URL> manifests = loader == null ? Collections.emptyEnumeration() : loader.getResources("META-INF/MANIFEST.MF");
            for (URL manifest : Collections.list(manifests)) {
                URI jar = URIUtil.unwrapContainer(manifest.toURI());
                if ("file".equals(jar.getScheme())) {
                    locations.add(jar);
                }
            }
        } catch (IOException | URISyntaxException e) {
            // a location missed is a library left visible, as before this rule: say so rather than fail the deployment
            LOG.warn("Could not list the jars Berth was loaded from; a WAR may see some of Berth's libraries", e);
        }
        return locations;
    }
}
