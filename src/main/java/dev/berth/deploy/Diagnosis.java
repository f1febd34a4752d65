package dev.berth.deploy;

import dev.berth.base.Causes;
import dev.berth.config.BerthConfig;

import java.lang.reflect.InaccessibleObjectException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The action to suggest after a failed deployment, for the common root causes whose fix is not in the
 * application's code: a javax WAR left unconverted, an API a servlet container does not provide, a package
 * the JVM does not open, a Servlet API method Servlet 6 removed, a class compiled for a newer Java, a JNDI
 * DataSource nothing binds.
 */
final class Diagnosis {

    private static final Pattern NOT_OPENED = Pattern.compile("module (\\S+) does not \"opens (\\S+)\"");
    private static final Pattern CLASS_VERSION = Pattern.compile("class file version (\\d+)");
    /** A JNDI NameNotFoundException's words, often only copied into the message of the application's own exception. */
    private static final Pattern UNBOUND_DATASOURCE = Pattern.compile("remaining name '(?:java:comp/env/)?jdbc/([^'/]+)'");
    private static final String DEFAULT_ACTION = "fix the application (its own log lines are above), or set berth.deploy.on-failure=stay to inspect it";

    private Diagnosis() {
    }

    static String action(Throwable failure, BerthConfig.MigrateMode migrate) {
        return Causes.chain(failure).map(t -> known(t, migrate)).flatMap(Optional::stream).findFirst().orElse(DEFAULT_ACTION);
    }

    private static Optional<String> known(Throwable t, BerthConfig.MigrateMode migrate) {
        if (String.valueOf(t.getMessage()).contains("is not a jakarta.servlet.")) {
            // Jetty's words for a class declared in web.xml that implements the javax interface
            return missingClass("javax.servlet.Servlet", migrate);
        }
        if (t instanceof ClassNotFoundException || t instanceof NoClassDefFoundError) {
            return missingClass(String.valueOf(t.getMessage()).replace('/', '.'), migrate);
        }
        if (t instanceof InaccessibleObjectException) {
            Matcher m = NOT_OPENED.matcher(String.valueOf(t.getMessage()));
            return m.find() ? Optional.of("the JVM does not open " + m.group(2) + " to the application: run java --add-opens "
                    + m.group(1) + "/" + m.group(2) + "=ALL-UNNAMED -jar berth.jar ...") : Optional.empty();
        }
        if (t instanceof NoSuchMethodError && String.valueOf(t.getMessage()).contains("jakarta.servlet")) {
            return Optional.of("the application calls a Servlet API method that Servlet 6 removed (" + t.getMessage()
                    + ") and Berth does not bridge: update the library that calls it");
        }
        Matcher unbound = UNBOUND_DATASOURCE.matcher(String.valueOf(t.getMessage()));
        if (unbound.find()) {
            return Optional.of("the application looks up java:comp/env/jdbc/" + unbound.group(1) + ", which nothing binds: set berth.datasource."
                    + unbound.group(1) + ".url to its database (a JDBC or postgres:// URL)");
        }
        if (t instanceof UnsupportedClassVersionError) {
            Matcher m = CLASS_VERSION.matcher(String.valueOf(t.getMessage()));
            return m.find() ? Optional.of("the application was compiled for Java " + (Integer.parseInt(m.group(1)) - 44) + "; run Berth on that "
                    + "Java or a newer one (this is Java " + Runtime.version().feature() + ")") : Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<String> missingClass(String name, BerthConfig.MigrateMode migrate) {
        if (name.startsWith("javax.servlet.")) {
            return Optional.of(migrate == BerthConfig.MigrateMode.OFF
                    ? "this is a Java EE 8 (javax.servlet) WAR and berth.migrate=off: leave berth.migrate at auto to convert it"
                    : "part of this WAR still uses javax.servlet: convert it with java -jar berth.jar --convert IN.war OUT.war and deploy OUT.war");
        }
        for (String[] api : new String[][] {{"enterprise.inject", "CDI", "Weld"}, {"faces", "Jakarta Faces", "Mojarra or MyFaces"},
                {"ejb", "Enterprise Beans", "an EJB container"}, {"ws.rs", "Jakarta REST", "Jersey or RESTEasy"}}) {
            if (name.startsWith("javax." + api[0]) || name.startsWith("jakarta." + api[0])) {
                return Optional.of("Berth is a servlet container and provides no " + api[1] + " (" + name + "): bundle " + api[2]
                        + " in the WAR's WEB-INF/lib");
            }
        }
        return Optional.empty();
    }
}
