package dev.berth.deploy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * What a zip's end-of-central-directory record says about the table of entries, read from the last 64 KiB of
 * the file alone. Every zip reader (commons-compress, java.util.zip, Jetty) loads the whole central directory
 * and an object per entry before it answers anything, so a WAR of a million entries exhausts the heap
 * before its first entry can be checked; this record tells the size first. ZIP64 archives keep the real
 * numbers in a second record that the first one points at (APPNOTE.TXT 4.3.14–4.3.16).
 *
 * @param entries     entries on the table
 * @param directoryBytes bytes the table takes
 */
record ZipDirectory(long entries, long directoryBytes) {

    private static final int END = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_END = 0x06064b50;
    private static final int END_LENGTH = 22;
    private static final int LOCATOR_LENGTH = 20;
    private static final int ZIP64_END_LENGTH = 56;
    private static final int MAX_COMMENT = 0xFFFF;

    /**
     * The table's size, or empty when the file has no end record (then it is no zip). The record is the last
     * one found from the end, as commons-compress finds it, which tolerates bytes after a comment.
     */
    static Optional<ZipDirectory> read(Path zip) throws IOException {
        try (FileChannel file = FileChannel.open(zip, StandardOpenOption.READ)) {
            long size = file.size();
            int tail = (int) Math.min(size, END_LENGTH + MAX_COMMENT);
            ByteBuffer buffer = read(file, size - tail, tail);
            for (int at = tail - END_LENGTH; at >= 0; at--) {
                if (buffer.getInt(at) == END) {
                    return Optional.of(fromEnd(file, size - tail + at, buffer, at));
                }
            }
            return Optional.empty();
        }
    }

    private static ZipDirectory fromEnd(FileChannel file, long endOffset, ByteBuffer buffer, int at) throws IOException {
        long entries = Short.toUnsignedInt(buffer.getShort(at + 10));
        long bytes = Integer.toUnsignedLong(buffer.getInt(at + 12));
        boolean zip64 = entries == 0xFFFF || bytes == 0xFFFFFFFFL || Integer.toUnsignedLong(buffer.getInt(at + 16)) == 0xFFFFFFFFL;
        if (!zip64 || endOffset < LOCATOR_LENGTH) {
            return new ZipDirectory(entries, bytes);
        }
        ByteBuffer locator = read(file, endOffset - LOCATOR_LENGTH, LOCATOR_LENGTH);
        if (locator.getInt(0) != ZIP64_LOCATOR) {
            return new ZipDirectory(entries, bytes);
        }
        long recordOffset = locator.getLong(8);
        if (recordOffset < 0 || recordOffset > endOffset - ZIP64_END_LENGTH) {
            return new ZipDirectory(Long.MAX_VALUE, Long.MAX_VALUE);
        }
        ByteBuffer record = read(file, recordOffset, ZIP64_END_LENGTH);
        if (record.getInt(0) != ZIP64_END) {
            return new ZipDirectory(entries, bytes);
        }
        return new ZipDirectory(unsigned(record.getLong(32)), unsigned(record.getLong(40)));
    }

    private static long unsigned(long value) {
        return value < 0 ? Long.MAX_VALUE : value;
    }

    private static ByteBuffer read(FileChannel file, long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining() && file.read(buffer, offset + buffer.position()) >= 0) {
            // FileChannel.read may return fewer bytes than asked; the loop ends at the end of the file
        }
        return buffer.flip().limit(length);
    }
}
