package dev.berth.migrate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What Jakarta Pages 4.0 removed from the page syntax, which Jetty's Jasper refuses as Tomcat 11 does, so that a page
 * of a Java EE 8 WAR that uses it would answer 500:
 * <ul>
 * <li>the page directive's {@code isThreadSafe} attribute, gone with {@code SingleThreadModel} ("Page directive has
 * invalid attribute"), which every page that ever said {@code isThreadSafe="true"} (the default it always was) has:
 * a converted WAR's pages lose it; {@code "false"} asked for one request at a time, which no Jakarta container gives
 * any more;</li>
 * <li>the {@code <jsp:plugin>} action ("Invalid standard action"), which wrote the HTML that started a Java applet:
 * no browser runs applets, so each shows what the page gave such a browser, the text of its {@code <jsp:fallback>}
 * (or nothing).</li>
 * </ul>
 * The log says which pages changed. Pages are read as ISO-8859-1, so every byte (of any encoding) is written back as
 * it was, but for what is removed.
 */
final class RemovedPageSyntax {

    /** A page directive, in JSP syntax or in XML syntax. */
    private static final Pattern DIRECTIVE = Pattern.compile("<%@\\s*page\\b.*?%>|<jsp:directive\\.page\\b[^>]*>", Pattern.DOTALL);
    private static final Pattern THREAD_SAFE = Pattern.compile("\\s+isThreadSafe\\s*=\\s*(\"[^\"]*\"|'[^']*')");
    /** A tag's attributes, where a quoted value may hold {@code >} (an expression, {@code "<%= base %>/applets"}). */
    private static final String ATTRIBUTES = "(?:[^>\"']|\"[^\"]*\"|'[^']*')*?";
    /** A JSP comment (left as it is), or a plugin action, empty or with a body (its parameters and its fallback). */
    private static final Pattern PLUGIN = Pattern.compile("<%--.*?--%>|<jsp:plugin\\b" + ATTRIBUTES + "/>|<jsp:plugin\\b" + ATTRIBUTES
            + ">(.*?)</jsp:plugin\\s*>", Pattern.DOTALL);
    private static final Pattern FALLBACK = Pattern.compile("<jsp:fallback\\s*>(.*?)</jsp:fallback\\s*>", Pattern.DOTALL);
    private static final List<String> PAGES = List.of(".jsp", ".jspx", ".jspf", ".tag", ".tagx", ".tagf");

    private RemovedPageSyntax() {
    }

    /**
     * {@code page} without {@code isThreadSafe} in its page directives and with each {@code <jsp:plugin>} replaced by
     * its fallback text; the same string when it has neither.
     */
    static String strip(String page) {
        return plugins(threadSafe(page));
    }

    private static String threadSafe(String page) {
        if (!page.contains("isThreadSafe")) {
            return page;
        }
        return DIRECTIVE.matcher(page)
                .replaceAll(directive -> Matcher.quoteReplacement(THREAD_SAFE.matcher(directive.group()).replaceAll("")));
    }

    private static String plugins(String page) {
        if (!page.contains("jsp:plugin")) {
            return page;
        }
        return PLUGIN.matcher(page).replaceAll(plugin -> Matcher.quoteReplacement(plugin.group().startsWith("<%--") ? plugin.group()
                : fallback(plugin.group(1))));
    }

    /** The text of a plugin body's fallback; empty for an empty action or one without. */
    private static String fallback(String body) {
        Matcher fallback = body == null ? null : FALLBACK.matcher(body);
        return fallback != null && fallback.find() ? fallback.group(1) : "";
    }

    /**
     * Rewrites the WAR file {@code war} with what Pages 4 removed taken out of its pages, when any uses it; returns the
     * names of the pages changed (none: the file is left as it was).
     */
    static List<String> stripFrom(Path war) throws IOException {
        if (!anyPageDeclaresIt(war)) {
            return List.of();
        }
        return ZipRewrite.inPlace(war, (name, bytes) -> {
            if (!isPage(name)) {
                return null;
            }
            String page = new String(bytes, StandardCharsets.ISO_8859_1);
            String stripped = strip(page);
            return stripped.equals(page) ? null : stripped.getBytes(StandardCharsets.ISO_8859_1);
        });
    }

    /** Reads only the pages: most converted WARs have none that uses what was removed, and are not written again. */
    private static boolean anyPageDeclaresIt(Path war) throws IOException {
        try (ZipFile zip = new ZipFile(war.toFile())) {
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                if (isPage(entry.getName())) {
                    try (InputStream content = zip.getInputStream(entry)) {
                        String page = new String(content.readAllBytes(), StandardCharsets.ISO_8859_1);
                        if (page.contains("isThreadSafe") || page.contains("jsp:plugin")) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    private static boolean isPage(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !lower.startsWith("web-inf/lib/") && !lower.endsWith("/") && PAGES.stream().anyMatch(lower::endsWith);
    }
}
