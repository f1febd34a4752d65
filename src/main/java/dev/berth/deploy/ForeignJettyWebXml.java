package dev.berth.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Finds a {@code WEB-INF/jetty-web.xml} written for another Jetty environment (ee10, ee9, Jetty 9-11):
 * it configures a WebAppContext class that does not exist in ee11, so applying it would fail the
 * deployment. A WAR that also ships {@code jetty-ee11-web.xml} is fine: Jetty prefers that one.
 */
final class ForeignJettyWebXml {

    private static final String EE11_CONTEXT = "org.eclipse.jetty.ee11.webapp.WebAppContext";
    private static final Pattern COMMENT = Pattern.compile("(?s)<!--.*?-->");
    private static final Pattern CONFIGURE = Pattern.compile("<Configure\\b[^>]*\\bclass\\s*=\\s*[\"']([^\"']+)[\"']");

    private ForeignJettyWebXml() {
    }

    /** The foreign class the WAR's jetty-web.xml configures, if it names one. */
    static Optional<String> of(Path war) {
        try {
            if (Files.isDirectory(war)) {
                if (Files.exists(war.resolve("WEB-INF/jetty-ee11-web.xml"))) {
                    return Optional.empty();
                }
                Path xml = war.resolve("WEB-INF/jetty-web.xml");
                return Files.isRegularFile(xml) ? foreign(Files.readString(xml, StandardCharsets.UTF_8)) : Optional.empty();
            }
            try (ZipFile zip = new ZipFile(war.toFile())) {
                ZipEntry xml = zip.getEntry("WEB-INF/jetty-web.xml");
                if (xml == null || zip.getEntry("WEB-INF/jetty-ee11-web.xml") != null) {
                    return Optional.empty();
                }
                try (InputStream in = zip.getInputStream(xml)) {
                    return foreign(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            // not a readable archive: Jetty's own deployment reports that properly
            return Optional.empty();
        }
    }

    static Optional<String> foreign(String xml) {
        Matcher m = CONFIGURE.matcher(COMMENT.matcher(xml).replaceAll(""));
        if (!m.find() || m.group(1).equals(EE11_CONTEXT)) {
            return Optional.empty();
        }
        return Optional.of(m.group(1));
    }
}
