package dev.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Builds the fixture WARs the tests deploy: the compiled classes of a package under
 * {@code dev/berth/fixture/NAME} go to WEB-INF/classes, the files of {@code fixtures/NAME} to the root.
 */
public final class Wars {

    private static final Path OUT = Path.of("target", "test-wars");

    private Wars() {
    }

    /** A servlet declared in web.xml, one found by annotation scanning, a JSP and a static page. */
    public static synchronized Path hello() {
        return build("hello");
    }

    public static synchronized Path build(String name) {
        Path war = OUT.resolve(name + ".war").toAbsolutePath();
        try {
            Files.createDirectories(OUT);
            Path tmp = Files.createTempFile(OUT, name, ".tmp");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(tmp))) {
                Path classes = testResource("dev/berth/fixture/" + name);
                for (Path file : files(classes)) {
                    put(out, "WEB-INF/classes/dev/berth/fixture/" + name + "/" + classes.relativize(file).toString().replace('\\', '/'), file);
                }
                Path web = testResource("fixtures/" + name);
                for (Path file : files(web)) {
                    put(out, web.relativize(file).toString().replace('\\', '/'), file);
                }
            }
            Files.move(tmp, war, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return war;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> files(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static void put(JarOutputStream out, String name, Path file) throws IOException {
        out.putNextEntry(new JarEntry(name));
        Files.copy(file, out);
        out.closeEntry();
    }

    private static Path testResource(String path) {
        URL url = Wars.class.getClassLoader().getResource(path);
        if (url == null) {
            return Path.of("target", "test-classes", path);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
