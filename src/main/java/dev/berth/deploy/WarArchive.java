package dev.berth.deploy;

import dev.berth.base.BerthException;
import dev.berth.base.ExitCode;
import dev.berth.config.BerthConfig;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.Normalizer;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;

/**
 * A WAR file, checked entry by entry before anything is bound and unpacked by Berth itself, so that no entry
 * is ever written outside the folder it is unpacked into. An entry is refused (exit 66, naming it) when its
 * name could lead out of that folder for some reader — an absolute path, a drive letter, a {@code ..}
 * segment, a backslash (a separator to Windows tools and to some extractors), a control character, bytes
 * that are not UTF-8, or a Unicode form that normalises into any of these — or when it is a symbolic link.
 * The check reads the zip's table itself ({@link ZipDirectory#entries}); unpacking writes only regular files and
 * directories, checks every entry again, and each resolved path once more. An archive without {@code WEB-INF/} is refused too, saying what it is instead.
 */
final class WarArchive {

    private WarArchive() {
    }

    /**
     * Exit 66 unless {@code war} is a non-empty zip with {@code WEB-INF/} whose every entry is safe to unpack;
     * the bytes its entries take unpacked, as its central directory says.
     */
    static long check(Path war, BerthConfig.Deploy limits) throws BerthException {
        try {
            if (Files.size(war) == 0) {
                throw notAWar(war, "is an empty file");
            }
            long maxBytes = limits.maxDirectoryMib() * 1024L * 1024L;
            Optional<ZipDirectory> directory = ZipDirectory.read(war, limits.maxEntries(), maxBytes);
            if (directory.isPresent()) {
                checkSize(war, directory.get(), limits, maxBytes);
            }
        } catch (IOException e) {
            throw notAWar(war, "cannot be read: " + e.getMessage());
        }
        Contents contents = new Contents();
        try {
            for (ZipDirectory.Entry entry : ZipDirectory.entries(war)) {
                Optional<String> unsafe = unsafe(entry.name(), entry.isUnixSymlink());
                if (unsafe.isPresent()) {
                    throw new BerthException(ExitCode.NO_INPUT, "the WAR " + war + " has an entry Berth will not unpack: "
                            + printable(entry.name()) + " (" + unsafe.get() + ")",
                            "rebuild the WAR with plain relative entry names (a Maven or Gradle build makes them)");
                }
                contents.add(entry.name());
                contents.bytes += Math.max(0, entry.size());
            }
        } catch (IOException e) {
            throw notAWar(war, "is not a zip file (" + e.getMessage() + ")");
        }
        contents.checkIsAWar(war);
        return contents.bytes;
    }

    /** Exit 66 when the table of entries is larger than the settings allow, before any reader loads it. */
    private static void checkSize(Path war, ZipDirectory directory, BerthConfig.Deploy limits, long maxBytes) throws BerthException {
        if (directory.entries() > limits.maxEntries()) {
            throw tooLarge(war, "has more entries than berth.deploy.max-entries=" + limits.maxEntries(), "berth.deploy.max-entries");
        }
        if (directory.directoryBytes() > maxBytes) {
            throw tooLarge(war, "has a central directory larger than berth.deploy.max-directory-mib=" + limits.maxDirectoryMib()
                    + " MiB", "berth.deploy.max-directory-mib");
        }
    }

    private static BerthException tooLarge(Path war, String what, String key) {
        return new BerthException(ExitCode.NO_INPUT, "the WAR " + war + " " + what + " allows; reading it would hold the whole "
                + "table of entries in memory", "check that this is the WAR your build made; if it is, raise " + key
                + " and give the JVM the heap for it (-Xmx)");
    }

    /**
     * What the archive's top level holds, enough to tell a WAR from the archives passed by mistake. A zip
     * without {@code WEB-INF/} would be served whole as public files (a Spring Boot jar's
     * {@code BOOT-INF/classes/application.properties}, with its passwords, among them), so it is refused.
     */
    private static final class Contents {
        private boolean webInf;
        private boolean bootInf;
        private boolean classes;
        private long bytes;

        void add(String name) {
            webInf |= name.startsWith("WEB-INF/");
            bootInf |= name.startsWith("BOOT-INF/");
            classes |= name.endsWith(".class");
        }

        void checkIsAWar(Path war) throws BerthException {
            if (webInf) {
                return;
            }
            if (bootInf) {
                throw new BerthException(ExitCode.NO_INPUT, war + " is a Spring Boot executable jar (it has BOOT-INF/, no WEB-INF/), "
                        + "not a WAR; served by Berth, every file in it would be public",
                        "run it with java -jar " + war.getFileName() + ", or build the application as a WAR (packaging war, "
                                + "a SpringBootServletInitializer) and give that to Berth");
            }
            if (classes) {
                throw new BerthException(ExitCode.NO_INPUT, war + " is a jar of classes (no WEB-INF/), not a WAR",
                        "give the application's .war file; a library the WAR needs from the container goes in berth.classpath");
            }
            throw new BerthException(ExitCode.NO_INPUT, war + " is a zip archive without WEB-INF/, so it is not a WAR; Berth does not "
                    + "serve a plain archive (every file in it would be public)",
                    "give a .war file (a Maven or Gradle build makes one, with WEB-INF/), or an exploded WAR directory");
        }
    }

