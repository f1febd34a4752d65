package dev.berth.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a WAR has pages for Jasper to compile, and whether they use JSTL. A page is a file that Jetty's default
 * descriptor maps to the JSP servlet ({@code *.jsp}, {@code *.jspf}, {@code *.jspx}, {@code *.xsp}) in the WAR,
 * {@code WEB-INF/lib} and {@code WEB-INF/classes} aside, or in the {@code META-INF/resources} of a {@code WEB-INF/lib}
 * jar. A page or a tag file ({@code *.tag}, {@code *.tagx}, {@code *.tagf}) uses JSTL when its text names one of
 * JSTL's taglib URIs ({@code jakarta.tags.*}, {@code http://java.sun.com/jsp/jstl/*}, {@code http://java.sun.com/jstl/*});
 * when Berth cannot tell (a web.xml that maps other files to JSP, a page in UTF-16), it answers {@link Use#JSTL}.
 */
final class JspPages {

    /** What a WAR asks of Jasper. */
    enum Use {
        /** No pages: Jasper compiles nothing. */
        NONE,
        /** Pages, none of which names JSTL. */
        PAGES,
        /** Pages that use JSTL, or may. */
        JSTL
    }

    private static final Set<String> EXTENSIONS = Set.of("jsp", "jspf", "jspx", "xsp");
    private static final Set<String> TAG_FILES = Set.of("tag", "tagx", "tagf");
    private static final Set<String> NOT_SERVED = Set.of("WEB-INF/lib", "WEB-INF/classes");
    private static final List<String> JSTL_URIS = List.of("jakarta.tags.", "java.sun.com/jsp/jstl/", "java.sun.com/jstl/");

    private JspPages() {
    }

    /** {@code war} is the unpacked WAR, {@code resourceDirs} the META-INF/resources folders of its jars. */
    static Use in(Path war, Collection<Path> resourceDirs) throws IOException {
        if (declaredInWebXml(war.resolve("WEB-INF/web.xml"))) {
            return Use.JSTL;
        }
        PageFinder finder = new PageFinder();
        walk(war, NOT_SERVED, finder);
        for (Path dir : resourceDirs) {
            if (!finder.jstl) {
                walk(dir, Set.of(), finder);
            }
        }
        return finder.jstl ? Use.JSTL : finder.pages ? Use.PAGES : Use.NONE;
    }

    private static boolean declaredInWebXml(Path webXml) throws IOException {
        if (!Files.isRegularFile(webXml)) {
            return false;
        }
        String text = Files.readString(webXml, StandardCharsets.ISO_8859_1);
        return text.contains("jsp-property-group>") || text.contains("jsp-file>");
    }

    private static void walk(Path root, Set<String> skipped, PageFinder finder) throws IOException {
        if (Files.isDirectory(root)) {
            finder.root = root;
            finder.skipped = skipped;
            Files.walkFileTree(root, finder);
        }
    }

    private static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** Read as ISO-8859-1, byte for byte: the URIs are ASCII in every encoding a page may declare but UTF-16. */
    private static boolean namesJstl(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            boolean utf16 = bytes.length >= 2 && ((bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF)
                    || (bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE));
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            return utf16 || JSTL_URIS.stream().anyMatch(text::contains);
        } catch (IOException e) {
            return false; // a page Jetty cannot read is not compiled either
        }
    }

    private static final class PageFinder extends SimpleFileVisitor<Path> {
        Path root;
        Set<String> skipped;
        boolean pages;
        boolean jstl;

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
            return skipped.contains(root.relativize(dir).toString().replace('\\', '/')) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            String extension = extension(file.getFileName().toString());
            boolean page = EXTENSIONS.contains(extension);
            if (page || TAG_FILES.contains(extension)) {
                pages |= page;
                jstl = namesJstl(file);
            }
            return jstl ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
            // an unreadable file is not served either
            return FileVisitResult.CONTINUE;
        }
    }
}
