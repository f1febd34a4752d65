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
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;

/**
 * {@code berth.classpath}: jars and folders (such as a JDBC driver) that the WAR and the pools of its
 * DataSources see, as if they were in the container's lib folder. They sit between Berth and the WAR's class
 * loader, so the WAR's own copies still win for its classes; and a library given here that Berth also carries, hidden
 * from WARs (commons-pool2, say), is the one the WAR gets ({@link LibraryLoader}).
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

    /**
     * Berth's loader first, as any class loader, except for what berth.jar carries but hides from WARs
     * ({@link ContainerClasses}): a library given here that Berth also carries (commons-pool2, say) is found here, classes
     * and resources alike, instead of Berth's hidden copy. So the JDK's classes, the Jakarta APIs and the PostgreSQL
     * driver are one of each, whatever a jar here also holds.
     */
    private static final class LibraryLoader extends URLClassLoader {
        static {
            registerAsParallelCapable();
        }

        LibraryLoader(URL[] urls, ClassLoader berth) {
            super("berth.classpath", urls, berth);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!ContainerClasses.isHiddenCopy(name)) {
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

        @Override
        public URL getResource(String name) {
            URL here = ContainerClasses.isHiddenCopy(asClassName(name)) ? findResource(name) : null;
            return here != null ? here : super.getResource(name);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            if (!ContainerClasses.isHiddenCopy(asClassName(name))) {
                return super.getResources(name);
            }
            List<URL> urls = new ArrayList<>(Collections.list(findResources(name)));
            for (URL url : Collections.list(getParent().getResources(name))) {
                if (!urls.contains(url)) {
                    urls.add(url);
                }
            }
            return Collections.enumeration(urls);
        }

        private static String asClassName(String resource) {
            String name = resource.endsWith(".class") ? resource.substring(0, resource.length() - ".class".length()) : resource;
            return name.replace('/', '.');
        }
    }
}
