package dev.berth.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds the fixture WARs the tests deploy: the compiled classes of {@code dev/berth/fixture/NAME} (and of
 * {@code dev/berth/fixture/common} when they use it) go to WEB-INF/classes, the files of {@code fixtures/NAME} to the root
 * (a folder {@code WEB-INF/lib/LIB.jar/} of them becomes the jar {@code LIB.jar}), and the settings a test passes to
 * {@code WEB-INF/fixture.properties}. A WAR with settings is built in a folder of its own (named after the settings),
 * so it keeps its file name and never replaces another's.
 */
public final class Wars {

    private static final Path OUT = Path.of("target", "test-wars");
    private static final String COMMON = "dev/berth/fixture/common";
    private static final long FIXED_TIME = 1_767_225_600_000L;
    private static final Pattern LIB_ENTRY = Pattern.compile("(WEB-INF/lib/[^/]+\\.jar)/(.+)");

    private Wars() {
    }

    /** A servlet declared in web.xml, one found by annotation scanning, a JSP and a static page. */
    public static Path hello() {
        return build("hello", Map.of());
    }

    public static Path build(String name) {
        return build(name, Map.of());
    }

    /** {@code settings} are keys and values, such as {@code "deploy.gate", path}. */
    public static Path build(String name, String... settings) {
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < settings.length; i += 2) {
            map.put(settings[i], settings[i + 1]);
        }
        return build(name, map);
    }

    public static synchronized Path build(String name, Map<String, String> settings) {
        Path dir = settings.isEmpty() ? OUT : OUT.resolve(Integer.toHexString(new TreeMap<>(settings).toString().hashCode()));
        Path war = dir.resolve(name + ".war").toAbsolutePath();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, name, ".tmp");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(tmp))) {
                if (putClasses(out, "dev/berth/fixture/" + name)) {
                    putClasses(out, COMMON);
                }
                Path web = testResource("fixtures/" + name);
                Map<String, Map<String, byte[]>> libs = new TreeMap<>();
                for (Path file : files(web)) {
                    String path = web.relativize(file).toString().replace('\\', '/');
                    Matcher lib = LIB_ENTRY.matcher(path);
                    if (lib.matches()) {
                        libs.computeIfAbsent(lib.group(1), jar -> new TreeMap<>()).put(lib.group(2), Files.readAllBytes(file));
                    } else {
                        put(out, path, Files.readAllBytes(file));
                    }
                }
                for (Map.Entry<String, Map<String, byte[]>> lib : libs.entrySet()) {
                    put(out, lib.getKey(), jar(lib.getValue()));
                }
                if (!settings.isEmpty()) {
                    put(out, "WEB-INF/fixture.properties", properties(settings));
                }
            }
            Files.move(tmp, war, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return war;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] jar(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                put(jar, entry.getKey(), entry.getValue());
            }
        }
        return bytes.toByteArray();
    }

    /**
     * A copy of {@code war} with {@code entry} (such as META-INF/context.xml) set to {@code content}, or removed
     * when {@code content} is null; built in a folder of its own, named after the change.
     */
    public static synchronized Path with(Path war, String entry, String content) {
        Path dir = war.getParent().resolve(Integer.toHexString((entry + "=" + content).hashCode()));
        Path copy = dir.resolve(war.getFileName());
        try {
            Files.createDirectories(dir);
            Files.copy(war, copy, StandardCopyOption.REPLACE_EXISTING);
            try (FileSystem zip = FileSystems.newFileSystem(copy)) {
                Path file = zip.getPath("/" + entry);
                if (content == null) {
                    Files.deleteIfExists(file);
                } else {
                    Files.createDirectories(file.getParent());
                    Files.writeString(file, content);
                }
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The WAR unpacked into {@code target}, as a build's exploded WAR directory. */
    public static Path explode(Path war, Path target) throws IOException {
        try (FileSystem zip = FileSystems.newFileSystem(war); Stream<Path> walk = Files.walk(zip.getPath("/"))) {
            Path root = zip.getPath("/");
            for (Path entry : walk.toList()) {
                Path file = target.resolve(root.relativize(entry).toString());
                if (Files.isDirectory(entry)) {
                    Files.createDirectories(file);
                } else {
                    Files.copy(entry, file);
                }
            }
        }
        return target;
    }

    /** Puts the package's classes; true when one of them uses the common fixture classes. */
    private static boolean putClasses(JarOutputStream out, String packagePath) throws IOException {
        Path classes = testResource(packagePath);
        boolean usesCommon = false;
        for (Path file : files(classes)) {
            byte[] bytes = Files.readAllBytes(file);
            usesCommon |= new String(bytes, StandardCharsets.ISO_8859_1).contains(COMMON);
            put(out, "WEB-INF/classes/" + packagePath + "/" + classes.relativize(file).toString().replace('\\', '/'), bytes);
        }
        return usesCommon;
    }

    private static byte[] properties(Map<String, String> settings) {
        StringBuilder text = new StringBuilder();
        settings.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        return text.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<Path> files(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static void put(JarOutputStream out, String name, byte[] content) throws IOException {
        JarEntry entry = new JarEntry(name);
        // the same fixture and settings make the same bytes, so a WAR's SHA-256 (the migration cache key) is stable
        entry.setTime(FIXED_TIME);
        out.putNextEntry(entry);
        out.write(content);
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
