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
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The size of a zip's table of entries (its central directory), counted record by record with constant memory,
 * up to a limit. Every zip reader (commons-compress, java.util.zip, Jetty) loads the whole table, and an object
 * per entry, before it answers anything, so a WAR of a million entries exhausts the heap before its first entry
 * can be checked. The numbers the end record states are not trusted: commons-compress reads records from where
 * the table starts for as long as they follow each other, whatever count the end record gives, so this walks
 * the records from each place a reader may start (the offset the end record or its ZIP64 record states, and
 * the end record less the table's stated size, where commons-compress looks when data stands before the zip)
 * and keeps the larger count.
 *
 * @param entries        records on the table, counted up to one more than the limit
 * @param directoryBytes bytes those records take
 */
record ZipDirectory(long entries, long directoryBytes) {

    private static final int END = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_END = 0x06064b50;
    private static final int ENTRY = 0x02014b50;
    private static final int END_LENGTH = 22;
    private static final int LOCATOR_LENGTH = 20;
    private static final int ZIP64_END_LENGTH = 56;
    private static final int ENTRY_LENGTH = 46;
    private static final int MAX_COMMENT = 0xFFFF;

    /**
     * The table's size, counting at most {@code maxEntries + 1} records and {@code maxBytes + 1} bytes; empty
     * when the file has no end record (then it is no zip, and the reader says so).
     */
    static Optional<ZipDirectory> read(Path zip, long maxEntries, long maxBytes) throws IOException {
        try (FileChannel file = FileChannel.open(zip, StandardOpenOption.READ)) {
            long end = endRecord(file);
            if (end < 0) {
                return Optional.empty();
            }
            ByteBuffer record = read(file, end, END_LENGTH);
            long offset = Integer.toUnsignedLong(record.getInt(16));
            long size = Integer.toUnsignedLong(record.getInt(12));
            long recordAt = end;
            ByteBuffer locator = end >= LOCATOR_LENGTH ? read(file, end - LOCATOR_LENGTH, LOCATOR_LENGTH) : null;
            if (locator != null && locator.getInt(0) == ZIP64_LOCATOR) {
                recordAt = locator.getLong(8);
                ByteBuffer zip64 = recordAt < 0 || recordAt > end - ZIP64_END_LENGTH ? null : read(file, recordAt, ZIP64_END_LENGTH);
                if (zip64 == null || zip64.getInt(0) != ZIP64_END) {
                    return Optional.of(new ZipDirectory(0, 0)); // a corrupt ZIP64 record: the reader refuses the file
                }
                size = zip64.getLong(40);
                offset = zip64.getLong(48);
            }
            ZipDirectory stated = walk(file, offset, maxEntries, maxBytes);
            if (recordAt - size == offset) {
                return Optional.of(stated); // a zip with nothing before it: both places are one
            }
            ZipDirectory before = walk(file, recordAt - size, maxEntries, maxBytes);
            return Optional.of(stated.entries() >= before.entries() ? stated : before);
        }
    }

    /** Where the end record starts: the last signature within the 64 KiB a comment may take, as the readers look. */
    private static long endRecord(FileChannel file) throws IOException {
        long size = file.size();
        int tail = (int) Math.min(size, END_LENGTH + MAX_COMMENT);
        ByteBuffer buffer = read(file, size - tail, tail);
        for (int at = tail - END_LENGTH; at >= 0; at--) {
            if (buffer.getInt(at) == END) {
                return size - tail + at;
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
