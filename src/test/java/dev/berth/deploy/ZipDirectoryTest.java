package dev.berth.deploy;

import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The table's size from the end record alone agrees with what a full reader finds, in every form a zip takes. */
class ZipDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void aPlainZipWithACommentGivesItsEntriesAndTheBytesOfItsTable() throws IOException {
        Path zip = dir.resolve("plain.war");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.setComment("a comment that stands after the end record's fixed part");
            for (int i = 0; i < 300; i++) {
                out.putNextEntry(new ZipEntry("WEB-INF/classes/C" + i + ".class"));
                out.write(i);
            }
        }
        ZipDirectory directory = ZipDirectory.read(zip).orElseThrow();
        assertThat(directory.entries()).isEqualTo(300).isEqualTo(entriesAFullReaderFinds(zip));
        assertThat(directory.directoryBytes()).isEqualTo(300 * 46 + namesLength(300));
    }

    @Test
    void aZip64ArchiveGivesTheNumbersOfItsZip64Record() throws IOException {
        Path zip = dir.resolve("zip64.war");
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(Files.newOutputStream(zip))) {
            out.setUseZip64(Zip64Mode.Always);
            for (int i = 0; i < 70_000; i++) {
                out.putArchiveEntry(new ZipArchiveEntry("f/" + i));
                out.closeArchiveEntry();
            }
        }
        ZipDirectory directory = ZipDirectory.read(zip).orElseThrow();
        assertThat(directory.entries()).isEqualTo(70_000).isEqualTo(entriesAFullReaderFinds(zip));
        assertThat(directory.directoryBytes()).isGreaterThan(70_000L * 46);
    }

    @Test
    void aFileWithoutAnEndRecordIsNoZipAndAnEmptyZipHasNoEntries() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.war"), "not a zip at all");
        assertThat(ZipDirectory.read(text)).isEmpty();
        Path empty = dir.resolve("empty.war");
        new ZipOutputStream(Files.newOutputStream(empty)).close();
        assertThat(ZipDirectory.read(empty)).contains(new ZipDirectory(0, 0));
    }

    private static long entriesAFullReaderFinds(Path zip) throws IOException {
        try (ZipFile file = ZipFile.builder().setPath(zip).get()) {
            return java.util.Collections.list(file.getEntries()).size();
        }
    }

    private static long namesLength(int count) {
        long total = 0;
        for (int i = 0; i < count; i++) {
            total += ("WEB-INF/classes/C" + i + ".class").getBytes(StandardCharsets.UTF_8).length;
        }
        return total;
    }
}
