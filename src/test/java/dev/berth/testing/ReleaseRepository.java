package dev.berth.testing;

import dev.berth.base.Version;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * This build's jar as {@code dev.berth:berth} in a Maven repository laid out as Maven Central will hold the release
 * (the runnable jar and the published POM, {@code target/flattened-pom.xml}), for the recipes that take Berth by its
 * coordinates; a settings file that adds it to a build's repositories, as Central is for a user; and a local
 * repository of the recipes' own under target/, kept between runs for the plugins, from which any {@code dev.berth}
 * is removed first, so the jar can come only from here (never from an earlier {@code mvn install}).
 */
public final class ReleaseRepository {

    private static final Path ROOT = Path.of("target", "recipes").toAbsolutePath();

    private final Path remote = ROOT.resolve("release");
    private final Path local = ROOT.resolve("m2");

    private ReleaseRepository() {
    }

    /** The repository with this build's jar, and the recipes' local repository without any {@code dev.berth}. */
    public static synchronized ReleaseRepository create() {
        ReleaseRepository repository = new ReleaseRepository();
        try {
            delete(repository.remote);
            delete(repository.local.resolve("dev").resolve("berth"));
            Path folder = repository.remote.resolve(Path.of("dev", "berth", "berth", version()));
            Files.createDirectories(folder);
            Files.copy(BerthProcess.JAR, folder.resolve("berth-" + version() + ".jar"));
            Files.copy(Path.of("target", "flattened-pom.xml"), folder.resolve("berth-" + version() + ".pom"));
            Files.createDirectories(repository.local);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return repository;
    }

    public static String version() {
        return Version.current();
    }

    /** The folder to give a build as its remote repository. */
    public Path remote() {
        return remote;
    }

    /** The local repository ({@code -Dmaven.repo.local}) the recipes' builds share. */
    public Path local() {
        return local;
    }

    /**
     * Writes a Maven settings file to {@code file} that adds the repository at {@code remotePath} (as the build sees
     * it: the folder here, or where a container mounts it) to every build, beside Maven Central.
     */
    public Path settings(Path file, String remotePath) {
        String xml = """
                <settings>
                  <profiles>
                    <profile>
                      <id>berth-release</id>
                      <repositories>
                        <repository>
                          <id>berth-release</id>
                          <url>file://%s</url>
                        </repository>
                      </repositories>
                    </profile>
                  </profiles>
                  <activeProfiles>
                    <activeProfile>berth-release</activeProfile>
                  </activeProfiles>
                </settings>
                """.formatted(remotePath);
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, xml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the user's WAR project the recipes build (src/test/projects/war-app) into {@code to}. */
    public static Path warProject(Path to) {
        Path from = Path.of("src", "test", "projects", "war-app");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path folder) throws IOException {
        if (Files.exists(folder)) {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }
}
