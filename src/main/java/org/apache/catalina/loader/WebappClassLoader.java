package org.apache.catalina.loader;

import dev.berth.deploy.ParallelWebAppClassLoader;

import java.net.MalformedURLException;
import java.net.URL;

/**
 * The class loader of a WAR whose own code casts its loader to Tomcat's (OWASP WebGoat 7 adds its lessons' jars
 * through {@code ((WebappClassLoader) loader).addRepository(url)}): Jetty's loader under Tomcat's name, with the two
 * methods such code calls, {@code addRepository} and a public {@code loadClass(String, boolean)}. Berth gives it only to
 * a WAR whose classes name it, and shows the WAR this one class of the package; other WARs never meet the name.
 */
public class WebappClassLoader extends ParallelWebAppClassLoader {

    static {
        registerAsParallelCapable();
    }

    public WebappClassLoader(ClassLoader parent, Context context) {
        super(parent, context);
    }

    /**
     * Adds a jar or a folder ({@code file:} URL) to the WAR's class path, as Tomcat's did; as there, the WAR's own
     * {@code /WEB-INF/classes} and {@code /WEB-INF/lib} are already on it and are ignored.
     */
    public void addRepository(String repository) {
        if (repository.startsWith("/WEB-INF/lib") || repository.startsWith("/WEB-INF/classes")) {
            return;
        }
        try {
            addURL(new URL(repository));
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("not a URL: " + repository, e);
        }
    }

    @Override
    public Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        return super.loadClass(name, resolve);
    }
}
