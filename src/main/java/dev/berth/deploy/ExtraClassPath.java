package dev.berth.deploy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code berth.classpath}: jars and folders (such as a JDBC driver) that the WAR and the pools of its
 * DataSources see, as if they were in the container's lib folder. They sit between Berth and the WAR's class
 * loader, so the WAR's own copies still win for its classes.
 */
final class ExtraClassPath {

    private static final Logger LOG = LoggerFactory.getLogger(ExtraClassPath.class);

    private ExtraClassPath() {
    }

    /** The parent for the WAR's class loader: Berth's own, or one over the extra entries. */
    static ClassLoader parent(Optional<String> classpath) {
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
            urls.add(url(Path.of(entry.strip()).toAbsolutePath()));
        }
        LOG.info("The WAR also sees {}", urls);
        return new URLClassLoader("berth.classpath", urls.toArray(URL[]::new), berth);
    }

    private static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }
}
