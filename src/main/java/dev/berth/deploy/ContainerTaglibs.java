package dev.berth.deploy;

import org.apache.taglibs.standard.Version;
import org.eclipse.jetty.ee11.webapp.AbstractConfiguration;
import org.eclipse.jetty.ee11.webapp.MetaInfConfiguration;
import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.util.resource.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Gives a WAR's JSPs the JSTL that Berth carries (Jakarta Tags 3.0, GlassFish's implementation), as Jetty's
 * distribution and jetty-runner do. Jasper finds a taglib only through a TLD, and Jetty hands it only the TLDs
 * that {@link MetaInfConfiguration} found in {@code META-INF} of {@code WEB-INF/lib} jars and of the container
 * jars named by a pattern. Naming berth.jar in that pattern would scan the whole shaded jar for fragments,
 * resources and annotations, so this configuration, run after it, appends the {@code META-INF/*.tld} of the one
 * jar (or folder, in tests and IDEs) that holds JSTL: no scan, a listing read once per JVM. Jasper parses every
 * TLD it is given when the context starts (some 100 ms of a cold start for JSTL's 22), so they are given only to
 * a WAR whose pages name a JSTL URI ({@link JspPages}), or that has pages and a tag library jar of its own
 * (whose tag files may use JSTL without naming it in a page).
 * <p>
 * The WAR's own TLDs come first: Jasper keeps the first TLD of each URI, so a WAR that bundles its own JSTL
 * keeps its TLDs, and its tag classes load from {@code WEB-INF/lib} as any WAR class does.
 */
final class ContainerTaglibs extends AbstractConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerTaglibs.class);

    ContainerTaglibs() {
        super(new Builder().addDependencies(MetaInfConfiguration.class));
    }

    @Override
    public void preConfigure(WebAppContext context) {
        @SuppressWarnings("unchecked")
        Collection<URL> found = (Collection<URL>) context.getAttribute(MetaInfConfiguration.METAINF_TLDS);
        // without MetaInfConfiguration's list, Jasper scans the class path itself
        if (found == null || !needsJstl(context, found)) {
            return;
        }
        List<URL> tlds = new ArrayList<>(found);
        tlds.addAll(Jstl.TLDS);
        context.setAttribute(MetaInfConfiguration.METAINF_TLDS, tlds);
    }

    private static boolean needsJstl(WebAppContext context, Collection<URL> warTlds) {
        Path war = context.getBaseResource() == null ? null : context.getBaseResource().getPath();
        if (war == null) {
            return true; // not a folder Berth unpacked: assume pages that use JSTL
        }
        @SuppressWarnings("unchecked")
        Set<Resource> resources = (Set<Resource>) context.getAttribute(MetaInfConfiguration.METAINF_RESOURCES);
        List<Path> resourceDirs = resources == null ? List.of()
                : resources.stream().map(Resource::getPath).filter(Objects::nonNull).toList();
        long begin = System.nanoTime();
        try {
            JspPages.Use use = JspPages.in(war, resourceDirs);
            LOG.debug("JSP pages in {}: {}, {} TLDs in its jars (looked in {} us)", war, use, warTlds.size(), (System.nanoTime() - begin) / 1_000);
            return use == JspPages.Use.JSTL || (use == JspPages.Use.PAGES && !warTlds.isEmpty());
        } catch (IOException e) {
            LOG.debug("Could not look for JSP pages in {}; assuming they use JSTL", war, e);
            return true;
        }
    }

    /** The TLDs of the JSTL implementation, listed on first use. */
    private static final class Jstl {
        static final List<URL> TLDS = list();

        private static List<URL> list() {
            long begin = System.nanoTime();
            CodeSource source = Version.class.getProtectionDomain().getCodeSource();
            try {
                Path location = Path.of(source.getLocation().toURI());
                List<URL> tlds = Files.isDirectory(location) ? inFolder(location) : inJar(location);
                LOG.debug("{} JSTL TLDs in {}, listed in {} us", tlds.size(), location, (System.nanoTime() - begin) / 1_000);
                return Collections.unmodifiableList(tlds);
            } catch (IOException | URISyntaxException | RuntimeException e) {
                LOG.warn("JSTL's TLDs could not be listed from {}; JSPs that use JSTL will not compile unless the WAR bundles it",
                        source == null ? Version.class : source.getLocation(), e);
                return List.of();
            }
        }

        private static List<URL> inJar(Path jar) throws IOException {
            List<URL> tlds = new ArrayList<>();
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (String name : zip.stream().map(ZipEntry::getName).filter(Jstl::isTld).toList()) {
                    tlds.add(URI.create("jar:" + jar.toUri() + "!/" + name).toURL());
                }
            }
            return tlds;
        }

        /** A TLD directly in META-INF, where the JSTL jar keeps them. */
        private static boolean isTld(String entry) {
            return entry.startsWith("META-INF/") && entry.endsWith(".tld") && entry.indexOf('/', "META-INF/".length()) < 0;
        }

        private static List<URL> inFolder(Path folder) throws IOException {
            List<URL> tlds = new ArrayList<>();
            Path metaInf = folder.resolve("META-INF");
            if (Files.isDirectory(metaInf)) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(metaInf, "*.tld")) {
                    for (Path file : files) {
                        tlds.add(file.toUri().toURL());
                    }
                }
            }
            return tlds;
        }
    }
}
