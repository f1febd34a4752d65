package dev.berth.deploy;

import dev.berth.BerthException;
import dev.berth.ExitCode;

import org.eclipse.jetty.ee11.webapp.WebAppContext;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The user's WAR, checked and turned into a Jetty {@link WebAppContext} with annotations, container
 * initializers, web fragments, JSP and websockets (the ee11 configurations Jetty discovers on the class path).
 */
public final class Application {

    private final Path war;
    private final String contextPath;

    private Application(Path war, String contextPath) {
        this.war = war;
        this.contextPath = contextPath;
    }

    /** Checks that the WAR exists and can be read: exit 66 naming the path otherwise. */
    public static Application of(String war, String contextPath) throws BerthException {
        Path path = Path.of(war).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new BerthException(ExitCode.NO_INPUT, "the WAR " + path + " does not exist",
                    "give the path of a .war file or an exploded WAR directory");
        }
        if (!Files.isReadable(path) || (Files.isDirectory(path) && !Files.isExecutable(path))) {
            throw new BerthException(ExitCode.NO_INPUT, "the WAR " + path + " cannot be read (permission denied)",
                    "make it readable by the user running Berth");
        }
        if (!Files.isDirectory(path) && !Files.isRegularFile(path)) {
            throw new BerthException(ExitCode.NO_INPUT, "the WAR " + path + " is neither a file nor a directory",
                    "give the path of a .war file or an exploded WAR directory");
        }
        return new Application(path, contextPath);
    }

    public Path war() {
        return war;
    }

    /** A new, unstarted context for the WAR. */
    public WebAppContext newWebAppContext() {
        WebAppContext context = new WebAppContext();
        context.setContextPath(contextPath);
        context.setWar(war.toString());
        context.setDisplayName(war.getFileName().toString());
        // Berth decides what a failed start means (see Deployment), so Jetty must not throw it away.
        context.setThrowUnavailableOnStartupException(false);
        return context;
    }
}
