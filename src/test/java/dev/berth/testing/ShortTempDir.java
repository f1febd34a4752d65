package dev.berth.testing;

import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code @TempDir(factory = ShortTempDir.class)}: a temporary directory with a short path right under /tmp, for
 * unix-domain sockets, whose path may be at most 107 bytes (the JVM's temporary directory can be long on its own).
 * JUnit deletes it after the test, with what is left in it (a socket and its lock file after a kill -9).
 */
public final class ShortTempDir implements TempDirFactory {

    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context) throws IOException {
        return Files.createTempDirectory(Path.of("/tmp"), "bl");
    }
}
