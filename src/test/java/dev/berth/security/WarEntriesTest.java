package dev.berth.security;

import dev.berth.base.BerthException;
import dev.berth.base.ExitCode;
import dev.berth.testing.Loopback;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Zip slip, every way a name can try it: a WAR with such an entry is refused with exit 66 naming the entry,
 * before anything is bound or unpacked, and the file the entry aims at is untouched.
 */
class WarEntriesTest {

    @TempDir
    Path dir;

    /** A WAR with a harmless web.xml and one entry named exactly {@code entryName} (java.util.zip keeps every byte). */
    private Path war(String entryName) throws IOException {
        Path war = dir.resolve("crafted.war");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(war))) {
            zip.putNextEntry(new ZipEntry("WEB-INF/web.xml"));
            zip.write("<web-app/>".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry(entryName));
            zip.write("overwritten by the WAR".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return war;
    }

    /** A WAR whose entry carries a unix mode (commons-compress writes it; java.util.zip cannot). */
    private Path war(String entryName, int unixMode) throws IOException {
        Path war = dir.resolve("crafted.war");
        try (OutputStream file = Files.newOutputStream(war); ZipArchiveOutputStream zip = new ZipArchiveOutputStream(file)) {
            put(zip, new ZipArchiveEntry("WEB-INF/web.xml"), "<web-app/>");
            ZipArchiveEntry crafted = new ZipArchiveEntry(entryName);
            crafted.setUnixMode(unixMode);
            put(zip, crafted, "/etc");
        }
        return war;
    }

    /** A zip named {@code name} with these entries, each holding a line of text. */
    private Path archive(String name, String... entries) throws IOException {
        Path archive = dir.resolve(name);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(archive))) {
            for (String entry : entries) {
                zip.putNextEntry(new ZipEntry(entry));
                zip.write("password=hunter2\n".getBytes(StandardCharsets.UTF_8));
            }
        }
        return archive;
    }

    private static void put(ZipArchiveOutputStream zip, ZipArchiveEntry entry, String content) throws IOException {
        zip.putArchiveEntry(entry);
        zip.write(content.getBytes(StandardCharsets.UTF_8));
        zip.closeArchiveEntry();
    }

    /*
     * A name with backslashes and no slash is read the way the Windows tool that wrote it meant: backslashes
     * are separators (commons-compress does this for entries made on FAT). Such names then fail on their ..
     * segment or their absolute form; a backslash that stays is refused by itself.
     */
    @ParameterizedTest(name = "an entry named {0} is refused: {1}")
    @CsvSource(delimiter = '|', value = {
        "..\\..\\victim.txt | a .. segment",
        "\\abs\\victim.txt | an absolute path",
        "WEB-INF\\..\\..\\victim.txt | a .. segment",
        "static/..\\..\\victim.txt | a backslash",
        "/tmp/victim.txt | an absolute path",
        "C:/victim.txt | a drive letter",
        "a/../../victim.txt | a .. segment",
        "../victim.txt | a .. segment",
        "\uFF0E\uFF0E/victim.txt | a .. segment once normalised",
        "\u2025/victim.txt | a .. segment once normalised",
        "\uFF0E\uFF0E\uFF0Fvictim.txt | a .. segment once normalised",
        "a\uFF3C..\uFF3Cvictim.txt | a backslash once normalised",
        "bad\u0000name.txt | a control character or bytes that are not UTF-8"})
    void aNameThatCouldLeaveTheFolderIsRefused(String name, String reason) throws Exception {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious\n");
        Path war = war(name);
        assertThatThrownBy(() -> Loopback.start("berth.war", war.toString())).isInstanceOfSatisfying(BerthException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.NO_INPUT);
            assertThat(e.description()).contains("has an entry Berth will not unpack", "(" + reason + ")");
        });
        assertThat(Files.readString(victim)).isEqualTo("precious\n");
    }

    @Test
    void aSymbolicLinkEntryIsRefused() throws Exception {
        Path war = war("static/escape", 0120777);
        assertThatThrownBy(() -> Loopback.start("berth.war", war.toString())).isInstanceOfSatisfying(BerthException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.NO_INPUT);
            assertThat(e.description()).contains("'static/escape' (a symbolic link)");
        });
    }

    @ParameterizedTest(name = "{0} is exit 66 saying it {1}")
    @CsvSource(delimiter = '|', value = {
        "an empty file | is an empty file",
        "a text file | is not a zip file",
        "a directory without WEB-INF | has no WEB-INF/, so it is not an exploded WAR",
        "a Spring Boot executable jar | is a Spring Boot executable jar (it has BOOT-INF/, no WEB-INF/)",
        "a jar of classes | is a jar of classes (no WEB-INF/), not a WAR",
        "a zip of files | is a zip archive without WEB-INF/, so it is not a WAR"})
    void aPathThatIsNotAWarIsExit66SayingWhatWasFound(String kind, String said) throws Exception {
        Path path = switch (kind) {
            case "an empty file" -> Files.createFile(dir.resolve("empty.war"));
            case "a text file" -> Files.writeString(dir.resolve("notes.war"), "not a zip\n");
            case "a Spring Boot executable jar" -> archive("app.jar", "META-INF/MANIFEST.MF", "BOOT-INF/classes/application.properties",
                    "org/springframework/boot/loader/launch/JarLauncher.class");
            case "a jar of classes" -> archive("library.jar", "META-INF/MANIFEST.MF", "com/example/Library.class");
            case "a zip of files" -> archive("site.zip", "index.html", ".env");
            default -> {
                Path site = Files.createDirectories(dir.resolve("site"));
                Files.writeString(site.resolve(".env"), "SECRET=1\n");
                yield site;
            }
        };
        assertThatThrownBy(() -> Loopback.start("berth.war", path.toString())).isInstanceOfSatisfying(BerthException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.NO_INPUT);
            assertThat(e.description()).contains(path.toString(), said);
            assertThat(e.action()).isPresent();
        });
    }
}
