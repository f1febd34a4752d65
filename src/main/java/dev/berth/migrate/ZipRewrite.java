package dev.berth.migrate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiFunction;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites entries of a converted archive in place, after the migration tool: each entry's bytes go through a
 * function that returns new bytes, or null to keep them. The archive is written beside itself and moved over it only
 * when an entry changed; on a failure the partial copy is removed and the archive stays as it was.
 */
final class ZipRewrite {

    private ZipRewrite() {
    }

    /** Rewrites {@code archive} with {@code rewrite} (entry name, bytes → new bytes or null); the names of the entries changed. */
    static List<String> inPlace(Path archive, BiFunction<String, byte[], byte[]> rewrite) throws IOException {
        Path rewritten = archive.resolveSibling(archive.getFileName() + ".rewritten");
        List<String> changed = new ArrayList<>();
        try (ZipFile in = new ZipFile(archive.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(rewritten))) {
            for (ZipEntry entry : Collections.list(in.entries())) {
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                out.putNextEntry(copy);
                byte[] bytes;
                try (InputStream content = in.getInputStream(entry)) {
                    bytes = content.readAllBytes();
                }
                byte[] replaced = entry.isDirectory() ? null : rewrite.apply(entry.getName(), bytes);
                if (replaced != null) {
                    changed.add(entry.getName());
                }
                out.write(replaced == null ? bytes : replaced);
                out.closeEntry();
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(rewritten);
            throw e;
        }
        if (changed.isEmpty()) {
            Files.delete(rewritten);
        } else {
            Files.move(rewritten, archive, StandardCopyOption.REPLACE_EXISTING);
        }
        return changed;
    }
}
