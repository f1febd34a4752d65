package dev.berth.deploy;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Unpacking writes each entry under the name the check read, with its own bytes, whichever reader gives them. */
class WarArchiveTest {

    @TempDir
    Path dir;

    @Test
    void entriesAreUnpackedUnderTheNamesTheCheckReadWithTheirOwnBytes() throws IOException {
        Path war = dir.resolve("app.war");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(war))) {
            for (String name : new String[] {"WEB-INF/", "WEB-INF/web.xml", "static\\style.css", "gr\u00fc\u00df.txt", "empty/"}) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(("bytes of " + name).getBytes(StandardCharsets.UTF_8), 0, name.endsWith("/") ? 0 : ("bytes of " + name).getBytes(StandardCharsets.UTF_8).length);
            }
        }
        Path into = dir.resolve("unpacked");
        WarArchive.extract(war, into);
        assertThat(into.resolve("WEB-INF/web.xml")).hasContent("bytes of WEB-INF/web.xml");
        // written on FAT (java.util.zip) without a slash: the backslash is a separator, as the check read it
        assertThat(into.resolve("static/style.css")).hasContent("bytes of static\\style.css");
        assertThat(into.resolve("gr\u00fc\u00df.txt")).hasContent("bytes of gr\u00fc\u00df.txt");
        assertThat(into.resolve("empty")).isEmptyDirectory();
    }

    @Test
    void aWarTheJdkCannotReadIsUnpackedByCommonsCompressUnderItsUnicodeNames() throws IOException {
        Path war = dir.resolve("latin1.war");
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(Files.newOutputStream(war))) {
            zip.setEncoding("ISO-8859-1");
            zip.setUseLanguageEncodingFlag(false);
            zip.setCreateUnicodeExtraFields(ZipArchiveOutputStream.UnicodeExtraFieldPolicy.ALWAYS);
            for (String name : new String[] {"WEB-INF/web.xml", "caf\u00e9.txt"}) {
                zip.putArchiveEntry(new ZipArchiveEntry(name));
                zip.write(("bytes of " + name).getBytes(StandardCharsets.UTF_8));
                zip.closeArchiveEntry();
            }
        }
        assertThatThrownBy(() -> new java.util.zip.ZipFile(war.toFile()).close()).as("the JDK refuses a name that is not UTF-8")
                .isInstanceOf(java.util.zip.ZipException.class);
        Path into = dir.resolve("unpacked");
        WarArchive.extract(war, into);
        assertThat(into.resolve("caf\u00e9.txt")).hasContent("bytes of caf\u00e9.txt");
    }

    @Test
    void aSymbolicLinkIsNeverWrittenEvenWhenTheCheckWasSkipped() throws IOException {
        Path war = dir.resolve("link.war");
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(Files.newOutputStream(war))) {
            ZipArchiveEntry link = new ZipArchiveEntry("static/escape");
            link.setUnixMode(0120777);
            zip.putArchiveEntry(link);
            zip.write("/etc".getBytes(StandardCharsets.UTF_8));
            zip.closeArchiveEntry();
        }
        Path into = dir.resolve("unpacked");
        assertThatThrownBy(() -> WarArchive.extract(war, into)).isInstanceOf(IOException.class).hasMessageContaining("'static/escape'");
        assertThat(into.resolve("static/escape")).doesNotExist();
    }
}
