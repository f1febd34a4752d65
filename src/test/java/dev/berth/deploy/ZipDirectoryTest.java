package dev.berth.deploy;

import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
        ZipDirectory directory = ZipDirectory.read(zip, Long.MAX_VALUE, Long.MAX_VALUE).orElseThrow();
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
        ZipDirectory directory = ZipDirectory.read(zip, Long.MAX_VALUE, Long.MAX_VALUE).orElseThrow();
        assertThat(directory.entries()).isEqualTo(70_000).isEqualTo(entriesAFullReaderFinds(zip));
        assertThat(directory.directoryBytes()).isGreaterThan(70_000L * 46);
    }

    @Test
    void aFileWithoutAnEndRecordIsNoZipAndAnEmptyZipHasNoEntries() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.war"), "not a zip at all");
        assertThat(ZipDirectory.read(text, 10, 10)).isEmpty();
        Path empty = dir.resolve("empty.war");
        new ZipOutputStream(Files.newOutputStream(empty)).close();
        assertThat(ZipDirectory.read(empty, 10, 10)).contains(new ZipDirectory(0, 0));
    }

    @Test
    void theCountIsOfTheRecordsThemselvesNotWhatTheEndRecordStatesAndStopsOneBeyondTheLimit() throws IOException {
        Path zip = dir.resolve("lying.war");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (int i = 0; i < 500; i++) {
                out.putNextEntry(new ZipEntry("f" + i));
            }
        }
        byte[] bytes = Files.readAllBytes(zip);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(bytes.length - 22 + 8, (short) 3).putShort(bytes.length - 22 + 10, (short) 3);
        Files.write(zip, bytes);
        assertThat(entriesAFullReaderFinds(zip)).as("commons-compress reads every record").isEqualTo(500);
        assertThat(ZipDirectory.read(zip, 1000, Long.MAX_VALUE).orElseThrow().entries()).isEqualTo(500);
        assertThat(ZipDirectory.read(zip, 100, Long.MAX_VALUE).orElseThrow().entries()).isEqualTo(101);
        assertThat(ZipDirectory.read(zip, 1000, 1000).orElseThrow().directoryBytes()).isBetween(1001L, 1000L + 46 + 4);
    }

    @Test
    void aZip64RecordWhoseNumbersLieIsCountedByItsRecordsToo() throws IOException {
        Path zip = dir.resolve("zip64-lying.war");
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(Files.newOutputStream(zip))) {
            out.setUseZip64(Zip64Mode.Always);
            for (int i = 0; i < 300; i++) {
                out.putArchiveEntry(new ZipArchiveEntry("f/" + i));
                out.closeArchiveEntry();
            }
        }
        byte[] bytes = Files.readAllBytes(zip);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long record = buffer.getLong(bytes.length - 22 - 20 + 8);
        buffer.putLong((int) record + 24, 2).putLong((int) record + 32, 2);
        Files.write(zip, bytes);
        assertThat(entriesAFullReaderFinds(zip)).isEqualTo(300);
        assertThat(ZipDirectory.read(zip, 1000, Long.MAX_VALUE).orElseThrow().entries()).isEqualTo(300);
    }

    @Test
    void everyEntryIsNamedAsTheReaderThatUnpacksItNamesIt() throws IOException {
        Path jdk = dir.resolve("jdk.war");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jdk))) {
            for (String name : new String[] {"WEB-INF/web.xml", "..\\..\\victim.txt", "static/..\\..\\victim.txt", "\u00fcber/gr\u00fc\u00df.txt",
                "\uFF0E\uFF0E/victim.txt", "empty/"}) {
                out.putNextEntry(new ZipEntry(name));
                out.write("twelve bytes".getBytes(StandardCharsets.UTF_8), 0, name.endsWith("/") ? 0 : 12);
            }
        }
        Path unix = dir.resolve("unix.war");
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(Files.newOutputStream(unix))) {
            out.setEncoding("Cp437");
            out.setUseLanguageEncodingFlag(false);
            out.setCreateUnicodeExtraFields(ZipArchiveOutputStream.UnicodeExtraFieldPolicy.ALWAYS);
            out.setUseZip64(Zip64Mode.Always);
            for (String[] entry : new String[][] {{"static/escape", "120777"}, {"WEB-INF/web.xml", "100644"}, {"s\u00fc\u00df\\x.txt", "100644"},
                {"dir\\with\\backslashes", "100644"}}) {
                ZipArchiveEntry archived = new ZipArchiveEntry(entry[0]);
                archived.setUnixMode(Integer.parseInt(entry[1], 8));
                out.putArchiveEntry(archived);
                out.write("/etc".getBytes(StandardCharsets.UTF_8));
                out.closeArchiveEntry();
            }
        }
        Path latin = dir.resolve("latin1.war");
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(Files.newOutputStream(latin))) {
            out.setEncoding("ISO-8859-1");
            out.setUseLanguageEncodingFlag(false);
            out.putArchiveEntry(new ZipArchiveEntry("caf\u00e9.txt"));
            out.closeArchiveEntry();
        }
        Path prefixed = dir.resolve("prefixed.war");
        Files.write(prefixed, "#!/bin/sh\nexec java -jar \"$0\"\n".getBytes(StandardCharsets.UTF_8));
        Files.write(prefixed, Files.readAllBytes(jdk), java.nio.file.StandardOpenOption.APPEND);

        for (Path zip : new Path[] {jdk, unix, prefixed}) {
            assertThat(ZipDirectory.entries(zip)).as(zip.getFileName().toString())
                    .extracting(ZipDirectory.Entry::name, ZipDirectory.Entry::isUnixSymlink, ZipDirectory.Entry::size)
                    .containsExactlyElementsOf(entriesAsTheReaderNamesThem(zip));
        }
        assertThat(ZipDirectory.entries(unix)).extracting(ZipDirectory.Entry::isUnixSymlink).containsExactly(true, false, false, false);
        assertThat(ZipDirectory.entries(unix)).extracting(ZipDirectory.Entry::size).containsOnly(4L);
        // bytes that are not UTF-8: the reader makes them '?', the check U+FFFD, which it refuses
        assertThat(entriesAsTheReaderNamesThem(latin).get(0).toArray()[0]).isEqualTo("caf?.txt");
        assertThat(ZipDirectory.entries(latin).get(0).name()).isEqualTo("caf\uFFFD.txt");
    }

    private static java.util.List<org.assertj.core.groups.Tuple> entriesAsTheReaderNamesThem(Path zip) throws IOException {
        try (ZipFile file = ZipFile.builder().setPath(zip).get()) {
            return java.util.Collections.list(file.getEntries()).stream()
                    .map(e -> org.assertj.core.api.Assertions.tuple(e.getName(), e.isUnixSymlink(), e.getSize())).toList();
        }
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
