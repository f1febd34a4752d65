package dev.berth.deploy;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * The size of a zip's table of entries (its central directory), counted record by record with constant memory,
 * up to a limit. Every zip reader (commons-compress, java.util.zip, Jetty) loads the whole table, and an object
 * per entry, before it answers anything, so a WAR of a million entries exhausts the heap before its first entry
 * can be checked. The numbers the end record states are not trusted: commons-compress reads records from where
 * the table starts for as long as they follow each other, whatever count the end record gives, so this walks
 * the records from each place a reader may start (the offset the end record or its ZIP64 record states, and
 * the end record less the table's stated size, where the readers look when data stands before the zip), for the
 * table each of the JDK and commons-compress picks (they choose between end records and ZIP64 records differently),
 * and keeps the larger count.
 *
 * <p>{@link #entries} lists the records of the table the JDK's reader loads, with the name commons-compress gives each,
 * so that the WAR is checked before anything is bound without loading either reader; unpacking writes an entry only
 * where the reader that gives its bytes agrees with this list on its name, and on its sizes and checksum.
 *
 * @param entries        records on the table, counted up to one more than the limit
 * @param directoryBytes bytes those records take
 */
record ZipDirectory(long entries, long directoryBytes) {

    private static final int END = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_END = 0x06064b50;
    private static final int ENTRY = 0x02014b50;
    private static final int LOCAL = 0x04034b50;
    private static final int END_LENGTH = 22;
    private static final int LOCATOR_LENGTH = 20;
    private static final int ZIP64_END_LENGTH = 56;
    private static final int ENTRY_LENGTH = 46;
    private static final int MAX_COMMENT = 0xFFFF;
    private static final int UTF8_NAMES = 1 << 11;
    private static final int UNICODE_PATH = 0x7075;
    private static final int ZIP64_EXTRA = 0x0001;
    private static final long ZIP64_SIZE = 0xFFFFFFFFL;
    private static final int PLATFORM_FAT = 0;
    private static final int PLATFORM_UNIX = 3;
    private static final int FILE_TYPE = 0170000;
    private static final int SYMBOLIC_LINK = 0120000;

    /**
     * One record of the table.
     *
     * @param name           the entry's name, read as described at {@link #entries}
     * @param isUnixSymlink  written on unix with the mode of a symbolic link
     * @param size           bytes unpacked, as the record (or its ZIP64 field) states
     * @param compressedSize bytes packed, as the record (or its ZIP64 field) states
     * @param crc            the CRC-32 of the unpacked bytes the record states
     * @param method         how the bytes are packed (0 stored, 8 deflated)
     */
    record Entry(String name, boolean isUnixSymlink, long size, long compressedSize, long crc, int method) {
    }

    /**
     * The table's size, counting at most {@code maxEntries + 1} records and {@code maxBytes + 1} bytes; empty
     * when the file has no end record (then it is no zip, and the reader says so).
     */
    static Optional<ZipDirectory> read(Path zip, long maxEntries, long maxBytes) throws IOException {
        try (FileChannel file = FileChannel.open(zip, StandardOpenOption.READ)) {
            List<Table> tables = Table.locate(file);
            if (tables.isEmpty()) {
                return Optional.empty();
            }
            Set<Long> starts = new LinkedHashSet<>();
            for (Table table : tables) {
                starts.add(table.offset());
                starts.add(table.readersStart());
            }
            ZipDirectory most = new ZipDirectory(0, 0);
            for (long start : starts) {
                ZipDirectory walked = walk(file, start, maxEntries, maxBytes);
                most = walked.entries() > most.entries() ? walked : most;
            }
            return Optional.of(most);
        }
    }

    /**
     * Where a table is, as an end record (or the ZIP64 record it points to) states: the offset, the size, and where that
     * record starts.
     */
    private record Table(long offset, long size, long recordAt) {

        /**
         * The tables the readers load: the JDK's first (the last end record whose comment fits the file, or whose table
         * and first entry are where it says; its ZIP64 record only when the two agree), then commons-compress's (the
         * last end record; its ZIP64 record whenever there is one). Empty when no end record is found.
         */
        static List<Table> locate(FileChannel file) throws IOException {
            List<Table> tables = new ArrayList<>();
            long jdkEnd = endRecord(file, true);
            if (jdkEnd >= 0) {
                tables.add(at(file, jdkEnd, true));
            }
            long end = endRecord(file, false);
            Table table = end >= 0 ? at(file, end, false) : null;
            if (table != null && !tables.contains(table)) {
                tables.add(table);
            }
            return tables;
        }

        /** The table of the end record at {@code end}, as the JDK or commons-compress reads it; null when that reader refuses it. */
        private static Table at(FileChannel file, long end, boolean jdk) throws IOException {
            ByteBuffer record = read(file, end, END_LENGTH);
            int count = Short.toUnsignedInt(record.getShort(10));
            long size = Integer.toUnsignedLong(record.getInt(12));
            long offset = Integer.toUnsignedLong(record.getInt(16));
            Table stated = new Table(offset, size, end);
            ByteBuffer locator = end >= LOCATOR_LENGTH ? read(file, end - LOCATOR_LENGTH, LOCATOR_LENGTH) : null;
            if (locator == null || locator.getInt(0) != ZIP64_LOCATOR) {
                return stated;
            }
            long recordAt = locator.getLong(8);
            ByteBuffer zip64 = recordAt < 0 || recordAt > end - ZIP64_END_LENGTH ? null : read(file, recordAt, ZIP64_END_LENGTH);
            if (zip64 == null || zip64.getInt(0) != ZIP64_END) {
                return jdk ? stated : null; // commons-compress refuses the file
            }
            long count64 = zip64.getLong(32);
            long size64 = zip64.getLong(40);
            long offset64 = zip64.getLong(48);
            boolean agree = (size64 == size || size == ZIP64_SIZE) && (offset64 == offset || offset == ZIP64_SIZE)
                    && (count64 == count || count == 0xFFFF);
            return jdk && !agree ? stated : new Table(offset64, size64, recordAt);
        }

        /** Where the readers start reading: the record less the table's size (data may stand before the zip). */
        long readersStart() {
            return recordAt - size;
        }
    }

    /**
     * The records of the table the JDK's zip reader loads, from where it starts reading it (the end record less the
     * table's stated size), named as commons-compress names them: UTF-8, with bytes that are not becoming U+FFFD; a Unicode path field whose
     * checksum matches the raw name in place of a name not flagged UTF-8; and, in a name written on FAT (MS-DOS,
     * java.util.zip) without a slash, backslashes read as separators. Read after {@link #read} found the table's size
     * within the limits: every record is held in memory.
     */
    static List<Entry> entries(Path zip) throws IOException {
        try (FileChannel file = FileChannel.open(zip, StandardOpenOption.READ)) {
            long end = endRecord(file, true);
            if (end < 0) {
                throw new IOException("it has no end of central directory record");
            }
            Table table = Table.at(file, end, true);
            long start = table.readersStart() >= 0 ? table.readersStart() : table.offset();
            return start < 0 || start >= file.size() ? List.of() : records(file, start);
        }
    }

    private static List<Entry> records(FileChannel file, long start) throws IOException {
        List<Entry> entries = new ArrayList<>();
        DataInputStream data = new DataInputStream(new BufferedInputStream(Channels.newInputStream(file.position(start)), 1 << 16));
        byte[] header = new byte[ENTRY_LENGTH];
        ByteBuffer fields = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        try {
            while (true) {
                data.readFully(header);
                if (fields.getInt(0) != ENTRY) {
                    return entries;
                }
                int platform = fields.get(5) & 0x0F;
                boolean utf8 = (fields.getShort(8) & UTF8_NAMES) != 0;
                int method = Short.toUnsignedInt(fields.getShort(10));
                long crc = Integer.toUnsignedLong(fields.getInt(16));
                long compressedSize = Integer.toUnsignedLong(fields.getInt(20));
                long size = Integer.toUnsignedLong(fields.getInt(24));
                byte[] rawName = data.readNBytes(Short.toUnsignedInt(fields.getShort(28)));
                ByteBuffer extra = ByteBuffer.wrap(data.readNBytes(Short.toUnsignedInt(fields.getShort(30)))).order(ByteOrder.LITTLE_ENDIAN);
                data.skipNBytes(Short.toUnsignedInt(fields.getShort(32)));
                String name = utf8 ? null : unicodePath(extra, rawName);
                if (name == null) {
                    name = new String(rawName, StandardCharsets.UTF_8);
                }
                if (platform == PLATFORM_FAT && name.indexOf('/') < 0) {
                    name = name.replace('\\', '/');
                }
                int mode = platform == PLATFORM_UNIX ? fields.getInt(38) >>> 16 : 0;
                // the ZIP64 field holds, in this order, each size the record gives as 0xFFFFFFFF
                ByteBuffer zip64 = size == ZIP64_SIZE || compressedSize == ZIP64_SIZE ? field(extra, ZIP64_EXTRA) : null;
                if (size == ZIP64_SIZE) {
                    size = zip64 != null && zip64.remaining() >= 8 ? zip64.getLong() : -1;
                }
                if (compressedSize == ZIP64_SIZE) {
                    compressedSize = zip64 != null && zip64.remaining() >= 8 ? zip64.getLong() : -1;
                }
                entries.add(new Entry(name, (mode & FILE_TYPE) == SYMBOLIC_LINK, size, compressedSize, crc, method));
            }
        } catch (EOFException truncated) {
            return entries;
        }
    }

    /** The name an Info-ZIP Unicode path field gives, when it is for these raw name bytes (its checksum matches). */
    private static String unicodePath(ByteBuffer extra, byte[] rawName) {
        ByteBuffer field = field(extra, UNICODE_PATH);
        if (field == null || field.remaining() < 5 || field.get() != 1) {
            return null;
        }
        CRC32 crc = new CRC32();
        crc.update(rawName);
        if (Integer.toUnsignedLong(field.getInt()) != crc.getValue()) {
            return null;
        }
        byte[] name = new byte[field.remaining()];
        field.get(name);
        return new String(name, StandardCharsets.UTF_8);
    }

    /** The data of the first extra field with this id, or null. */
    private static ByteBuffer field(ByteBuffer extra, int id) {
        int at = 0;
        while (at + 4 <= extra.limit()) {
            int length = Short.toUnsignedInt(extra.getShort(at + 2));
            if (at + 4 + length > extra.limit()) {
                return null;
            }
            if (Short.toUnsignedInt(extra.getShort(at)) == id) {
                return extra.slice(at + 4, length).order(ByteOrder.LITTLE_ENDIAN);
            }
            at += 4 + length;
        }
        return null;
    }

    /**
     * Where the end record starts: the last signature within the 64 KiB a comment may take, as commons-compress looks;
     * for the JDK's reader ({@code verified}), the last one whose comment ends the file, or else whose table and first
     * entry start with their signatures where it says.
     */
    private static long endRecord(FileChannel file, boolean verified) throws IOException {
        long size = file.size();
        int tail = (int) Math.min(size, END_LENGTH + MAX_COMMENT);
        ByteBuffer buffer = read(file, size - tail, tail);
        for (int at = tail - END_LENGTH; at >= 0; at--) {
            if (buffer.getInt(at) != END) {
                continue;
            }
            long end = size - tail + at;
            if (!verified || end + END_LENGTH + Short.toUnsignedInt(buffer.getShort(at + 20)) == size) {
                return end;
            }
            long table = end - Integer.toUnsignedLong(buffer.getInt(at + 12));
            long first = table - Integer.toUnsignedLong(buffer.getInt(at + 16));
            if (table >= 0 && first >= 0 && read(file, table, 4).getInt(0) == ENTRY && read(file, first, 4).getInt(0) == LOCAL) {
                return end;
            }
        }
        return -1;
    }

    /** The records that follow each other from {@code start}, up to the limits. */
    private static ZipDirectory walk(FileChannel file, long start, long maxEntries, long maxBytes) throws IOException {
        if (start < 0 || start >= file.size()) {
            return new ZipDirectory(0, 0);
        }
        long entries = 0;
        long bytes = 0;
        InputStream in = new BufferedInputStream(Channels.newInputStream(file.position(start)), 1 << 16);
        DataInputStream data = new DataInputStream(in);
        byte[] header = new byte[ENTRY_LENGTH];
        ByteBuffer fields = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        try {
            while (entries <= maxEntries && bytes <= maxBytes) {
                data.readFully(header);
                if (fields.getInt(0) != ENTRY) {
                    break;
                }
                long variable = Short.toUnsignedInt(fields.getShort(28)) + Short.toUnsignedInt(fields.getShort(30))
                        + Short.toUnsignedInt(fields.getShort(32));
                data.skipNBytes(variable);
                entries++;
                bytes += ENTRY_LENGTH + variable;
            }
        } catch (EOFException truncated) {
            // the records run into the end of the file: what was counted is all a reader can load
        }
        return new ZipDirectory(entries, bytes);
    }

    private static ByteBuffer read(FileChannel file, long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining() && file.read(buffer, offset + buffer.position()) >= 0) {
            // FileChannel.read may return fewer bytes than asked; the loop ends at the end of the file
        }
        return buffer.flip().limit(length);
    }
}
