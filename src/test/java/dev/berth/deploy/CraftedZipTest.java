package dev.berth.deploy;

import dev.berth.base.BerthException;
import dev.berth.config.BerthConfig;
import dev.berth.config.ConfigLoader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Zips crafted so that readers disagree (names twice, two tables, local headers that rename an entry): the check and
 * the unpacking see one list of entries, and every file unpacked has the bytes of the record the check read under its
 * name. Written byte by byte, as no zip library writes such files.
 */
class CraftedZipTest {

    @TempDir
    Path dir;

    /** One entry, stored. */
    static final class Rec {
        byte[] name;
        byte[] data;
        int flags;
        int madeBy = 20; // FAT, 2.0
        int extAttr;
        byte[] cenExtra = new byte[0];
        byte[] locExtra = new byte[0];
        byte[] comment = new byte[0];
        long loc;

        Rec(String name, String data) {
            this(name.getBytes(StandardCharsets.UTF_8), data);
            if (!name.chars().allMatch(c -> c < 0x80)) {
                flags = 1 << 11;
            }
        }

        Rec(byte[] name, String data) {
            this.name = name;
            this.data = data.getBytes(StandardCharsets.UTF_8);
        }

        long crc() {
            CRC32 c = new CRC32();
            c.update(data);
            return c.getValue();
        }
    }

    static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    static void locals(ByteArrayOutputStream out, List<Rec> recs) {
        for (Rec r : recs) {
            r.loc = out.size();
            ByteBuffer b = le(30);
            b.putInt(0x04034b50).putShort((short) 20).putShort((short) r.flags).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                    .putInt((int) r.crc()).putInt(r.data.length).putInt(r.data.length).putShort((short) r.name.length).putShort((short) r.locExtra.length);
            out.writeBytes(b.array());
            out.writeBytes(r.name);
            out.writeBytes(r.locExtra);
            out.writeBytes(r.data);
        }
    }

    static void cen(ByteArrayOutputStream out, List<Rec> recs) {
        for (Rec r : recs) {
            ByteBuffer b = le(46);
            b.putInt(0x02014b50).putShort((short) r.madeBy).putShort((short) 20).putShort((short) r.flags).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putInt((int) r.crc()).putInt(r.data.length).putInt(r.data.length).putShort((short) r.name.length)
                    .putShort((short) r.cenExtra.length).putShort((short) r.comment.length).putShort((short) 0).putShort((short) 0)
                    .putInt(r.extAttr).putInt((int) r.loc);
            out.writeBytes(b.array());
            out.writeBytes(r.name);
            out.writeBytes(r.cenExtra);
            out.writeBytes(r.comment);
        }
    }

