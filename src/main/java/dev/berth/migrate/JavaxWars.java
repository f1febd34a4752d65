package dev.berth.migrate;

import dev.berth.base.BerthException;
import dev.berth.base.ExitCode;
import dev.berth.config.BerthConfig;
import dev.berth.files.WholeFile;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.instrument.ClassFileTransformer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Java EE 8 WARs on a Jakarta container. A WAR whose bytecode speaks {@code javax.servlet} is converted with
 * Apache Tomcat's migration tool before it deploys (on the deployment thread: health already answers), once,
 * into a cache; {@code --convert IN OUT} does the same ahead of time, for an image build.
 */
public final class JavaxWars {

    private static final Logger LOG = LoggerFactory.getLogger(JavaxWars.class);

    private JavaxWars() {
    }

    /**
     * What Jetty should deploy: the WAR itself, or its Jakarta conversion; whether the WAR's own code casts its class
     * loader to Tomcat's; and whether its classes or libraries' fragments use JNDI (both read in the same pass over
     * its classes; a converted WAR is taken to use JNDI).
     */
    public record Prepared(Path war, boolean castsToTomcatsLoader, boolean usesNaming) {
    }

    /**
     * The WAR Jetty should deploy: {@code war} itself, or, for Java EE 8 code with {@code berth.migrate=auto}, its
     * Jakarta conversion from {@code cacheDir} (made now when missing). Says what it found and did in one line. The code
     * is read from {@code unpacked}: the WAR file's folder once unpacked (its classes are files then, and its static
     * files are never inflated for this), or the exploded WAR itself.
     */
    public static Prepared forJakarta(String name, Path war, Path unpacked, BerthConfig.MigrateMode mode, Path cacheDir) throws IOException {
        ServletNamespace namespace = ServletNamespace.of(unpacked);
        Path deployed = converted(name, war, mode, cacheDir, namespace);
        return new Prepared(deployed, namespace.castsToTomcatsLoader(), namespace.usesNaming() || !deployed.equals(war));
    }

    private static Path converted(String name, Path war, BerthConfig.MigrateMode mode, Path cacheDir, ServletNamespace namespace)
            throws IOException {
        long begin = System.nanoTime();
        if (!namespace.isJavax()) {
            if (namespace.isMixed()) {
                LOG.info("{} is Jakarta code ({} classes reference jakarta.servlet); {} classes still reference javax.servlet ({}): "
                        + "left as they are, they may fail if they run", name, namespace.jakartaClasses(), namespace.javaxClasses(),
                        namespace.describeJavax());
            }
            return war;
        }
        String found = namespace.javaxClasses() + " classes reference javax.servlet (" + namespace.describeJavax() + ")"
                + (namespace.isMixed() ? ", " + namespace.jakartaClasses() + " jakarta.servlet" : "");
        if (mode == BerthConfig.MigrateMode.OFF) {
            LOG.warn("{} is a Java EE 8 (javax.servlet) WAR: {}; berth.migrate=off, so it is deployed as it is and will not run "
                    + "on Jakarta", name, found);
            return war;
        }
        if (Files.isDirectory(war)) {
            throw new IOException(name + " is an exploded Java EE 8 (javax.servlet) WAR: " + found
                    + "; Berth converts WAR files: deploy the .war, or convert it first with --convert IN.war OUT.war");
        }
        Migrator.Converted converted = Migrator.cached(war, cacheDir);
        LOG.info("{} is a Java EE 8 (javax.servlet) WAR: {}; {} in {} ms ({})", name, found,
                converted.fromCache() ? "its Jakarta conversion was in the cache" : "converted to Jakarta with jakartaee-migration "
                        + Migrator.TOOL_VERSION, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin), converted.war());
        return converted.war();
    }

    /**
     * A jar of {@code berth.classpath} as the WAR should see it: the jar itself, or, when its code speaks
     * {@code javax.servlet} (a library a Java EE 8 install guide puts in the container's lib) and
     * {@code berth.migrate=auto}, its Jakarta conversion, cached beside the WARs' conversions.
     */
    public static Path libraryForJakarta(Path jar, BerthConfig.MigrateMode mode, Path cacheDir) throws IOException {
        long begin = System.nanoTime();
        ServletNamespace namespace = ServletNamespace.of(jar);
        if (!namespace.isJavax()) {
            return jar;
        }
        String found = namespace.javaxClasses() + " classes reference javax.servlet";
        if (mode == BerthConfig.MigrateMode.OFF) {
            LOG.warn("berth.classpath: {} is Java EE 8 (javax.servlet) code ({}); berth.migrate=off, so the WAR sees it as it is and "
                    + "it will not run on Jakarta: convert it first with --convert {} OUT.jar", jar.getFileName(), found, jar);
            return jar;
        }
        Migrator.Converted converted = Migrator.cached(jar, cacheDir);
        LOG.info("berth.classpath: {} is Java EE 8 (javax.servlet) code ({}); {} in {} ms ({})", jar.getFileName(), found,
                converted.fromCache() ? "its Jakarta conversion was in the cache" : "converted to Jakarta with jakartaee-migration "
                        + Migrator.TOOL_VERSION, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin), converted.war());
        return converted.war();
    }

    /** {@code --convert IN OUT}: converts a WAR ahead of time; OUT is written whole or not at all. */
    public static void convertAheadOfTime(Path in, Path out, PrintStream console) throws BerthException {
        if (!Files.isRegularFile(in)) {
            throw new BerthException(ExitCode.NO_INPUT, "--convert: " + in + " is not a WAR file", "give the WAR to convert, then where to write it");
        }
        long begin = System.nanoTime();
        ServletNamespace namespace;
        try (java.util.zip.ZipFile opens = new java.util.zip.ZipFile(in.toFile())) {
            namespace = ServletNamespace.of(in);
        } catch (IOException e) {
            throw new BerthException(ExitCode.NO_INPUT, "--convert: " + in + " is not a WAR (" + e.getMessage() + ")",
                    "give a .war file (a zip archive) to convert");
        }
        try {
            WholeFile.write(out, tmp -> Migrator.convert(in, tmp));
        } catch (IOException e) {
            throw new BerthException(ExitCode.CANT_CREATE, "--convert: cannot write " + out + ": " + e,
                    "check that the output directory exists and is writable", e);
        }
        console.println("Converted " + in + " to " + out + " in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin) + " ms: "
                + (namespace.javaxClasses() == 0 ? "it had no javax.servlet code, so it is unchanged in substance"
                : namespace.javaxClasses() + " classes referenced javax.servlet (" + namespace.describeJavax() + ")"));
    }

    /**
     * The class-load transformer that bridges calls to the methods Servlet 6 removed ({@link ServletBridges}): for
     * every WAR's class loader, converted or not, since a Jakarta WAR's libraries may still call them.
     */
    public static ClassFileTransformer removedMethodBridges() {
        return new RemovedServletMethods();
    }
}
