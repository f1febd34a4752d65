package dev.berth.migrate;

import dev.berth.base.SafeXml;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Which servlet API a WAR's code was compiled against, read from its bytecode: every class in
 * {@code WEB-INF/classes} and in the jars of {@code WEB-INF/lib} (or, in a plain jar, every class of the jar) is
 * searched for references to {@code javax/servlet/} and to {@code jakarta/servlet/} (a class file names every type it
 * uses in its constant pool). The {@code web.xml} namespace says nothing reliable: real WARs carry Jakarta code under an
 * old descriptor and the reverse.
 */
record ServletNamespace(int javaxClasses, int jakartaClasses, Map<String, Integer> javaxByPlace, boolean castsToTomcatsLoader,
                        boolean usesNaming) {

    /**
     * What in a class, or in a library's {@code web-fragment.xml}, makes a WAR use JNDI: {@code java:} names, its API (by
     * reference or by name), the annotations Jetty's Plus configuration serves ({@code @Resource}, {@code @PostConstruct},
     * {@code @PreDestroy}, {@code @DataSourceDefinition}), EJB references, and the descriptor elements that declare entries.
     */
    private static final List<byte[]> NAMING = Stream.of("java:comp", "java:app", "java:module", "java:global", "javax/naming/",
                    "javax.naming.", "jakarta/annotation/Resource",
                    "jakarta/annotation/PostConstruct", "jakarta/annotation/PreDestroy", "jakarta/annotation/sql/",
                    "javax/annotation/Resource", "javax/annotation/PostConstruct", "javax/annotation/PreDestroy", "javax/annotation/sql/",
                    "jakarta/ejb/", "javax/ejb/", "resource-ref", "resource-env-ref", "env-entry", "message-destination-ref",
                    "post-construct", "pre-destroy", "data-source", "ejb-ref", "ejb-local-ref", "service-ref", "lookup-name")
            .map(marker -> marker.getBytes(StandardCharsets.US_ASCII)).toList();

    private static final byte[] JAVAX = "javax/servlet/".getBytes(StandardCharsets.US_ASCII);
    /** The constant-pool entry that names Tomcat's loader (its two-byte length first, so WebappClassLoaderBase differs). */
    private static final byte[] TOMCAT_LOADER = utf8Entry("org/apache/catalina/loader/WebappClassLoader");
    private static final byte[] JAKARTA = "jakarta/servlet/".getBytes(StandardCharsets.US_ASCII);
    private static final String CLASSES = "WEB-INF/classes/";
    private static final String LIB = "WEB-INF/lib/";
    private static final String FRAGMENT = "META-INF/web-fragment.xml";
    private static final String WEB_XML = "WEB-INF/web.xml";
    /** Descriptors that may configure anything, JNDI's entries among them: a WAR with one is taken to use JNDI. */
    private static final List<String> CONTAINER_DESCRIPTORS = List.of("WEB-INF/jetty-env.xml", "WEB-INF/jetty-ee11-env.xml",
            "WEB-INF/jetty-web.xml", "WEB-INF/jetty-ee11-web.xml", "META-INF/context.xml");

    /** Java EE 8: more of the code speaks javax.servlet than jakarta.servlet. */
    boolean isJavax() {
        return javaxClasses > jakartaClasses;
    }

    boolean isMixed() {
        return javaxClasses > 0 && jakartaClasses > 0;
    }

    /** "12 classes in WEB-INF/classes, 40 in jersey-server-2.41.jar" — where the javax references are. */
    String describeJavax() {
        StringBuilder text = new StringBuilder();
        javaxByPlace.forEach((place, count) -> text.append(text.length() == 0 ? "" : ", ").append(count).append(" in ").append(place));
        return text.toString();
    }

    /** Reads a WAR (a file or a directory), or a plain jar, whose own classes then count. */
    static ServletNamespace of(Path war) throws IOException {
        Counter counter = new Counter(war.getFileName().toString());
        if (Files.isDirectory(war)) {
            List<Path> libraries = new ArrayList<>();
            try (Stream<Path> files = Files.walk(war)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String name = war.relativize(file).toString().replace('\\', '/');
                    if (counter.isLibrary(name)) {
                        libraries.add(file);
                        continue;
                    }
                    try (InputStream in = Files.newInputStream(file)) {
                        counter.entry(name, in);
                    }
                }
            }
            // the jars of WEB-INF/lib on every core, each with a counter of its own; only their classes are inflated
            try {
                libraries.parallelStream().map(Counter::library).toList().forEach(counter::add);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        } else {
            try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(war))) {
                for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                    counter.entry(entry.getName(), zip);
                }
            }
        }
        if (!counter.war && counter.own != null) {
            return new ServletNamespace(counter.own.javax, counter.own.jakarta, counter.own.javaxByPlace, false, counter.own.naming);
        }
        return new ServletNamespace(counter.javax, counter.jakarta, counter.javaxByPlace, counter.tomcatLoader, counter.naming);
    }

    /** Counts classes by the namespace they reference, and where the javax ones are. */
    private static final class Counter {
        int javax;
        int jakarta;
        /** Whether a class of WEB-INF/classes names Tomcat's webapp class loader (to cast its own loader to it). */
        boolean tomcatLoader;
        /** Whether a class or a web-fragment.xml names something of JNDI's ({@link #NAMING}); once true, not searched again. */
        boolean naming;
        final Map<String, Integer> javaxByPlace = new TreeMap<>();
        /** Whether the archive is a WAR (it has a WEB-INF/); if not, {@link #own} counts what a plain jar's classes say. */
        boolean war;
        final String archive;
        Counter own;

        Counter(String archive) {
            this.archive = archive;
        }

        void entry(String name, InputStream in) throws IOException {
            war |= name.startsWith("WEB-INF/");
            if (!war && name.endsWith(".class") && !name.startsWith("META-INF/")) {
                if (own == null) {
                    own = new Counter(archive);
                }
                own.classFile(archive, in.readAllBytes());
            } else if (name.startsWith(CLASSES) && name.endsWith(".class")) {
                byte[] bytes = in.readAllBytes();
                classFile("WEB-INF/classes", bytes);
                tomcatLoader |= contains(bytes, TOMCAT_LOADER);
            } else if (name.equals(WEB_XML)) {
                descriptor(in.readAllBytes());
            } else if (CONTAINER_DESCRIPTORS.contains(name)) {
                naming = true;
            } else if (isLibrary(name)) {
                String jar = name.substring(LIB.length());
                ZipInputStream nested = new ZipInputStream(in);
                for (ZipEntry entry = nested.getNextEntry(); entry != null; entry = nested.getNextEntry()) {
                    if (entry.getName().endsWith(".class")) {
                        classFile(jar, nested.readAllBytes());
                    } else if (entry.getName().equals(FRAGMENT)) {
                        descriptor(nested.readAllBytes());
                    }
                }
            }
        }

        /** A jar of WEB-INF/lib (not in a folder of it). */
        boolean isLibrary(String name) {
            return name.startsWith(LIB) && name.endsWith(".jar") && name.indexOf('/', LIB.length()) < 0;
        }

        /** The classes of a WEB-INF/lib jar that is a file. */
        static Counter library(Path file) {
            String name = file.getFileName().toString();
            Counter counter = new Counter(name);
            counter.war = true;
            try {
                ZipFile jar;
                try {
                    jar = new ZipFile(file.toFile());
                } catch (ZipException refusedByTheJdk) {
                    // read as a stream, as a WAR file's nested jars are (a zip the JDK refuses may still hold classes)
                    try (InputStream in = Files.newInputStream(file)) {
                        counter.entry(LIB + name, in);
                    }
                    return counter;
                }
                try (jar) {
                    for (ZipEntry entry : Collections.list(jar.entries())) {
                        if (entry.getName().endsWith(".class")) {
                            try (InputStream in = jar.getInputStream(entry)) {
                                counter.classFile(name, in.readAllBytes());
                            }
                        } else if (entry.getName().equals(FRAGMENT)) {
                            try (InputStream in = jar.getInputStream(entry)) {
                                counter.descriptor(in.readAllBytes());
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return counter;
        }

        void add(Counter other) {
            war |= other.war;
            naming |= other.naming;
            javax += other.javax;
            jakarta += other.jakarta;
            other.javaxByPlace.forEach((place, count) -> javaxByPlace.merge(place, count, Integer::sum));
        }

        /** A web.xml or web-fragment.xml: its element names are searched, unless its encoding is not ASCII's (then JNDI is assumed). */
        void descriptor(byte[] bytes) {
            if (SafeXml.readsAsAscii(bytes)) {
                naming(bytes);
            } else {
                naming = true;
            }
        }

        /** Notes whether these bytes name something of JNDI's, until something has. */
        void naming(byte[] bytes) {
            for (int i = 0; i < NAMING.size() && !naming; i++) {
                naming = contains(bytes, NAMING.get(i));
            }
        }

        private void classFile(String place, byte[] bytes) {
            naming(bytes);
            if (contains(bytes, JAVAX)) {
                javax++;
                javaxByPlace.merge(place, 1, Integer::sum);
            }
            if (contains(bytes, JAKARTA)) {
                jakarta++;
            }
        }
    }

    private static byte[] utf8Entry(String name) {
        byte[] text = name.getBytes(StandardCharsets.US_ASCII);
        byte[] entry = new byte[text.length + 2];
        entry[0] = (byte) (text.length >> 8);
        entry[1] = (byte) text.length;
        System.arraycopy(text, 0, entry, 2, text.length);
        return entry;
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
