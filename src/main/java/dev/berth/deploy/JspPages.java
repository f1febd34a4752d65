package dev.berth.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a WAR has pages for Jasper to compile: a file that Jetty's default descriptor maps to the JSP servlet
 * ({@code *.jsp}, {@code *.jspf}, {@code *.jspx}, {@code *.xsp}) in the WAR, {@code WEB-INF/lib} and
 * {@code WEB-INF/classes} aside, or in the {@code META-INF/resources} of a {@code WEB-INF/lib} jar; or a web.xml
 * that maps other files to JSP ({@code <jsp-property-group>}, {@code <jsp-file>}). The walk stops at the first page.
 */
final class JspPages {

    private static final Set<String> EXTENSIONS = Set.of("jsp", "jspf", "jspx", "xsp");
    private static final Set<String> NOT_SERVED = Set.of("WEB-INF/lib", "WEB-INF/classes");

    private JspPages() {
    }

    /** {@code war} is the unpacked WAR, {@code resourceDirs} the META-INF/resources folders of its jars. */
    static boolean in(Path war, Collection<Path> resourceDirs) throws IOException {
        if (declaredInWebXml(war.resolve("WEB-INF/web.xml")) || found(war, NOT_SERVED)) {
            return true;
        }
        for (Path dir : resourceDirs) {
            if (found(dir, Set.of())) {
                return true;
            }
        }
        return false;
    }

    private static boolean declaredInWebXml(Path webXml) throws IOException {
        if (!Files.isRegularFile(webXml)) {
            return false;
        }
        String text = Files.readString(webXml, StandardCharsets.ISO_8859_1);
        return text.contains("jsp-property-group>") || text.contains("jsp-file>");
    }

    private static boolean found(Path root, Set<String> skipped) throws IOException {
        if (!Files.isDirectory(root)) {
            return false;
        }
        PageFinder finder = new PageFinder(root, skipped);
        Files.walkFileTree(root, finder);
        return finder.found;
    }

    private static boolean isPage(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static final class PageFinder extends SimpleFileVisitor<Path> {
        private final Path root;
        private final Set<String> skipped;
        private boolean found;

        PageFinder(Path root, Set<String> skipped) {
            this.root = root;
            this.skipped = skipped;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
            return skipped.contains(root.relativize(dir).toString().replace('\\', '/')) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            found = isPage(file.getFileName().toString());
            return found ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
            // an unreadable file is not served either
            return FileVisitResult.CONTINUE;
        }
    }
}
