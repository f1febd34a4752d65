package dev.berth.deploy;

import dev.berth.config.BerthConfig;
import dev.berth.migrate.JavaxWars;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code berth.classpath}: jars and folders (such as a JDBC driver) that the WAR and the pools of its
 * DataSources see, as if they were in the container's lib folder. They sit between Berth and the WAR's class
 * loader, so the WAR's own copies still win for its classes; and their classes come before Berth's, so a library
 * given here that Berth also carries (commons-pool2, say) is the one the WAR gets rather than Berth's hidden copy
 * ({@link ContainerClasses}).
 */
final class ExtraClassPath {

    private static final Logger LOG = LoggerFactory.getLogger(ExtraClassPath.class);

    private ExtraClassPath() {
    }

    /**
     * The parent for the WAR's class loader: Berth's own, or one over the extra entries, each jar of Java EE 8 code
     * among them converted to Jakarta as a WAR would be ({@code migrate}; conversions cached in {@code cache}).
     */
    static ClassLoader parent(Optional<String> classpath, BerthConfig.MigrateMode migrate, Path cache) throws IOException {
        ClassLoader berth = ExtraClassPath.class.getClassLoader();
        if (classpath.isEmpty() || classpath.get().isBlank()) {
            return berth;
        }
        List<URL> urls = new ArrayList<>();
        for (String entry : classpath.get().split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            // that each entry exists was checked with the settings, before anything was bound
            Path path = Path.of(entry.strip()).toAbsolutePath();
            urls.add(url(Files.isRegularFile(path) ? JavaxWars.libraryForJakarta(path, migrate, cache) : path));
        }
        LOG.info("The WAR also sees {}", urls);
        return new LibraryLoader(urls.toArray(URL[]::new), berth);
    }

    private static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Its own classes first; the Java and Jakarta APIs always from Berth, so that there is one of each. */
    private static final class LibraryLoader extends URLClassLoader {
        static {
            registerAsParallelCapable();
        }

        LibraryLoader(URL[] urls, ClassLoader berth) {
            super("berth.classpath", urls, berth);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("java.") || name.startsWith("jakarta.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    try {
                        loaded = findClass(name);
                    } catch (ClassNotFoundException notHere) {
                        return super.loadClass(name, resolve);
                    }
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }
    }
}