    static void end(ByteArrayOutputStream out, int count, long size, long offset) {
        ByteBuffer b = le(22);
        b.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) count).putShort((short) count).putInt((int) size)
                .putInt((int) offset).putShort((short) 0);
        out.writeBytes(b.array());
    }

    static byte[] zip(List<Rec> recs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        locals(out, recs);
        long at = out.size();
        cen(out, recs);
        end(out, recs.size(), out.size() - at, at);
        return out.toByteArray();
    }

    static byte[] unicodePath(byte[] raw, String name) {
        CRC32 c = new CRC32();
        c.update(raw);
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = le(4 + 5 + utf8.length);
        b.putShort((short) 0x7075).putShort((short) (5 + utf8.length)).put((byte) 1).putInt((int) c.getValue()).put(utf8);
        return b.array();
    }

    /**
     * Writes a ZIP64 end record for a table of {@code count} records, {@code size} bytes at {@code offset}; returns the
     * locator that points to it (its 20 bytes must stand just before the end record).
     */
    static byte[] zip64End(ByteArrayOutputStream out, long count, long size, long offset) {
        long at = out.size();
        ByteBuffer zip64 = le(56);
        zip64.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0).putLong(count).putLong(count)
                .putLong(size).putLong(offset);
        out.writeBytes(zip64.array());
        ByteBuffer locator = le(20);
        locator.putInt(0x07064b50).putInt(0).putLong(at).putInt(1);
        return locator.array();
    }

    static BerthConfig.Deploy limits() throws BerthException {
        return ConfigLoader.fromMap(Map.of()).deploy();
    }

    /** Every file under {@code root}, as its path with slashes, to its content. */
    private static Map<String, String> files(Path root) throws IOException {
        java.util.TreeMap<String, String> files = new java.util.TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(file).toString().replace('\\', '/'), Files.readString(file));
            }
        }
        return files;
    }

    @Test
    void aNameInALegacyCodePageWithoutAUnicodePathIsRefusedAsBytesThatAreNotUtf8() throws Exception {
        Path war = dir.resolve("cp437.war");
        Rec page = new Rec(new byte[] {'c', 'a', 'f', (byte) 0x82, '.', 'h', 't', 'm', 'l'}, "<p>hi</p>"); // é in CP437
        Files.write(war, zip(List.of(new Rec("WEB-INF/web.xml", "<web-app/>"), page)));
        assertThatThrownBy(() -> WarArchive.check(war, limits())).isInstanceOf(BerthException.class).hasMessageContaining("not UTF-8");
    }

    @Test
    void twoRecordsTheJdkNamesAlikeEachKeepTheirOwnBytes() throws Exception {
        Path war = dir.resolve("twice.war");
        byte[] raw = "x.txt".getBytes(StandardCharsets.US_ASCII);
        Rec a = new Rec(raw, "bytes of a");
        a.cenExtra = unicodePath(raw, "WEB-INF/a.txt");
        Rec b = new Rec(raw, "bytes of b");
        b.cenExtra = unicodePath(raw, "WEB-INF/b.txt");
        Files.write(war, zip(List.of(new Rec("WEB-INF/web.xml", "<web-app/>"), a, b)));
        WarArchive.check(war, limits());
        WarArchive.extract(war, dir.resolve("out"));
        assertThat(files(dir.resolve("out"))).containsExactlyInAnyOrderEntriesOf(
                Map.of("WEB-INF/web.xml", "<web-app/>", "WEB-INF/a.txt", "bytes of a", "WEB-INF/b.txt", "bytes of b"));
    }

    @Test
    void aZip64RecordThatDisagreesWithTheEndRecordGivesTheEntriesTheCheckReadAndTheirBytes() throws Exception {
        Path war = dir.resolve("two-tables.war");
        Rec web = new Rec("WEB-INF/web.xml", "<web-app/>");
        Rec jsp = new Rec("index.jsp", "<%= 1 %>");
        Rec readme = new Rec("readme.txt", "harmless");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        locals(out, List.of(web, jsp, readme));
        long tableB = out.size();
        cen(out, List.of(web, readme));
        long sizeB = out.size() - tableB;
        byte[] locator = zip64End(out, 2, sizeB, tableB);
        long tableA = out.size();
        Rec a0 = new Rec("WEB-INF/web.xml", "<web-app/>");
        a0.loc = web.loc;
        Rec a1 = new Rec("index.jsp", "<%= 1 %>");
        a1.loc = jsp.loc;
        a1.comment = locator; // the locator stands in the 20 bytes before the end record: in the last record's comment
        cen(out, List.of(a0, a1));
        end(out, 2, out.size() - tableA, tableA);
        Files.write(war, out.toByteArray());

        WarArchive.check(war, limits());
        List<String> checked = ZipDirectory.entries(war).stream().map(ZipDirectory.Entry::name).toList();
        WarArchive.extract(war, dir.resolve("out"));
        Map<String, String> files = files(dir.resolve("out"));
        assertThat(files.keySet()).containsExactlyInAnyOrderElementsOf(checked);
        files.forEach((name, content) -> assertThat(content).as(name)
                .isEqualTo(Stream.of(web, jsp, readme).filter(r -> new String(r.name, StandardCharsets.UTF_8).equals(name))
                        .map(r -> new String(r.data, StandardCharsets.UTF_8)).findFirst().orElseThrow()));
    }

    @Test
    void theLimitCountsTheTableTheJdkLoadsToo() throws Exception {
        Path war = dir.resolve("big.war");
        Rec web = new Rec("WEB-INF/web.xml", "<web-app/>");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        locals(out, List.of(web));
        long tableB = out.size();
        cen(out, List.of(web));
        long sizeB = out.size() - tableB;
        byte[] locator = zip64End(out, 1, sizeB, tableB);
        long tableA = out.size();
        int many = 5_000;
        List<Rec> records = new ArrayList<>();
        for (int i = 0; i < many; i++) {
            Rec record = new Rec("WEB-INF/f" + i, "<web-app/>");
            record.loc = web.loc;
            records.add(record);
        }
        records.get(many - 1).comment = locator;
        cen(out, records);
        end(out, many, out.size() - tableA, tableA);
        Files.write(war, out.toByteArray());

        try (java.util.zip.ZipFile jdk = new java.util.zip.ZipFile(war.toFile())) {
            assertThat(jdk.size()).isEqualTo(many);
        }
        assertThat(ZipDirectory.read(war, 1000, Long.MAX_VALUE).orElseThrow().entries()).isGreaterThan(1000);
    }

    @Test
    void aLocalHeaderThatRenamesAnEntryIsNeverFollowed() throws Exception {
        byte[] raw = "a.txt".getBytes(StandardCharsets.US_ASCII);
        Rec renamed = new Rec(raw, "bytes");
        renamed.locExtra = unicodePath(raw, "../evil.txt");
        Path read = dir.resolve("read-by-the-jdk.war");
        Files.write(read, zip(List.of(new Rec("WEB-INF/web.xml", "<web-app/>"), renamed)));
        WarArchive.check(read, limits());
        WarArchive.extract(read, dir.resolve("out"));
        assertThat(files(dir.resolve("out"))).containsEntry("a.txt", "bytes").hasSize(2);

        // the JDK refuses this one (a name that is not UTF-8), and commons-compress follows the local header: refused
        byte[] latin = {'c', 'a', 'f', (byte) 0xe9, '.', 't', 'x', 't'};
        Rec cafe = new Rec(latin, "x");
        cafe.cenExtra = unicodePath(latin, "caf\u00e9.txt");
        Path refused = dir.resolve("refused.war");
        Files.write(refused, zip(List.of(new Rec("WEB-INF/web.xml", "<web-app/>"), cafe, renamed)));
        WarArchive.check(refused, limits());
        assertThatThrownBy(() -> WarArchive.extract(refused, dir.resolve("refused"))).isInstanceOf(IOException.class)
                .hasMessageContaining("read differently");
        assertThat(dir.resolve("evil.txt")).doesNotExist();
    }
}
