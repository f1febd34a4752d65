package dev.berth.deploy;

import org.eclipse.jetty.ee.webapp.WebAppClassLoader;

import java.net.URL;

/**
 * Jetty's webapp class loader, safe when several threads load classes of one package at once (Weld 2's
 * bootstrap does): both may see the package undefined, and the second {@code definePackage} then fails with
 * {@code IllegalArgumentException: <package name>}. The class itself was not defined yet, so loading it again
 * finds the package and goes on. Public for the loader under Tomcat's name ({@code org.apache.catalina.loader}).
 */
public class ParallelWebAppClassLoader extends WebAppClassLoader {

    static {
        registerAsParallelCapable();
    }

    protected ParallelWebAppClassLoader(ClassLoader parent, Context context) {
        super(parent, context);
    }

    @Override
    protected Class<?> foundClass(String name, URL url) throws ClassNotFoundException {
        try {
            return super.foundClass(name, url);
        } catch (IllegalArgumentException packageDefinedMeanwhile) {
            return super.foundClass(name, url);
        }
    }
}
