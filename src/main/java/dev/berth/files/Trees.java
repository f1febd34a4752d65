package dev.berth.files;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Deletes folder trees without following links (a link is removed, never what it points to), tolerating
 * files that vanish meanwhile: another Berth may be removing the same abandoned folder at the same moment.
 */
final class Trees {

    private Trees() {
    }

    /** Deletes {@code root} and all it holds; nothing there is no error. */
    static void delete(Path root) throws IOException {
        deleteContentExcept(root, null);
        Files.deleteIfExists(root);
    }

    /** Deletes what {@code root} holds, except its direct entry named {@code kept} (null: everything). */
    static void deleteContentExcept(Path root, String kept) throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(root);
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (kept == null || !file.getParent().equals(root) || !file.getFileName().toString().equals(kept)) {
                    Files.deleteIfExists(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                if (!dir.equals(root)) {
                    Files.deleteIfExists(dir);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
