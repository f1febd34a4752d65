package dev.berth.sessions;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A class that only a web application's class loader knows, as a session attribute of a real WAR would be:
 * compiled while the tests run into a folder that is not on the test class path.
 */
final class WebappClass {

    static final String NAME = "webapp.Basket";

    private static final String SOURCE = """
        package webapp;

        public record Basket(String item, int count) implements java.io.Serializable {
        }
        """;

    private WebappClass() {
    }

    /** Compiles the class into {@code folder}. */
    static void compileInto(Path folder) {
        try {
            Path source = Files.createDirectories(folder.resolve("src/webapp")).resolve("Basket.java");
            Files.writeString(source, SOURCE);
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            int status = javac.run(null, null, null, "-d", folder.resolve("classes").toString(), source.toString());
            if (status != 0) {
                throw new IllegalStateException("javac exited with " + status);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new web application class loader over the compiled class; each call gives a distinct loader. */
    static URLClassLoader loader(Path folder) {
        try {
            URL classes = folder.resolve("classes").toUri().toURL();
            return new URLClassLoader(new URL[] {classes}, WebappClass.class.getClassLoader());
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code new Basket(item, count)} through the given loader. */
    static Object newBasket(ClassLoader loader, String item, int count) throws ReflectiveOperationException {
        return loader.loadClass(NAME).getConstructor(String.class, int.class).newInstance(item, count);
    }
}
