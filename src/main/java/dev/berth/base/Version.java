package dev.berth.base;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Berth's version, from the properties file Maven filters at build time. */
public final class Version {

    private static final Properties BUILD = load();
    private static final String VERSION = BUILD.getProperty("version", "unknown");

    private Version() {
    }

    public static String current() {
        return VERSION;
    }

    /** The version of Apache Tomcat's jakartaee-migration that Berth bundles (its classes carry no version once shaded). */
    public static String migrationTool() {
        return BUILD.getProperty("migration", "unknown");
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
