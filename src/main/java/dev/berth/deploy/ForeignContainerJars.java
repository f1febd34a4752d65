package dev.berth.deploy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Pieces of some other container that a WAR carries in {@code WEB-INF/lib}: Jetty 9-11 or Tomcat jars whose
 * {@code ServletContainerInitializer}s expect their own server classes (an ActiveMQ console's old Jetty
 * websocket jar fails with {@code ClassNotFoundException: org.eclipse.jetty.servlet.ServletContextHandler}),
 * and servlet API jars. Their initializers are skipped, each jar is named in one WARN line, and the API
 * packages keep coming from the container (Jetty loads {@code jakarta.*} from the server first).
 */
final class ForeignContainerJars {

    private static final Logger LOG = LoggerFactory.getLogger(ForeignContainerJars.class);
    private static final String SERVICES = "META-INF/services/jakarta.servlet.ServletContainerInitializer";
    private static final List<String> CONTAINER_PACKAGES = List.of("org.eclipse.jetty.", "org.apache.tomcat.", "org.apache.catalina.", "io.undertow.");

    private ForeignContainerJars() {
    }

    /**
     * A regular expression of the foreign initializers' class names for Jetty's exclusion pattern, if any are
     * found in {@code webInfLib} (of {@code given}, or of its conversion); logs each foreign jar by its name in
     * {@code given}.
     */
    static Optional<String> initializerExclusion(String war, Path given, Path webInfLib) throws IOException {
        if (!Files.isDirectory(webInfLib)) {
            return Optional.empty();
        }
        List<String> excluded = new ArrayList<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(webInfLib, "*.jar")) {
            for (Path jar : jars) {
                excluded.addAll(inspect(war, jar, () -> nameAsGiven(given, jar.getFileName().toString())));
            }
        }
        return excluded.isEmpty() ? Optional.empty()
                : Optional.of(excluded.stream().map(Pattern::quote).collect(Collectors.joining("|")));
    }

    /** The container initializers the jar declares, after saying what the jar ({@code asGiven} in the WAR given) is. */
    private static List<String> inspect(String war, Path jar, Supplier<String> asGiven) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            if (zip.getEntry("jakarta/servlet/Servlet.class") != null || zip.getEntry("javax/servlet/Servlet.class") != null) {
                LOG.warn("{}: WEB-INF/lib/{} is a servlet API jar; the container's API is used instead", war, asGiven.get());
            }
            ZipEntry services = zip.getEntry(SERVICES);
            if (services == null) {
                return List.of();
            }
            List<String> foreign = new ArrayList<>();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(zip.getInputStream(services), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    String name = line.replaceAll("#.*", "").strip();
                    if (CONTAINER_PACKAGES.stream().anyMatch(name::startsWith)) {
                        foreign.add(name);
                    }
                }
            }
            if (!foreign.isEmpty()) {
                LOG.warn("{}: WEB-INF/lib/{} is part of another container; Berth skips its initializer {} (Jetty ee11 provides "
                        + "what it would set up)", war, asGiven.get(), String.join(", ", foreign));
            }
            return foreign;
        } catch (java.util.zip.ZipException notAJar) {
            return List.of();
        }
    }

    /**
     * The jar's name in the WAR the user gave: the conversion of a Java EE 8 WAR renames {@code javax.servlet} to
     * {@code jakarta.servlet} in entry names too, so {@code javax.servlet-api-4.0.1.jar} is unpacked as
     * {@code jakarta.servlet-api-4.0.1.jar}, a file the user never had.
     */
    static String nameAsGiven(Path given, String unpacked) {
        if (!unpacked.contains("jakarta") || !Files.isRegularFile(given)) {
            return unpacked;
        }
        try (ZipFile war = new ZipFile(given.toFile())) {
            if (war.getEntry("WEB-INF/lib/" + unpacked) != null) {
                return unpacked;
            }
            for (int at = unpacked.indexOf("jakarta"); at >= 0; at = unpacked.indexOf("jakarta", at + 1)) {
                String before = unpacked.substring(0, at) + "javax" + unpacked.substring(at + "jakarta".length());
                if (war.getEntry("WEB-INF/lib/" + before) != null) {
                    return before;
                }
            }
        } catch (IOException e) {
            // the name as unpacked, then
        }
        return unpacked;
    }
}
