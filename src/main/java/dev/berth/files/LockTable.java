package dev.berth.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The kernel's table of file locks ({@code /proc/locks} on Linux): which processes hold a lock on a file.
 * It names the holder in "another instance holds …" and tells whether a lock Berth took is on the file
 * still at its path. Elsewhere, or when the file system reports devices the table does not use (some overlay
 * mounts), nobody is found: callers treat that as "not known", never as "free".
 */
final class LockTable {

    private static final Path PROC_LOCKS = Path.of("/proc/locks");

    private LockTable() {
    }

    /** The pids holding a lock on {@code file}; empty when none, or when the table cannot tell. */
    static Set<Long> holdersOf(Path file) {
        try {
            long dev = ((Number) Files.getAttribute(file, "unix:dev", LinkOption.NOFOLLOW_LINKS)).longValue();
            long ino = ((Number) Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
            String id = String.format("%02x:%02x:%d", major(dev), minor(dev), ino);
            return holders(Files.readAllLines(PROC_LOCKS), id);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Set.of();
        }
    }

    /**
     * Lines look like {@code 1: POSIX  ADVISORY  WRITE 4242 fd:01:1311234 0 EOF}; a waiter's line has {@code ->}
     * after the number and holds nothing.
     */
    static Set<Long> holders(List<String> lines, String id) {
        return lines.stream()
                .map(line -> line.trim().split("\\s+"))
                .filter(fields -> fields.length >= 6 && !fields[1].equals("->") && fields[5].equals(id))
                .map(fields -> parsePid(fields[4]))
                .filter(pid -> pid > 0)
                .collect(Collectors.toSet());
    }

    private static long parsePid(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** glibc's gnu_dev_major: {@code st_dev} as user space sees it, split as the kernel prints it. */
    static long major(long dev) {
        return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & 0xfffff000L);
    }

    static long minor(long dev) {
        return (dev & 0xff) | ((dev >>> 12) & 0xffffff00L);
    }
}