    private static BerthException notAWar(Path war, String what) {
        return new BerthException(ExitCode.NO_INPUT, "the WAR " + war + " " + what + "; Berth expects a .war file (a zip archive "
                + "with WEB-INF/) or an exploded WAR directory", "give the path of a WAR, for example target/app.war");
    }

    /** Why an entry must not be unpacked, if it must not. */
    static Optional<String> unsafe(String name, boolean isUnixSymlink) {
        if (isUnixSymlink) {
            return Optional.of("a symbolic link");
        }
        Optional<String> raw = unsafeName(name);
        if (raw.isPresent() || name.chars().allMatch(c -> c < 0x80)) {
            return raw; // NFKC leaves ASCII as it is: the Unicode data is loaded only for a name that needs it
        }
        return unsafeName(Normalizer.normalize(name, Normalizer.Form.NFKC)).map(r -> r + " once normalised");
    }

    static Optional<String> unsafeName(String name) {
        if (name.isEmpty() || name.startsWith("/")) {
            return Optional.of("an absolute path");
        }
        if (name.length() > 1 && name.charAt(1) == ':') {
            return Optional.of("a drive letter");
        }
        if (name.indexOf('\\') >= 0) {
            return Optional.of("a backslash");
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\uFFFD')) {
            return Optional.of("a control character or bytes that are not UTF-8");
        }
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                return Optional.of("a .. segment");
            }
        }
        return Optional.empty();
    }

    /**
     * Unpacks a checked WAR into {@code target}, which must be empty or absent. Each entry is written under the name the
     * check read ({@link ZipDirectory#entries}), and only from a reader that agrees with that list record by record: the
     * JDK's zip reader (its classes are loaded already: the JVM reads its jars with it) when it names every entry the
     * same, with the same sizes, checksum and method, and no name twice; else commons-compress (for names written on
     * FAT, or in a code page with a Unicode path field) when it names every entry the same; else the WAR is refused
     * (a crafted zip: say, a local header that renames its entry).
     */
    static void extract(Path war, Path target) throws IOException {
        Path root = Files.createDirectories(target).toRealPath();
        List<ZipDirectory.Entry> table = ZipDirectory.entries(war);
        if (extractedByTheJdk(war, root, table)) {
            return;
        }
        // commons-compress also reads the Unicode path field of local headers, which may rename an entry: then it disagrees
        try (ZipFile zip = ZipFile.builder().setPath(war).get()) {
            List<ZipArchiveEntry> entries = Collections.list(zip.getEntries());
            for (int i = 0; i < entries.size(); i++) {
                if (i >= table.size() || !entries.get(i).getName().equals(table.get(i).name())) {
                    throw new IOException("its entries read differently in another zip reader (entry " + (i + 1) + ", "
                            + printable(entries.get(i).getName()) + ")");
                }
            }
            if (entries.size() != table.size()) {
                throw new IOException("another zip reader finds " + entries.size() + " entries, not " + table.size());
            }
            for (ZipArchiveEntry entry : entries) {
                write(root, entry.getName(), entry.isUnixSymlink(), () -> zip.getInputStream(entry));
            }
        }
    }

    /** Unpacks with the JDK's reader when it agrees with the table on every record; false when it does not, or cannot read it. */
    private static boolean extractedByTheJdk(Path war, Path root, List<ZipDirectory.Entry> table) throws IOException {
        java.util.zip.ZipFile zip;
        try {
            zip = new java.util.zip.ZipFile(war.toFile());
        } catch (ZipException | IllegalArgumentException unreadableByTheJdk) {
            return false;
        }
        try (zip) {
            if (zip.size() != table.size()) {
                return false;
            }
            List<? extends ZipEntry> entries = Collections.list(zip.entries());
            Set<String> names = new HashSet<>();
            for (int i = 0; i < entries.size(); i++) {
                ZipEntry entry = entries.get(i);
                ZipDirectory.Entry record = table.get(i);
                // the JDK finds bytes by name: a name twice could give one entry's bytes to the other
                if (!entry.getName().equals(record.name()) || !names.add(entry.getName()) || entry.getSize() != record.size()
                        || entry.getCompressedSize() != record.compressedSize() || entry.getCrc() != record.crc()
                        || entry.getMethod() != record.method()) {
                    return false;
                }
            }
            for (int i = 0; i < entries.size(); i++) {
                ZipEntry entry = entries.get(i);
                write(root, table.get(i).name(), table.get(i).isUnixSymlink(), () -> zip.getInputStream(entry));
            }
            return true;
        }
    }

    /** Writes one entry under {@code root}: a folder (a name ending in a slash), or a regular file with the content {@code data} gives. */
    private static void write(Path root, String name, boolean isUnixSymlink, Content data) throws IOException {
        if (unsafe(name, isUnixSymlink).isPresent()) {
            throw new IOException("unsafe entry " + printable(name));
        }
        Path file = root.resolve(name).normalize();
        if (!file.startsWith(root)) {
            throw new IOException("entry " + printable(name) + " resolves outside " + root);
        }
        if (name.endsWith("/")) {
            Files.createDirectories(file);
            return;
        }
        Files.createDirectories(file.getParent());
        try (InputStream in = data.open()) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** An entry's bytes, opened when they are written. */
    private interface Content {
        InputStream open() throws IOException;
    }

    /** An entry name fit for one log line. */
    private static String printable(String name) {
        StringBuilder out = new StringBuilder();
        name.codePoints().limit(200).forEach(c -> out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", c) : Character.toString(c)));
        return "'" + out + "'";
    }
}
